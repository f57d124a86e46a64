# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The ticket's timer state (``sla_mgmt_timer_state``): a save finds its timers in the ticket's own locked
row, and the state always says what the SLA Timer rows say — after every save path, a reply, the sweep and
an error; a value sent by a client is never taken."""

from __future__ import annotations

import json
from decimal import Decimal
from unittest.mock import patch

import frappe

from sla_management.sla_check.tickets.sweep import process_due_timers
from sla_management.sla_check.tickets.test_ticket_sla import clock, issue_world, new_issue, reply, sh
from sla_management.sla_check.tickets.timer_store import STATE_FIELD, TIMER, load_timers, timers_from_state
from sla_management.tests.compat import IntegrationTestCase


def comparable(timer) -> dict:
	out = {}
	for key, value in timer.data.items():
		if isinstance(value, (float, Decimal)) or (type(value) is int and key != "cycle"):
			value = round(float(value), 3)
		out[key] = value
	out["pauses"] = [(p.name, p.pause_start, p.pause_end, p.ticket_status) for p in timer.pauses]
	return out


class TestTicketTimerState(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = issue_world()

	def new_ticket(self, when: str, priority: str = "P1"):
		return new_issue(self.world, when, priority)

	def save(self, name: str, when: str, **values):
		with clock(when):
			doc = frappe.get_doc("Issue", name)
			doc.update(values)
			doc.save(ignore_permissions=True, ignore_version=False)  # tests skip versions by default

	def assert_state_matches_the_timers(self, name: str):
		state = frappe.db.get_value("Issue", name, STATE_FIELD)
		self.assertTrue(state, "the ticket keeps its timer state")
		stored = load_timers("Issue", name)  # the SLA Timer rows
		cycle = max(t.data.cycle for t in stored)
		current = [comparable(t) for t in stored if t.data.cycle == cycle]
		self.assertEqual([comparable(t) for t in timers_from_state(state, "Issue", name)], current)

	def test_every_save_path_needs_no_timer_read_and_keeps_the_state_equal_to_the_timer_rows(self):
		name = self.new_ticket("2026-06-01 09:00").name
		self.assert_state_matches_the_timers(name)
		steps = [
			("2026-06-01 09:20", {"status": "On Hold"}),
			("2026-06-01 09:40", {"status": "Open"}),
			("2026-06-01 09:50", {"priority": "P2"}),
			("2026-06-01 11:00", {"status": "Resolved"}),
			("2026-06-01 11:30", {"status": "Open"}),
		]
		real_sql = frappe.db.sql
		for when, values in steps:
			with self.subTest(values=values):
				statements = []

				def recording(query, *args, _statements=statements, **kwargs):
					_statements.append(str(query))
					return real_sql(query, *args, **kwargs)

				with patch.object(frappe.db, "sql", side_effect=recording):
					self.save(name, when, **values)
				reads = [q for q in statements if q.lstrip().upper().startswith(("SELECT", "(SELECT"))]
				self.assertEqual([q for q in reads if f"tab{TIMER}" in q], [], "no timer read")
				self.assert_state_matches_the_timers(name)
		self.assertEqual(frappe.db.get_value("Issue", name, "sla_mgmt_status"), "Running")
		self.assertEqual(frappe.db.count(TIMER, {"ticket_doctype": "Issue", "ticket": name}), 3)
		reply("Issue", name, "2026-06-01 11:40")
		self.assert_state_matches_the_timers(name)

	def test_a_timer_state_sent_by_a_client_is_not_taken(self):
		name = self.new_ticket("2026-06-01 09:00").name
		stored = frappe.db.get_value("Issue", name, STATE_FIELD)
		forged = json.loads(stored)
		for row in forged["timers"]:
			row["target_seconds"] = 10 * 24 * 3600
		with clock("2026-06-01 09:10"):
			frappe.client.set_value("Issue", name, {STATE_FIELD: json.dumps(forged), "status": "On Hold"})
		self.assertNotIn("864000", frappe.db.get_value("Issue", name, STATE_FIELD))
		self.assertEqual(
			{float(t) for t in frappe.get_all(TIMER, {"ticket": name}, pluck="target_seconds")},
			{3600.0, 4 * 3600.0},
		)
		self.assert_state_matches_the_timers(name)

	def test_the_sweep_updates_the_state_of_the_tickets_it_measures(self):
		name = self.new_ticket("2026-06-01 09:00").name  # P1: respond by 10:00, resolve by 13:00
		at = sh("2026-06-01 13:30")
		due = frappe.get_all(TIMER, {"ticket_doctype": "Issue", "ticket": name}, pluck="name")
		frappe.db.set_value(TIMER, {"name": ("in", due)}, "next_check", at, update_modified=False)
		result = process_due_timers(due, at=at, commit=False)
		self.assertEqual(result["breached"], 1)
		self.assertEqual(
			set(frappe.get_all(TIMER, {"ticket": name}, pluck="status")), {"Breached"}, "both breached"
		)
		self.assert_state_matches_the_timers(name)
		# the next save goes on from the swept state
		self.save(name, "2026-06-01 14:00", status="Resolved")
		self.assert_state_matches_the_timers(name)
		self.assertEqual(frappe.db.get_value("Issue", name, "sla_mgmt_status"), "Breached")

	def test_an_error_clears_the_state_and_the_next_save_reads_the_timers_again(self):
		name = self.new_ticket("2026-06-01 09:00").name
		with patch(
			"sla_management.sla_check.tickets.sync.ticket_cycle.sync", side_effect=RuntimeError("boom")
		):
			self.save(name, "2026-06-01 09:10", status="On Hold")
		self.assertEqual(frappe.db.get_value("Issue", name, "sla_mgmt_status"), "Error")
		self.assertIsNone(frappe.db.get_value("Issue", name, STATE_FIELD))
		self.save(name, "2026-06-01 09:20", status="Open")
		self.assert_state_matches_the_timers(name)
		self.assertEqual(frappe.db.get_value("Issue", name, "sla_mgmt_status"), "Running")

	def test_a_timer_saved_as_a_document_clears_the_state_once_committed(self):
		name = self.new_ticket("2026-06-01 09:00").name
		timer = frappe.get_doc(TIMER, frappe.get_all(TIMER, {"ticket": name}, pluck="name")[0])
		timer.target_history = "edited by hand"
		with patch.object(frappe.db, "commit"):  # the test's rows are not committed
			timer.save(ignore_permissions=True)
			self.assertTrue(frappe.db.get_value("Issue", name, STATE_FIELD), "not before the commit")
			frappe.db.after_commit.run()
		self.assertIsNone(frappe.db.get_value("Issue", name, STATE_FIELD))
		self.save(name, "2026-06-01 09:10", status="On Hold")
		self.assert_state_matches_the_timers(name)
		self.assertIn("edited by hand", frappe.db.get_value(TIMER, timer.name, "target_history"))

	def test_the_state_is_not_written_into_the_tickets_version_history(self):
		name = self.new_ticket("2026-06-01 09:00").name
		self.save(name, "2026-06-01 09:20", status="On Hold")
		versions = frappe.get_all(
			"Version", {"ref_doctype": "Issue", "docname": name}, pluck="data", order_by="creation desc"
		)
		data = versions[0]
		changed = {row[0] for row in json.loads(data)["changed"]}
		self.assertIn("status", changed)
		self.assertNotIn(STATE_FIELD, changed)
		self.assertNotIn(STATE_FIELD, data)
