# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Race tests of inspections on real parallel connections (``tests.parallel``): two workers at once create
one inspection and one ToDo per plan and period and notify an overdue one once; two presses of the raise
button at once create one ticket and one outage. The rows are committed and deleted after each test."""

import frappe

from sla_management.sla_check.inspections import actions, jobs
from sla_management.sla_check.tickets.test_ticket_sla import issue_tickets
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories import plan as plan_factory
from sla_management.tests.factories.agreements import frozen
from sla_management.tests.hygiene import delete_rows
from sla_management.tests.parallel import run_parallel

PLAN, INSPECTION = "SLA Inspection Plan", "SLA Inspection"
EXTRA = (("DocShare", "share_doctype", "share_name"), ("Email Queue", "reference_doctype", "reference_name"))


class TestInspectionRaces(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		issue_tickets()

	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = plan_factory.make_customer(plan_factory.unique("_Test Inspect Race Customer"))
		self.project = plan_factory.make_project(self.customer, "Administrator")
		self.item = plan_factory.make_service_item()
		with frozen("2026-03-04"):
			self.plan = frappe.get_doc(
				{
					"doctype": PLAN,
					"plan_title": "Race",
					"project": self.project,
					"service_item": self.item,
					"frequency": "Daily",
					"start_date": "2026-03-04",
					"assignee": "Administrator",
					"checks": [{"check": "Disk free", "expected": "> 10 %", "raises": "Ticket and Outage"}],
				}
			).insert()
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		inspections = set(frappe.get_all(INSPECTION, filters={"plan": self.plan.name}, pluck="name"))
		rows = frappe.get_all(
			"SLA Inspection Result",
			filters={"parent": ("in", inspections or [""])},
			fields=["ticket_doctype", "ticket", "outage"],
		)
		for row in rows:
			if row.ticket:
				delete_rows(row.ticket_doctype, {row.ticket})
			if row.outage:
				delete_rows("SLA Outage", {row.outage})
		# and whatever else a failed run left of the project (a second ticket or outage)
		delete_rows("SLA Outage", set(frappe.get_all("SLA Outage", {"project": self.project}, pluck="name")))
		delete_rows("Issue", set(frappe.get_all("Issue", {"sla_mgmt_project": self.project}, pluck="name")))
		for doctype, field, name_field in EXTRA:
			frappe.db.delete(doctype, {field: INSPECTION, name_field: ("in", inspections or [""])})
		delete_rows(INSPECTION, inspections)
		delete_rows(PLAN, {self.plan.name})
		delete_rows("SLA Service Project", {self.project})
		delete_rows("SLA Service Item", {self.item})
		delete_rows(plan_factory.customer_doctype(), {self.customer})
		frappe.db.commit()

	def test_two_workers_at_once_create_one_inspection_and_notify_once(self):
		outcomes = run_parallel(
			lambda: jobs.process_inspections("2026-03-04"), lambda: jobs.process_inspections("2026-03-04")
		)
		self.assertEqual([o.error for o in outcomes], [None, None])
		self.assertEqual(sum(len(o.value["created"]) for o in outcomes), 1)
		(name,) = frappe.get_all(INSPECTION, filters={"plan": self.plan.name}, pluck="name")
		self.assertEqual(frappe.db.count("ToDo", {"reference_type": INSPECTION, "reference_name": name}), 1)

		outcomes = run_parallel(
			lambda: jobs.process_inspections("2026-03-05"), lambda: jobs.process_inspections("2026-03-05")
		)
		self.assertEqual([o.error for o in outcomes], [None, None])
		self.assertEqual(sum(o.value["overdue"].count(name) for o in outcomes), 1)
		self.assertEqual(sum(len(o.value["created"]) for o in outcomes), 1)
		alerts = {"type": "Alert", "document_type": INSPECTION, "document_name": name}
		self.assertEqual(frappe.db.count("Notification Log", alerts), 1)
		self.assertEqual(frappe.db.get_value(INSPECTION, name, "status"), "Overdue")

	def test_two_presses_at_once_raise_one_ticket_and_one_outage(self):
		(name,) = jobs.process_inspections("2026-03-04")["created"]
		doc = frappe.get_doc(INSPECTION, name)
		doc.results[0].update({"result": "2 %", "passed": "Fail"})
		doc.save()
		frappe.db.commit()
		issues = frappe.db.count("Issue")

		outcomes = run_parallel(lambda: actions.raise_findings(name), lambda: actions.raise_findings(name))
		self.assertEqual([o.error for o in outcomes], [None, None])
		self.assertEqual(outcomes[0].value, outcomes[1].value)
		(line,) = outcomes[0].value
		self.assertEqual(frappe.db.count("Issue"), issues + 1)
		self.assertEqual(
			frappe.db.count("SLA Outage", {"service_item": self.item, "found_by": "Inspection"}), 1
		)
		self.assertTrue(line["ticket"] and line["outage"])
