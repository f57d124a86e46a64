# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of inspections (巡检, issue 12), with frozen time: the schedule (due inspections as assigned
work, once), overdue inspections (flagged, the assignee notified once), a failed line raising a ticket
(ERPNext Issue) and an outage (once), the completion figure, and who reads plans, inspections and their
rows (two project managers, a customer)."""

from unittest.mock import patch

import frappe
from frappe.utils import getdate

from sla_management.sla_check.inspections import actions, jobs
from sla_management.sla_check.inspections.figures import inspection_completion
from sla_management.sla_check.tickets.test_ticket_sla import issue_tickets
from sla_management.tests.factories.agreements import (
	CUSTOMER_A_USER,
	ITEMS,
	OTHER_PM,
	PM,
	frozen,
	make_outgoing_email_account,
)
from sla_management.tests.factories.plan import make_user
from sla_management.tests.world import WorldTestCase

PLAN, INSPECTION, RESULT = "SLA Inspection Plan", "SLA Inspection", "SLA Inspection Result"


def make_plan(project: str, assignee: str, frequency: str = "Weekly", start: str = "2026-03-02", **values):
	return frappe.get_doc(
		{
			"doctype": PLAN,
			"plan_title": f"Check {project}",
			"project": project,
			"service_item": ITEMS[0],
			"frequency": frequency,
			"start_date": start,
			"assignee": assignee,
			"checks": [
				{"check": "Mail queue length", "expected": "< 100", "raises": "Ticket and Outage"},
				{"check": "Backup ran", "expected": "yes", "service_item": ITEMS[1]},
			],
			**values,
		}
	).insert()


def run(day: str) -> dict:
	with frozen(day):
		return jobs.process_inspections()


def inspections_of(plan: str) -> list[frappe._dict]:
	return frappe.get_all(
		INSPECTION,
		filters={"plan": plan},
		fields=["name", "period_start", "due_on", "status", "assignee"],
		order_by="period_start asc",
	)


def open_todos(name: str, user: str) -> int:
	filters = {"reference_type": INSPECTION, "reference_name": name, "allocated_to": user, "status": "Open"}
	return frappe.db.count("ToDo", filters)


def notifications(name: str, user: str) -> int:
	return frappe.db.count(
		"Notification Log",
		{"type": "Alert", "document_type": INSPECTION, "document_name": name, "for_user": user},
	)


def names(doctype: str) -> list[str]:
	return [row["name"] for row in frappe.client.get_list(doctype, fields=["name"], limit_page_length=0)]


class TestInspections(WorldTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		issue_tickets()
		make_outgoing_email_account()

	def setUp(self):
		super().setUp()
		# tests send mail at once, and sending commits: the notification is logged, its mail recorded here
		mail = patch("frappe.desk.doctype.notification_log.notification_log.send_notification_email")
		self.mail = mail.start()
		self.addCleanup(mail.stop)

	def mails(self, name: str) -> int:
		"""E-mails queued about inspection ``name`` (the overdue notice)."""
		return frappe.db.count("Email Queue", {"reference_doctype": INSPECTION, "reference_name": name})

	def test_schedule_creates_due_inspections_as_assigned_work_once(self):
		with frozen("2026-03-04"):
			plan = make_plan(self.world.project_a, PM)
		self.assertEqual(getdate(plan.next_due), getdate("2026-03-02"))  # the current week is due now

		created = run("2026-03-04")["created"]
		(row,) = inspections_of(plan.name)
		self.assertEqual(created, [row.name])
		self.assertEqual((str(row.period_start), str(row.due_on)), ("2026-03-02", "2026-03-08"))
		self.assertEqual((row.status, row.assignee), ("Open", PM))
		self.assertEqual(open_todos(row.name, PM), 1)
		doc = frappe.get_doc(INSPECTION, row.name)
		self.assertEqual([r.check for r in doc.results], ["Mail queue length", "Backup ran"])
		self.assertEqual([r.service_item for r in doc.results], [ITEMS[0], ITEMS[1]])
		self.assertEqual(doc.customer, self.world.customer_a)
		self.assertEqual(str(frappe.db.get_value(PLAN, plan.name, "next_due")), "2026-03-09")

		# twice, and again the next day: nothing new
		self.assertEqual(run("2026-03-04")["created"], [])
		self.assertEqual(run("2026-03-05")["created"], [])
		self.assertEqual(len(inspections_of(plan.name)), 1)
		self.assertEqual(open_todos(row.name, PM), 1)

		# the next week: the next period; a disabled plan: nothing
		self.assertEqual(len(run("2026-03-09")["created"]), 1)
		self.assertEqual(
			[str(r.period_start) for r in inspections_of(plan.name)], ["2026-03-02", "2026-03-09"]
		)
		frappe.db.set_value(PLAN, plan.name, "enabled", 0)
		self.assertEqual(run("2026-03-16")["created"], [])

	def test_the_daily_hook_only_enqueues_the_worker(self):
		self.assertIn(
			"sla_management.sla_check.inspections.jobs.enqueue_inspections",
			frappe.get_hooks("scheduler_events")["daily"],
		)
		with patch("frappe.enqueue") as enqueue:
			jobs.enqueue_inspections()
		enqueue.assert_called_once_with(jobs.WORKER, queue="long", job_id=jobs.JOB_ID, deduplicate=True)

	def test_an_assignee_without_a_role_on_inspections_gets_it_shared_to_work_on(self):
		engineer = make_user("inspect.engineer@example.com")
		with frozen("2026-03-04"):
			make_plan(self.world.project_a, engineer)
			(name,) = jobs.process_inspections()["created"]
		self.assertEqual(open_todos(name, engineer), 1)
		share = frappe.db.get_value(
			"DocShare",
			{"share_doctype": INSPECTION, "share_name": name, "user": engineer},
			["write", "submit"],
		)
		self.assertEqual(share, (1, 1))
		frappe.set_user(engineer)
		doc = frappe.client.get(INSPECTION, name)
		for row in doc["results"]:
			row["passed"] = "Pass"
		with frozen("2026-03-05"):
			frappe.client.submit(doc)
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value(INSPECTION, name, ["status", "completed_by"]), ("Completed", engineer)
		)
		self.assertEqual(
			inspection_completion([self.world.project_a], "2026-03-01", "2026-03-31")[self.world.project_a],
			(1, 1, 0),
		)

	def test_a_project_manager_of_another_project_is_no_assignee(self):
		with self.assertRaises(frappe.ValidationError):
			make_plan(self.world.project_a, OTHER_PM)

	def test_an_inspection_is_completed_only_with_every_line_recorded(self):
		with frozen("2026-03-04"):
			make_plan(self.world.project_a, PM)
			(name,) = jobs.process_inspections()["created"]
		frappe.set_user(PM)
		doc = frappe.client.get(INSPECTION, name)
		doc["results"][0]["passed"] = "Pass"
		with self.assertRaises(frappe.ValidationError):
			frappe.client.submit(doc)
		self.assertEqual(frappe.db.get_value(INSPECTION, name, "docstatus"), 0)

	def test_one_inspection_per_plan_and_period_in_the_database(self):
		with frozen("2026-03-04"):
			plan = make_plan(self.world.project_a, PM)
		(name,) = run("2026-03-04")["created"]
		copy = frappe.copy_doc(frappe.get_doc(INSPECTION, name))
		copy.schedule_key = frappe.db.get_value(INSPECTION, name, "schedule_key")
		with self.assertRaises(frappe.UniqueValidationError):
			copy.insert()
		self.assertEqual(len(inspections_of(plan.name)), 1)

	def test_overdue_inspection_is_flagged_and_notifies_the_assignee_once(self):
		with frozen("2026-03-04"):
			make_plan(self.world.project_a, PM, frequency="Daily", start="2026-03-04")
		(name,) = run("2026-03-04")["created"]
		self.assertEqual(run("2026-03-04")["overdue"], [])  # due today: not overdue yet
		self.assertEqual(notifications(name, PM), 0)

		result = run("2026-03-05")
		self.assertEqual(result["overdue"], [name])
		self.assertEqual(frappe.client.get_value(INSPECTION, "status", name)["status"], "Overdue")
		self.assertEqual(notifications(name, PM), 1)
		self.assertEqual(self.mails(name), 1)
		for day in ("2026-03-05", "2026-03-06"):
			self.assertNotIn(name, run(day)["overdue"])
		self.assertEqual(notifications(name, PM), 1)
		self.assertEqual(self.mails(name), 1)

		# completed late: Completed, counted late in the period's figure
		doc = frappe.get_doc(INSPECTION, name)
		for row in doc.results:
			row.passed = "Pass"
		with frozen("2026-03-06"):
			doc.submit()
		self.assertEqual(frappe.db.get_value(INSPECTION, name, "status"), "Completed")
		figures = inspection_completion(
			[self.world.project_a, self.world.project_b], "2026-03-01", "2026-03-31"
		)
		self.assertEqual(figures[self.world.project_b], (0, 0, 0))
		due, on_time, late = figures[self.world.project_a]
		self.assertEqual((due, on_time, late), (3, 0, 1))  # 4th (late), 5th and 6th (open)
		self.assertEqual(
			inspection_completion(None, "2026-03-01", "2026-03-31"), {self.world.project_a: (3, 0, 1)}
		)

	def test_a_failed_line_raises_a_ticket_and_an_outage_once(self):
		with frozen("2026-03-04"):
			make_plan(self.world.project_a, PM)
			(name,) = jobs.process_inspections()["created"]
		doc = frappe.get_doc(INSPECTION, name)
		doc.results[0].update({"result": "2400", "passed": "Fail", "note": "queue stuck"})
		doc.results[1].update({"result": "yes", "passed": "Pass"})
		doc.save()
		issues_before = frappe.db.count("Issue")

		frappe.set_user(OTHER_PM)  # not their project
		with self.assertRaises(frappe.PermissionError):
			actions.raise_findings(name)
		frappe.set_user(PM)
		with self.assertRaises(frappe.ValidationError):
			actions.raise_findings(name, rows=[doc.results[1].name])  # a passed line
		with frozen("2026-03-04", "11:30:00"):
			first = actions.raise_findings(name)
			second = actions.raise_findings(name, what="Ticket and Outage")
		self.assertEqual(first, second)
		(line,) = first
		self.assertEqual(line["ticket_doctype"], "Issue")
		self.assertEqual(frappe.db.count("Issue"), issues_before + 1)
		issue = frappe.client.get("Issue", line["ticket"])
		self.assertIn("Mail queue length", issue["subject"])
		self.assertEqual(issue["customer"], self.world.customer_a)
		self.assertEqual(issue["sla_mgmt_project"], self.world.project_a)
		self.assertEqual(issue["sla_mgmt_service_item"], ITEMS[0])
		outage = frappe.client.get("SLA Outage", line["outage"])
		self.assertEqual(
			(outage["found_by"], outage["service_item"], outage["project"], outage["end"]),
			("Inspection", ITEMS[0], self.world.project_a, None),
		)
		self.assertEqual(str(outage["start"]), "2026-03-04 11:30:00")
		self.assertEqual((outage["ticket_doctype"], outage["ticket"]), ("Issue", line["ticket"]))
		self.assertEqual(
			frappe.db.count("SLA Outage", {"found_by": "Inspection", "cause": outage["cause"]}), 1
		)
		stored = frappe.client.get(INSPECTION, name)["results"][0]
		self.assertEqual((stored["ticket"], stored["outage"]), (line["ticket"], line["outage"]))

	def test_project_managers_read_only_their_projects_plans_inspections_and_rows(self):
		with frozen("2026-03-04"):
			plan_a = make_plan(self.world.project_a, PM)
			plan_b = make_plan(self.world.project_b, OTHER_PM)
			jobs.process_inspections()
		(ins_a,) = inspections_of(plan_a.name)
		(ins_b,) = inspections_of(plan_b.name)
		for user, own_plan, own, other in ((PM, plan_a, ins_a, ins_b), (OTHER_PM, plan_b, ins_b, ins_a)):
			frappe.set_user(user)
			self.assertEqual(names(PLAN), [own_plan.name])
			self.assertEqual(names(INSPECTION), [own.name])
			self.assertEqual(frappe.client.get(INSPECTION, own.name)["name"], own.name)
			with self.assertRaises(frappe.PermissionError):
				frappe.client.get(INSPECTION, other.name)
			with self.assertRaises(frappe.PermissionError):
				frappe.client.get(PLAN, plan_b.name if user == PM else plan_a.name)
			rows = frappe.client.get_list(
				RESULT, fields=["name", "parent"], parent=INSPECTION, limit_page_length=0
			)
			self.assertEqual({r["parent"] for r in rows}, {own.name})
			checks = frappe.client.get_list(
				"SLA Inspection Plan Check", fields=["parent"], parent=PLAN, limit_page_length=0
			)
			self.assertEqual({r["parent"] for r in checks}, {own_plan.name})
			frappe.set_user("Administrator")
			other_row = frappe.get_all(RESULT, filters={"parent": other.name}, pluck="name")[0]
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError):
				frappe.client.get(RESULT, other_row)
			frappe.set_user("Administrator")

		frappe.set_user(CUSTOMER_A_USER)  # customers: no inspections (SPEC §4 names agreements and reports)
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get_list(INSPECTION)
