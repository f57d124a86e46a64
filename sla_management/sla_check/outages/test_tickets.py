# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Outages from tickets (issue 12): ERPNext Issues of type "Incident" open, close, reopen and move the
outage of their service item; other tickets, items no agreement covers and broken rules record nothing
and never block the save."""

from __future__ import annotations

from unittest.mock import patch

import frappe
from frappe.client import get_list as client_get_list

from sla_management.sla_check.outages import tickets
from sla_management.sla_check.tickets import config
from sla_management.sla_check.tickets.test_ticket_sla import clock, issue_tickets, sh
from sla_management.tests.factories.agreements import ITEMS, OTHER_PM, PM, make_agreement, sign
from sla_management.tests.world import WorldTestCase

OUTAGE = "SLA Outage"
INCIDENT, QUESTION = "_Test Outage Incident", "_Test Outage Question"
FIELDS = ["name", "service_item", "project", "customer", "agreement", "kind", "start", "end", "found_by"]
FIELDS += ["ticket_doctype", "ticket"]
RULE = {"ticket_doctype": "Issue", "condition_field": "issue_type", "condition_value": INCIDENT}


def outages_of(ticket: str, user: str = "Administrator") -> list[dict]:
	"""The ticket's outages as the list view asks for them, as ``user``."""
	frappe.set_user(user)
	try:
		return client_get_list(
			OUTAGE,
			fields=FIELDS,
			filters={"ticket_doctype": "Issue", "ticket": ticket},
		)
	finally:
		frappe.set_user("Administrator")


class TestOutagesFromTickets(WorldTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		issue_tickets()
		for name in (INCIDENT, QUESTION):
			if not frappe.db.exists("Issue Type", name):
				frappe.get_doc({"doctype": "Issue Type", "__newname": name}).insert(ignore_permissions=True)
		frappe.db.set_single_value(config.SETTINGS, "enabled", 1)
		config.clear_cache()
		cls.agreement_a = sign(make_agreement(cls.world)).name
		cls.agreement_b = sign(make_agreement(cls.world, project=cls.world.project_b)).name

	def setUp(self):
		super().setUp()
		self.addCleanup(self.forget_settings)
		self.set_rules(RULE)

	@staticmethod
	def forget_settings():
		tickets.clear_cache()
		config.clear_cache()
		frappe.clear_document_cache(config.SETTINGS, config.SETTINGS)

	def set_rules(self, *rules):
		settings = frappe.get_doc(config.SETTINGS)
		settings.set("outage_rules", [dict(r) for r in rules])
		settings.save()

	def new_issue(self, when="2026-06-01 09:00", customer=None, item=ITEMS[0], issue_type=INCIDENT, **values):
		with clock(when) as now:
			return frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "Mail server does not answer",
					"customer": customer or self.world.customer_a,
					"priority": "P1",
					"issue_type": issue_type,
					"sla_mgmt_service_item": item,
					"opening_date": now.date(),
					"opening_time": now.time(),
					**values,
				}
			).insert(ignore_permissions=True)

	def save(self, doc, when: str, **values):
		with clock(when):
			doc.reload()
			doc.update(values)
			doc.save(ignore_permissions=True)
		return doc

	def test_incident_opens_an_outage_of_its_item(self):
		issue = self.new_issue()
		(outage,) = outages_of(issue.name)
		self.assertEqual(
			(outage.service_item, outage.project, outage.customer, outage.agreement),
			(ITEMS[0], self.world.project_a, self.world.customer_a, self.agreement_a),
		)
		self.assertEqual((outage.kind, outage.found_by), ("Down", "Incident Ticket"))
		self.assertEqual(outage.start, sh("2026-06-01 09:00"))
		self.assertIsNone(outage.end)
		# saved again unchanged: still one outage
		self.save(issue, "2026-06-01 09:10", subject="Mail server down")
		self.assertEqual(len(outages_of(issue.name)), 1)

	def test_resolve_closes_and_reopen_reopens(self):
		issue = self.new_issue()
		self.save(issue, "2026-06-01 10:30", status="Resolved")
		(outage,) = outages_of(issue.name)
		self.assertEqual(outage.end, sh("2026-06-01 10:30"))
		# saved again while resolved: the end stays
		self.save(issue, "2026-06-01 11:00", subject="Mail server was down")
		self.assertEqual(outages_of(issue.name)[0].end, sh("2026-06-01 10:30"))
		self.save(issue, "2026-06-01 11:30", status="Open")
		(reopened,) = outages_of(issue.name)
		self.assertEqual(reopened.name, outage.name)
		self.assertIsNone(reopened.end)
		self.save(issue, "2026-06-01 12:00", status="Closed")
		self.assertEqual(outages_of(issue.name)[0].end, sh("2026-06-01 12:00"))

	def test_a_rule_closing_status_and_degraded_kind(self):
		self.set_rules({**RULE, "kind": "Degraded", "close_statuses": "Replied\n"})
		issue = self.new_issue()
		self.save(issue, "2026-06-01 09:45", status="Replied")
		(outage,) = outages_of(issue.name)
		self.assertEqual((outage.kind, outage.end), ("Degraded", sh("2026-06-01 09:45")))

	def test_editing_the_ticket_times_moves_the_outage(self):
		self.set_rules({**RULE, "end_field": "sla_resolution_date"})
		issue = self.new_issue()
		self.save(issue, "2026-06-01 12:00", opening_time=sh("2026-06-01 08:15").time())
		self.assertEqual(outages_of(issue.name)[0].start, sh("2026-06-01 08:15"))
		self.save(issue, "2026-06-01 12:05", status="Closed", sla_resolution_date=sh("2026-06-01 11:20"))
		self.assertEqual(outages_of(issue.name)[0].end, sh("2026-06-01 11:20"))
		self.save(issue, "2026-06-01 12:10", sla_resolution_date=sh("2026-06-01 10:50"))
		(outage,) = outages_of(issue.name)
		self.assertEqual((outage.start, outage.end), (sh("2026-06-01 08:15"), sh("2026-06-01 10:50")))

	def test_a_ticket_that_does_not_match_records_nothing(self):
		question = self.new_issue(issue_type=QUESTION)
		self.assertEqual(outages_of(question.name), [])
		# an incident that turns out not to be one: its outage is deleted
		issue = self.new_issue()
		self.assertEqual(len(outages_of(issue.name)), 1)
		self.save(issue, "2026-06-01 10:00", issue_type=QUESTION)
		self.assertEqual(outages_of(issue.name), [])
		self.save(issue, "2026-06-01 10:05", issue_type=INCIDENT)
		self.assertEqual(len(outages_of(issue.name)), 1)

	def test_an_item_no_agreement_covers_records_nothing(self):
		issue = self.new_issue(item=ITEMS[2])
		self.assertEqual(outages_of(issue.name), [])
		issue = self.new_issue(item=None)
		self.assertEqual(outages_of(issue.name), [])

	def test_two_customers_tickets_give_their_own_projects_outages(self):
		a = self.new_issue()
		b = self.new_issue(customer=self.world.customer_b)
		self.assertEqual(outages_of(a.name)[0].project, self.world.project_a)
		self.assertEqual(outages_of(b.name)[0].project, self.world.project_b)
		self.assertEqual(outages_of(b.name)[0].agreement, self.agreement_b)
		# each project manager sees the outage of their own project's ticket only
		self.assertEqual(len(outages_of(a.name, PM)), 1)
		self.assertEqual(outages_of(b.name, PM), [])
		self.assertEqual(outages_of(a.name, OTHER_PM), [])
		self.assertEqual(len(outages_of(b.name, OTHER_PM)), 1)

	def test_a_broken_rule_never_blocks_the_save(self):
		self.set_rules({**RULE, "start_field": "subject"})  # "Mail server ..." is no time
		# Error Log is MyISAM: rows of earlier tests outlive their rollback, and Issue names are reused
		earlier = set(frappe.get_all("Error Log", filters={"reference_doctype": "Issue"}, pluck="name"))
		issue = self.new_issue()
		self.assertTrue(frappe.db.exists("Issue", issue.name))
		self.assertEqual(outages_of(issue.name), [])
		logs = frappe.get_all(
			"Error Log",
			filters={
				"reference_doctype": "Issue",
				"reference_name": issue.name,
				"name": ("not in", earlier or ["-"]),
			},
			pluck="name",
		)
		self.addCleanup(frappe.db.delete, "Error Log", {"name": ["in", logs or ["-"]]})
		self.assertEqual(len(logs), 1)
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Issue", "reference_name": issue.name, "comment_type": "Comment"},
			pluck="content",
		)
		self.assertTrue(any(logs[0] in c for c in comments), comments)
		# a deadlock is not swallowed: the request fails and the client retries
		with (
			patch.object(tickets, "sync_outage", side_effect=frappe.QueryDeadlockError("deadlock")),
			self.assertRaises(frappe.QueryDeadlockError),
		):
			self.save(issue, "2026-06-01 10:00", subject="again")

	def test_other_doctypes_and_no_rules_take_the_fast_path(self):
		with patch.object(tickets, "sync_outage") as sync:
			frappe.get_doc({"doctype": "ToDo", "description": "not a ticket"}).insert()
			sync.assert_not_called()
			self.set_rules()  # saving SLA Settings drops the cached rules
			self.assertEqual(tickets.rules(), {})
			self.new_issue()
			sync.assert_not_called()
			self.set_rules(RULE)
			self.new_issue()
			sync.assert_called_once()

	def test_a_migration_before_the_rules_table_exists_passes_and_caches_nothing(self):
		# bench migrate syncs DocTypes (each insert runs the "*" on_update hook) before this app's rule
		# table is created: Frappe raises its TableMissingError("DocType", ...) from the column lookup
		self.set_rules(RULE)
		tickets.clear_cache()
		missing = frappe.db.TableMissingError("DocType", tickets.RULE)
		with patch.object(frappe, "get_all", side_effect=missing):
			self.assertEqual(tickets.rules(), {})
		tickets.clear_cache()
		frappe.flags.in_migrate = True
		try:
			tickets.on_ticket_update(frappe.get_doc({"doctype": "ToDo", "description": "syncing"}))
			self.assertIsNone(frappe.local.flags.sla_mgmt_outage_rules)
		finally:
			frappe.flags.in_migrate = False
		self.assertIn("Issue", tickets.rules())
