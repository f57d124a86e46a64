# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of what the desk shows of a ticket's SLA: the form's indicator data, the ticket list's time
left, the Connections, the escalation comment on the timeline, and the SLA Ticket Queue report.

Frozen time on the 5x8 Shanghai calendar of test_ticket_sla (P1: respond 1 h, resolve 4 h; escalation
levels 75 %, at breach, 2 h after breach).
"""

from __future__ import annotations

import unittest
from unittest.mock import patch

import frappe

from sla_management.engine.roles import PROJECT_MANAGER
from sla_management.sla_check.report.sla_ticket_queue import sla_ticket_queue as queue
from sla_management.sla_check.tickets import api, escalation
from sla_management.sla_check.tickets.test_ticket_sla import PM, clock, issue_world, reply, sh, timer
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.plan import make_user

NOBODY = "ui.nobody@example.com"
OTHER_PM = "ui.other.pm@example.com"
ZH_USER = "ui.zh@example.com"
EN_USER = "ui.en@example.com"


class TestTicketUI(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = issue_world()
		make_user(NOBODY)
		make_user(OTHER_PM, PROJECT_MANAGER)
		for user, lang in ((ZH_USER, "zh"), (EN_USER, "en")):
			make_user(user, PROJECT_MANAGER)
			frappe.db.set_value("User", user, "language", lang)

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_issue(self, when: str, priority: str = "P1") -> str:
		with clock(when) as now:
			return (
				frappe.get_doc(
					{
						"doctype": "Issue",
						"subject": "_Test UI ticket",
						"customer": self.world.customer,
						"priority": priority,
						"opening_date": now.date(),
						"opening_time": now.time(),
					}
				)
				.insert(ignore_permissions=True)
				.name
			)

	def set_status(self, name: str, status: str, when: str):
		with clock(when):
			doc = frappe.get_doc("Issue", name)
			doc.status = status
			doc.save(ignore_permissions=True)

	def sla_at(self, name: str, when: str) -> dict:
		with clock(when):
			data = api.get_ticket_sla("Issue", name)
		return {t["metric"]: t for t in data["timers"]} | {"_": data}

	# --- the form's indicator -------------------------------------------------------------------------
	def test_running_warning_and_breach_are_measured_in_business_time(self):
		name = self.new_issue("2026-06-01 09:00")  # Monday
		running = self.sla_at(name, "2026-06-01 09:30")
		response = running["Response"]
		self.assertEqual(
			(response["state"], response["colour"], response["warning"]), ("Running", "blue", False)
		)
		self.assertAlmostEqual(response["remaining_seconds"], 1800, delta=1)
		self.assertEqual(response["remaining_text"], "30 min left")
		self.assertEqual(response["target_text"], "1 h (business)")
		self.assertEqual(response["deadline_calendar"], "2026-06-01 10:00 (Asia/Shanghai)")
		self.assertEqual(running["_"]["status"], "Running")
		self.assertEqual(running["Resolution"]["target_text"], "4 h (business)")

		warning = self.sla_at(name, "2026-06-01 09:50")["Response"]  # 83 % of 1 h: past the 75 % level
		self.assertEqual(
			(warning["state"], warning["colour"], warning["warning"]), ("Running", "orange", True)
		)

		# 18:30 is after hours: the resolution timer has used 9 h of business time, not 9.5 h
		late = self.sla_at(name, "2026-06-01 18:30")
		self.assertEqual((late["Response"]["state"], late["Response"]["colour"]), ("Breached", "red"))
		self.assertEqual(late["Response"]["remaining_text"], "overdue by 8 h")
		self.assertAlmostEqual(late["Resolution"]["elapsed_seconds"], 9 * 3600, delta=1)
		self.assertEqual(late["Resolution"]["elapsed_text"], "9 h")
		self.assertIn("2026-06-01 13:00 (Asia/Shanghai)", late["Resolution"]["deadline_calendar"])
		self.assertTrue(late["Resolution"]["breached_at"])

	def test_paused_since_and_met_at(self):
		name = self.new_issue("2026-06-01 09:00")
		reply("Issue", name, "2026-06-01 09:20")
		self.set_status(name, "On Hold", "2026-06-01 10:00")
		data = self.sla_at(name, "2026-06-01 11:00")
		response, resolution = data["Response"], data["Resolution"]
		self.assertEqual((response["state"], response["colour"], response["met"]), ("Met", "green", True))
		self.assertTrue(response["stopped_at"])
		self.assertEqual(timer("Issue", name, "Response").stop, sh("2026-06-01 09:20"))
		self.assertEqual((resolution["state"], resolution["colour"]), ("Paused", "gray"))
		self.assertTrue(resolution["paused_since"])
		self.assertEqual(resolution["paused_status"], "On Hold")
		self.assertAlmostEqual(resolution["remaining_seconds"], 3 * 3600, delta=1)  # 1 h of 4 h used

	def test_refused_to_a_user_who_cannot_read_the_ticket(self):
		name = self.new_issue("2026-06-01 09:00")
		frappe.set_user(NOBODY)
		self.assertFalse(frappe.has_permission("Issue", "read", name))
		with self.assertRaises(frappe.PermissionError):
			api.get_ticket_sla("Issue", name)
		with self.assertRaises(frappe.PermissionError):
			api.get_ticket_sla("Issue", "no such ticket")
		self.assertEqual(api.get_tickets_sla("Issue", [name]), {})

	def test_the_list_gets_the_most_urgent_timer_of_each_ticket(self):
		name = self.new_issue("2026-06-01 09:00")
		with clock("2026-06-01 09:30"):
			by_ticket = api.get_tickets_sla("Issue", frappe.as_json([name]))
		self.assertEqual(by_ticket[name]["metric"], "Response")
		self.assertAlmostEqual(by_ticket[name]["remaining_seconds"], 1800, delta=1)

	# --- Connections ----------------------------------------------------------------------------------
	def test_connections_list_the_tickets_sla_timers(self):
		from frappe.desk.notifications import get_open_count

		name = self.new_issue("2026-06-01 09:00")
		data = frappe.get_meta("Issue").get_dashboard_data()
		self.assertEqual(data.non_standard_fieldnames["SLA Timer"], "ticket")
		self.assertEqual(data.dynamic_links["ticket"], ["Issue", "ticket_doctype"])
		self.assertIn("SLA Timer", [i for t in data.transactions for i in t["items"]])
		self.assertIn("Task", [i for t in data.transactions for i in t["items"]])  # ERPNext's group stays
		counts = get_open_count("Issue", name)["count"]["external_links_found"]
		self.assertEqual(next(c["count"] for c in counts if c["doctype"] == "SLA Timer"), 2)

	# --- escalation: alerts per language, one comment on the timeline ------------------------------------
	def escalate(self, name: str, level: dict):
		escalation.escalate(
			{"level_name": "Breach", **level},
			{
				"ticket_doctype": "Issue",
				"ticket": name,
				"metric": "Resolution",
				"agreement": self.world.agreement,
				"priority": "P1",
				"deadline": sh("2026-06-01 13:00"),
				"target_seconds": 4 * 3600,
				"elapsed_seconds": 52.5 * 3600,
				"breached": 1,
			},
		)

	def test_alerts_in_each_recipients_language_and_a_timeline_comment(self):
		name = self.new_issue("2026-06-01 09:00")
		self.escalate(name, {"notify_users": f"{ZH_USER}\n{EN_USER}", "reassign_to": PM})
		subject = {
			user: frappe.db.get_value(
				"Notification Log", {"for_user": user, "document_name": name}, "subject"
			)
			for user in (ZH_USER, EN_USER)
		}
		self.assertIn("服务级别协议已违约", subject[ZH_USER])
		self.assertTrue(subject[EN_USER].startswith("SLA breached (Breach): Resolution target"))
		body = frappe.db.get_value(
			"Notification Log", {"for_user": EN_USER, "document_name": name}, "email_content"
		)
		self.assertIn("Target: 4 h (business), elapsed: 52.5 h", body)
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Issue", "reference_name": name, "comment_type": "Info"},
			pluck="content",
		)
		text = next(c for c in comments if "Breach" in c)
		self.assertIn(ZH_USER, text)
		self.assertIn(EN_USER, text)
		self.assertIn(f"reassigned to {PM}", text)

	def test_the_timeline_comment_is_in_the_sites_language(self):
		name = self.new_issue("2026-06-01 09:00")
		with patch("sla_management.common.i18n.system_language", return_value="zh"):
			self.escalate(name, {"notify_users": EN_USER})
		comment = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Issue", "reference_name": name, "comment_type": "Info"},
			pluck="content",
		)
		self.assertTrue(any("服务级别协议已违约" in c and "已通知" in c for c in comment), comment)
		# the English recipient still reads English
		self.assertTrue(
			frappe.db.get_value(
				"Notification Log", {"for_user": EN_USER, "document_name": name}, "subject"
			).startswith("SLA breached")
		)

	# --- the queue report -------------------------------------------------------------------------------
	def test_queue_sorted_by_time_left_filtered_and_limited_to_readable_timers(self):
		breached = self.new_issue("2026-06-01 09:00")
		running = self.new_issue("2026-06-01 11:15", priority="P2")
		with clock("2026-06-01 11:30"):
			frappe.set_user(PM)
			rows = [
				r
				for r in queue.execute({"project": self.world.project})[1]
				if r["ticket"] in (breached, running)
			]
			self.assertEqual(
				[(r["ticket"], r["metric"]) for r in rows][:2],
				[(breached, "Response"), (breached, "Resolution")],
			)
			left = [r["remaining_seconds"] for r in rows]
			self.assertEqual(left, sorted(left))
			self.assertEqual(rows[0]["status"], "Breached")
			self.assertEqual(rows[0]["time_left"], "overdue by 1 h 30 min")
			only_breached = queue.execute({"state": "Breached", "project": self.world.project})[1]
			self.assertEqual({r["ticket"] for r in only_breached} & {breached, running}, {breached})
			due = queue.execute({"state": "Due Soon", "project": self.world.project})[1]
			self.assertNotIn(running, {r["ticket"] for r in due})  # 15 min of 2 h used
			frappe.set_user(OTHER_PM)
			self.assertEqual(queue.execute({"project": self.world.project})[1], [])
			with self.assertRaises(frappe.ValidationError):
				queue.execute({"state": "Whatever"})


class TestHelpdeskSidebar(IntegrationTestCase):
	"""Helpdesk's agent sidebar shows the fields of the ticket template: the SLA fields are added once."""

	def test_sla_fields_are_added_to_the_default_template_once(self):
		from sla_management.setup import helpdesk

		if not helpdesk.helpdesk_installed() or not frappe.db.exists(
			helpdesk.TEMPLATE, helpdesk.DEFAULT_TEMPLATE
		):
			raise unittest.SkipTest("Helpdesk (HD Ticket Template Default) is not installed on this site")
		helpdesk.add_sla_fields_to_ticket_templates()
		self.assertEqual(helpdesk.add_sla_fields_to_ticket_templates(), [])
		rows = frappe.get_all(
			"HD Ticket Template Field",
			filters={"parent": helpdesk.DEFAULT_TEMPLATE, "fieldname": ("like", "sla_mgmt_%")},
			fields=["fieldname", "hide_from_customer"],
		)
		self.assertEqual({r.fieldname for r in rows}, set(helpdesk.SIDEBAR_FIELDS))
		self.assertTrue(all(r.hide_from_customer for r in rows))

	def test_nothing_happens_without_helpdesk(self):
		from sla_management.setup import helpdesk

		with patch.object(helpdesk, "helpdesk_installed", return_value=False):
			self.assertEqual(helpdesk.add_sla_fields_to_ticket_templates(), [])
