# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Races on one ticket, with real parallel database connections (``tests/parallel.py``), bounded.

One lock order everywhere: the ticket's row, then its timers. A save holds the ticket row from Frappe's
``load_doc_before_save``; a reply's sync and the sweep take it first. Database errors that end the
transaction (deadlock, lock wait timeout) fail the request instead of being logged and swallowed.

Each test commits its tickets (the other connections must see them) and deletes them afterwards.
"""

from __future__ import annotations

import threading
from unittest.mock import patch

import frappe

from sla_management.engine import ticket_cycle
from sla_management.sla_check.tickets import sweep
from sla_management.sla_check.tickets.test_ticket_sla import clock, issue_world, reply, sh, timers_of
from sla_management.sla_check.tickets.timer_store import TIMER, TIMER_PAUSE
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.parallel import run_parallel

WAIT = 8  # seconds a thread waits for the other before going on (bounds every test)


class TestTicketRaces(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = issue_world()
		frappe.db.commit()

	def setUp(self):
		self.tickets: list[str] = []
		self.addCleanup(self.delete_tickets)

	def delete_tickets(self):
		frappe.db.rollback()
		names = self.tickets + frappe.get_all("Issue", filters={"subject": "Race probe"}, pluck="name")
		if not names:
			return
		timers = frappe.get_all(
			TIMER, filters={"ticket_doctype": "Issue", "ticket": ("in", names)}, pluck="name"
		)
		if timers:
			frappe.db.delete(TIMER_PAUSE, {"parent": ("in", timers)})
			frappe.db.delete(TIMER, {"name": ("in", timers)})
		for doctype, field in (
			("Communication", "reference_name"),
			("Version", "docname"),
			("Notification Log", "document_name"),
			("Email Queue", "reference_name"),
			("Comment", "reference_name"),
			("ToDo", "reference_name"),
		):
			frappe.db.delete(doctype, {field: ("in", names)})
		frappe.db.delete("Issue", {"name": ("in", names)})
		frappe.db.commit()

	def committed_ticket(self, when: str) -> str:
		with clock(when) as now:
			doc = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "Race probe",
					"customer": self.world.customer,
					"priority": "P1",
					"opening_date": now.date(),
					"opening_time": now.time(),
				}
			).insert(ignore_permissions=True)
		self.tickets.append(doc.name)
		frappe.db.commit()
		return doc.name

	def set_status(self, name: str, status: str, when: str) -> None:
		with clock(when):
			doc = frappe.get_doc("Issue", name)
			doc.status = status
			doc.save(ignore_permissions=True)
		frappe.db.commit()

	def test_a_deadlock_in_sla_processing_fails_the_save_instead_of_committing_half_of_it(self):
		name = self.committed_ticket("2026-06-01 09:00")
		since = frappe.utils.now_datetime()  # rolled-back tickets' names come back, with older Error Logs
		for error in (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			with (
				self.subTest(error=error.__name__),
				patch("sla_management.sla_check.tickets.sync.load_timers", side_effect=error("1213")),
				clock("2026-06-01 09:30"),
			):
				doc = frappe.get_doc("Issue", name)
				doc.status = "On Hold"
				with self.assertRaises(error):
					doc.save(ignore_permissions=True)
			frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Issue", name, "status"), "Open")
		self.assertFalse(
			frappe.db.exists(
				"Error Log", {"reference_doctype": "Issue", "reference_name": name, "creation": (">=", since)}
			)
		)

	def test_a_status_change_during_a_sweep_of_the_same_ticket_neither_deadlocks_nor_is_lost(self):
		name = self.committed_ticket("2026-06-01 09:00")  # P1: respond by 10:00, resolve by 13:00
		due = [t.name for t in timers_of("Issue", name)]
		save_inside, sweep_locked = threading.Event(), threading.Event()
		real_sync, real_attach = ticket_cycle.sync, sweep.attach_pauses

		def held_sync(*args, **kwargs):
			# the save holds the ticket's row here; let the sweep lock what it locks, then write
			save_inside.set()
			sweep_locked.wait(WAIT)
			return real_sync(*args, **kwargs)

		def signalling_attach(rows):
			try:
				return real_attach(rows)
			finally:
				sweep_locked.set()

		def save():
			doc = frappe.get_doc("Issue", name)
			doc.status = "On Hold"
			doc.save(ignore_permissions=True)

		def run_sweep():
			save_inside.wait(WAIT)
			try:
				return sweep.process_due_timers(due, at=sh("2026-06-01 14:01"))
			finally:
				sweep_locked.set()

		with (
			clock("2026-06-01 14:00"),  # patched here, never in the threads (mock.patch is not thread-safe)
			patch.object(ticket_cycle, "sync", held_sync),
			patch.object(sweep, "attach_pauses", signalling_attach),
		):
			saved, swept = run_parallel(save, run_sweep, timeout=4 * WAIT)
		self.assertIsNone(saved.error, f"the save failed: {saved.error!r}")
		self.assertIsNone(swept.error, f"the sweep failed: {swept.error!r}")
		self.assertEqual(frappe.db.get_value("Issue", name, "status"), "On Hold")
		# both were overdue at 14:00; the resolution timer is paused from then on
		self.assertEqual(
			{t.metric: t.status for t in timers_of("Issue", name)},
			{"Response": "Breached", "Resolution": "Breached"},
		)
		resolution = next(t for t in timers_of("Issue", name) if t.metric == "Resolution")
		self.assertEqual(
			frappe.get_all(TIMER_PAUSE, filters={"parent": resolution.name}, pluck="pause_end"), [None]
		)

	def test_two_replies_reopening_a_resolved_ticket_start_one_new_cycle(self):
		name = self.committed_ticket("2026-06-01 09:00")
		reply("Issue", name, "2026-06-01 09:30")
		frappe.db.commit()
		self.set_status(name, "Resolved", "2026-06-01 11:00")
		real_sync = ticket_cycle.sync
		arrived = threading.Barrier(2)

		def slow_sync(*args, **kwargs):
			try:  # both replies have read the ticket before either writes
				arrived.wait(1)
			except threading.BrokenBarrierError:
				pass
			return real_sync(*args, **kwargs)

		def customer_reply():
			return (
				frappe.get_doc(
					{
						"doctype": "Communication",
						"communication_type": "Communication",
						"communication_medium": "Email",
						"sent_or_received": "Received",
						"reference_doctype": "Issue",
						"reference_name": name,
						"subject": "Re: ticket",
						"content": "It is broken again.",
						"communication_date": sh("2026-06-02 10:00"),
					}
				)
				.insert(ignore_permissions=True)
				.name
			)

		with clock("2026-06-02 10:00"), patch.object(ticket_cycle, "sync", slow_sync):
			outcomes = run_parallel(customer_reply, customer_reply, timeout=4 * WAIT)
		self.assertEqual([o.error for o in outcomes], [None, None])
		self.assertEqual(
			[(t.cycle, t.metric) for t in timers_of("Issue", name)],
			[(1, "Response"), (1, "Resolution"), (2, "Resolution")],
		)

	def test_a_ticket_insert_does_not_wait_for_an_open_sweep_transaction(self):
		name = self.committed_ticket("2026-06-01 09:00")
		due = [t.name for t in timers_of("Issue", name)]
		sweep_locked, inserted = threading.Event(), threading.Event()
		waited = {}
		real_attach = sweep.attach_pauses

		def holding_attach(rows):
			sweep_locked.set()
			# the sweep's transaction stays open until the other connection's insert is done (or WAIT)
			waited["insert done while the sweep held its locks"] = inserted.wait(WAIT)
			return real_attach(rows)

		def run_sweep():
			try:
				return sweep.process_due_timers(due, at=sh("2026-06-01 14:01"))
			finally:
				sweep_locked.set()

		def insert_due_ticket():
			sweep_locked.wait(WAIT)
			# opened at 09:00: its timers are due at once, in the sweep's next_check range
			doc = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "Race probe",
					"customer": self.world.customer,
					"priority": "P1",
					"opening_date": "2026-06-01",
					"opening_time": sh("2026-06-01 09:00").time(),
				}
			).insert(ignore_permissions=True)
			frappe.db.commit()
			inserted.set()
			return doc.name

		with clock("2026-06-01 14:00"), patch.object(sweep, "attach_pauses", holding_attach):
			swept, created = run_parallel(run_sweep, insert_due_ticket, timeout=4 * WAIT)
		self.assertIsNone(swept.error, repr(swept.error))
		self.assertIsNone(created.error, repr(created.error))
		self.tickets.append(created.value)
		self.assertEqual(waited, {"insert done while the sweep held its locks": True})
		self.assertEqual(len(timers_of("Issue", created.value)), 2)

	def test_the_database_refuses_a_second_timer_for_one_ticket_metric_and_cycle(self):
		name = self.committed_ticket("2026-06-01 09:00")
		first = frappe.get_doc(TIMER, timers_of("Issue", name)[0].name)
		copy = frappe.copy_doc(first)
		with self.assertRaises(frappe.UniqueValidationError):
			copy.db_insert()
