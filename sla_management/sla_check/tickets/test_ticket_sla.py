# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of SLA on tickets, with frozen time: ERPNext Issue and a custom ticket DocType.

The service calendar is 5x8 (Mon–Fri 09:00–18:00) in Asia/Shanghai; times below are Shanghai wall-clock
and converted to the site's system time zone. P1: respond in 1 h, resolve in 4 h; P2: 2 h / 8 h.
Escalation levels: 75 % elapsed (both metrics), at breach (both), 2 h after breach (resolution only,
reassigns).
"""

from __future__ import annotations

import unittest
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime

from sla_management.engine import escalation_rules as rules
from sla_management.engine.roles import OPERATIONS_MANAGER, PROJECT_MANAGER
from sla_management.sla_check.tickets import agreements, config, sweep
from sla_management.sla_check.tickets.setup import ensure_default_ticket_types
from sla_management.sla_check.tickets.sync import system_tz
from sla_management.sla_check.tickets.timer_store import TIMER
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories import agreements as agreement_factory
from sla_management.tests.factories.plan import customer_doctype, make_customer, make_user

SH = ZoneInfo("Asia/Shanghai")
HOUR = 3600
PREFIX = "_Test Tickets"
CALENDAR = f"{PREFIX} 5x8 Shanghai"
PM = "tickets.pm@example.com"
OPS = "tickets.ops@example.com"
ESCALATE_TO = "tickets.lead@example.com"
CUSTOM_DT = "Test SLA Service Ticket"


def sh(value: str) -> datetime:
	"""Shanghai wall-clock → naive datetime in the site's system time zone (how Frappe stores it)."""
	return datetime.fromisoformat(value).replace(tzinfo=SH).astimezone(system_tz()).replace(tzinfo=None)


@contextmanager
def clock(value: str):
	now = sh(value)
	with (
		patch("frappe.utils.now_datetime", return_value=now),
		patch("frappe.utils.nowdate", return_value=now.date().isoformat()),
	):
		yield now


def set_levels():
	settings = frappe.get_doc("SLA Settings")
	settings.enabled = 1
	settings.set(
		"escalation_levels",
		[
			{"level_name": "Warn 75%", "trigger": rules.PERCENT, "percent": 75, "notify_project_manager": 1},
			{
				"level_name": "Breach",
				"trigger": rules.AFTER_BREACH,
				"offset": 0,
				"notify_roles": OPERATIONS_MANAGER,
				"notify_project_manager": 1,
				"email": 1,
			},
			{
				"level_name": "Escalate 2h",
				"trigger": rules.AFTER_BREACH,
				"offset": 2 * HOUR,
				"metric": "Resolution",
				"notify_users": ESCALATE_TO,
				"notify_project_manager": 0,
				"reassign_to": ESCALATE_TO,
				"email": 1,
			},
		],
	)
	settings.save()


def ensure_outgoing_email_account():
	"""E-mail levels need a default outgoing account (the queue is never sent in tests)."""
	if frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		return
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": f"{PREFIX} Outgoing",
			"email_id": "sla-tests@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)


def make_world() -> frappe._dict:
	ensure_outgoing_email_account()
	make_user(PM, PROJECT_MANAGER)
	make_user(OPS, OPERATIONS_MANAGER)
	make_user(ESCALATE_TO, OPERATIONS_MANAGER)
	customer_name = f"{PREFIX} Customer"
	ctype = customer_doctype()
	customer = customer_name if frappe.db.exists(ctype, customer_name) else make_customer(customer_name)
	if not frappe.db.exists("SLA Service Calendar", CALENDAR):
		frappe.get_doc(
			{
				"doctype": "SLA Service Calendar",
				"calendar_name": CALENDAR,
				"timezone": "Asia/Shanghai",
				"windows": [
					{"weekday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
					for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
				],
			}
		).insert()
	project = frappe.db.get_value("SLA Service Project", {"project_name": f"{PREFIX} Project"})
	if not project:
		project = (
			frappe.get_doc(
				{
					"doctype": "SLA Service Project",
					"project_name": f"{PREFIX} Project",
					"customer_type": ctype,
					"customer": customer,
					"project_manager": PM,
					"status": "Active",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	agreement = frappe.db.get_value(
		"SLA Agreement", {"agreement_title": f"{PREFIX} Agreement", "project": project, "docstatus": 1}
	)
	if not agreement:
		agreement = frappe.get_doc(
			{
				"doctype": "SLA Agreement",
				"agreement_title": f"{PREFIX} Agreement",
				"project": project,
				"calendar": CALENDAR,
				"catalog": agreement_factory.make_published_catalog(),
				"items": [{"service_item": agreement_factory.ITEMS[0]}],
				"valid_from": "2026-01-01",
				"valid_to": "2026-12-31",
				"targets": [
					{"priority": "P1", "response_time": HOUR, "resolution_time": 4 * HOUR},
					{"priority": "P2", "response_time": 2 * HOUR, "resolution_time": 8 * HOUR},
				],
				"pause_statuses": [],
			}
		).insert()
		agreement_factory.sign(agreement, today="2026-01-01")
		agreement = agreement.name
	set_levels()
	return frappe._dict(customer=customer, customer_type=ctype, project=project, agreement=agreement)


def issue_tickets() -> None:
	"""ERPNext's Issue as a ticket DocType; the test class is skipped on a site without ERPNext."""
	if not frappe.db.exists("DocType", "Issue"):
		raise unittest.SkipTest("ERPNext (Issue) is not installed on this site")
	ensure_default_ticket_types()


def issue_world() -> frappe._dict:
	"""ERPNext's Issue as a ticket DocType with priorities P1 and P2, and the world of ``make_world``;
	the test class is skipped on a site without ERPNext."""
	issue_tickets()
	for priority in ("P1", "P2"):
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority"}).insert(ignore_permissions=True, set_name=priority)
	return make_world()


def new_issue(world, when: str, priority: str = "P1", **values):
	"""An Issue of the world's customer, opened and inserted at ``when`` (frozen time)."""
	with clock(when) as now:
		return frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Printer on fire",
				"customer": world.customer,
				"priority": priority,
				"opening_date": now.date(),
				"opening_time": now.time(),
				**values,
			}
		).insert(ignore_permissions=True)


def timers_of(doctype: str, name: str) -> list[frappe._dict]:
	# an empty answer must mean "no timers", never "asked about nothing"
	assert doctype and name, f"timers_of needs a ticket DocType and name, got {doctype!r}, {name!r}"
	return frappe.get_all(
		TIMER,
		filters={"ticket_doctype": doctype, "ticket": name},
		fields=["*"],
		order_by="cycle asc, metric desc",
	)


def timer(doctype, name, metric, cycle=1) -> frappe._dict:
	return next(t for t in timers_of(doctype, name) if t.metric == metric and t.cycle == cycle)


def alerts(doctype, name, level_name, user=PM) -> int:
	"""Notification Logs of one level that ``user`` got for the ticket."""
	return frappe.db.count(
		"Notification Log",
		{
			"document_type": doctype,
			"document_name": name,
			"for_user": user,
			"subject": ("like", f"%({level_name})%"),
		},
	)


def reply(doctype, name, when: str, sent_or_received="Sent"):
	with clock(when) as now:
		return frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": sent_or_received,
				"reference_doctype": doctype,
				"reference_name": name,
				"subject": "Re: ticket",
				"content": "We are on it.",
				"communication_date": now,
			}
		).insert(ignore_permissions=True)


class TicketWalkMixin:
	"""The same walk for any ticket DocType; subclasses say how to create and change their tickets."""

	ticket_doctype: str
	status_field: str
	priority_field: str
	paused_status: str
	open_status: str
	resolved_status: str

	def new_ticket(self, when: str, priority: str = "P1"):
		raise NotImplementedError

	def set_status(self, doc, status: str, when: str):
		return self.save_field(doc, self.status_field, status, when)

	def set_priority(self, doc, priority: str, when: str):
		return self.save_field(doc, self.priority_field, priority, when)

	def save_field(self, doc, fieldname: str, value, when: str):
		"""Reload the ticket, set one field and save it, at ``when`` (Shanghai wall clock)."""
		with clock(when):
			doc.reload()
			doc.set(fieldname, value)
			doc.save(ignore_permissions=True)
		return doc

	def sweep(self, when: str, name: str) -> dict:
		"""The sweep's worker over the due timers of one ticket (other tests' timers stay out of it)."""
		at = sh(when)
		due = frappe.get_all(
			TIMER,
			# "is set" as well: Frappe's filter would treat an empty next_check as 0001-01-01
			filters=[
				["ticket_doctype", "=", self.ticket_doctype],
				["ticket", "=", name],
				["next_check", "is", "set"],
				["next_check", "<=", at],
			],
			pluck="name",
		)
		self.assertEqual(set(due) - set(sweep.due_timer_names(at)), set(), "the due query finds them")
		return sweep.process_due_timers(due, at=at, commit=False)

	def test_full_walk(self):
		dt = self.ticket_doctype
		doc = self.new_ticket("2026-06-01 09:00")  # Monday
		name = doc.name
		doc.reload()
		self.assertEqual(doc.sla_mgmt_status, "Running")
		self.assertEqual(doc.sla_mgmt_agreement, self.world.agreement)
		self.assertEqual(get_datetime(doc.sla_mgmt_response_by), sh("2026-06-01 10:00"))
		self.assertEqual(get_datetime(doc.sla_mgmt_resolution_by), sh("2026-06-01 13:00"))
		response = timer(dt, name, "Response")
		self.assertEqual(response.agreement, self.world.agreement)
		self.assertEqual(response.agreement_version, 1)
		self.assertEqual(response.project, self.world.project)
		self.assertEqual(response.next_check, sh("2026-06-01 09:45"))  # 75 % of 1 h
		self.assertEqual(timer(dt, name, "Resolution").next_check, sh("2026-06-01 12:00"))

		# 75 % of the response target: one warning, once
		self.assertEqual(self.sweep("2026-06-01 09:50", name)["alerts"], 1)
		self.assertEqual(alerts(dt, name, "Warn 75%"), 1)
		self.assertEqual(self.sweep("2026-06-01 09:55", name)["alerts"], 0)
		self.assertEqual(timer(dt, name, "Response").next_check, sh("2026-06-01 10:00"))

		# first response: an outgoing reply at 09:58
		reply(dt, name, "2026-06-01 09:58")
		response = timer(dt, name, "Response")
		self.assertEqual(response.status, "Met")
		self.assertEqual(response.stop, sh("2026-06-01 09:58"))
		self.assertIsNone(response.next_check)
		self.assertEqual(response.elapsed_seconds, 58 * 60)

		# pause 10:00–11:00 and resume: the resolution deadline moves by the pause
		self.set_status(doc, self.paused_status, "2026-06-01 10:00")
		resolution = timer(dt, name, "Resolution")
		self.assertEqual(resolution.status, "Paused")
		self.assertIsNone(resolution.next_check)
		self.assertEqual(frappe.db.get_value(dt, name, "sla_mgmt_status"), "Paused")
		self.set_status(doc, self.open_status, "2026-06-01 11:00")
		resolution = timer(dt, name, "Resolution")
		self.assertEqual(resolution.status, "Running")
		self.assertEqual(resolution.paused_seconds, HOUR)
		self.assertEqual(resolution.deadline, sh("2026-06-01 14:00"))
		pauses = frappe.get_all(
			"SLA Timer Pause", filters={"parent": resolution.name}, fields=["pause_start", "pause_end"]
		)
		self.assertEqual(
			[(p.pause_start, p.pause_end) for p in pauses], [(sh("2026-06-01 10:00"), sh("2026-06-01 11:00"))]
		)

		# priority change keeps elapsed and paused time: P2 (8 h) at 11:30 → 6.5 h left → 18:00
		self.set_priority(doc, "P2", "2026-06-01 11:30")
		resolution = timer(dt, name, "Resolution")
		self.assertEqual(resolution.target_seconds, 8 * HOUR)
		self.assertEqual(resolution.priority, "P2")
		self.assertEqual(resolution.deadline, sh("2026-06-01 18:00"))
		self.assertEqual(resolution.paused_seconds, HOUR)
		self.assertEqual(resolution.start, sh("2026-06-01 09:00"))
		self.assertIn("P1", resolution.target_history)
		self.assertEqual(timer(dt, name, "Response").target_seconds, HOUR)  # met: not retargeted
		self.set_priority(doc, "P1", "2026-06-01 11:40")
		resolution = timer(dt, name, "Resolution")
		self.assertEqual(resolution.deadline, sh("2026-06-01 14:00"))
		self.assertEqual(len(resolution.target_history.splitlines()), 2)

		# 75 % of 4 h elapsed at 13:00
		self.assertEqual(self.sweep("2026-06-01 13:05", name)["alerts"], 1)
		self.assertEqual(alerts(dt, name, "Warn 75%"), 2)  # one for response, one for resolution
		# breach at 14:00
		result = self.sweep("2026-06-01 14:01", name)
		self.assertEqual((result["alerts"], result["breached"]), (1, 1))
		resolution = timer(dt, name, "Resolution")
		self.assertEqual(resolution.status, "Breached")
		self.assertEqual(resolution.breach_at, sh("2026-06-01 14:00"))
		self.assertEqual(resolution.next_check, sh("2026-06-01 16:00"))
		self.assertEqual(frappe.db.get_value(dt, name, "sla_mgmt_status"), "Breached")
		self.assertEqual(alerts(dt, name, "Breach"), 1)
		self.assertTrue(
			frappe.db.exists("Email Queue", {"reference_doctype": dt, "reference_name": name}),
			"the breach level sends e-mail through the queue",
		)
		breach_users = set(
			frappe.get_all(
				"Notification Log",
				filters={"document_type": dt, "document_name": name, "subject": ("like", "%(Breach)%")},
				pluck="for_user",
			)
		)
		# the project manager + the role's enabled holders (the site may have more, e.g. ERPNext's test user)
		holders = frappe.get_all(
			"Has Role", filters={"role": OPERATIONS_MANAGER, "parenttype": "User"}, pluck="parent"
		)
		enabled = set(frappe.get_all("User", filters={"name": ("in", holders), "enabled": 1}, pluck="name"))
		self.assertEqual(breach_users, {PM} | enabled)
		self.assertLessEqual({PM, OPS, ESCALATE_TO}, breach_users)
		# 2 h after breach (wall clock): escalate and reassign, once
		self.assertEqual(self.sweep("2026-06-01 15:00", name)["alerts"], 0)
		self.assertEqual(self.sweep("2026-06-01 16:01", name)["alerts"], 1)
		self.assertEqual(alerts(dt, name, "Escalate 2h", user=ESCALATE_TO), 1)
		self.assertEqual(alerts(dt, name, "Escalate 2h"), 0)  # the project manager is not on this level
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{"reference_type": dt, "reference_name": name, "allocated_to": ESCALATE_TO, "status": "Open"},
			)
		)
		self.assertIsNone(timer(dt, name, "Resolution").next_check)
		self.assertEqual(self.sweep("2026-06-01 17:00", name)["alerts"], 0)
		self.assertEqual(timer(dt, name, "Resolution").last_level, 3)

		# resolution at 17:00: stopped, still breached
		self.set_status(doc, self.resolved_status, "2026-06-01 17:00")
		resolution = timer(dt, name, "Resolution")
		self.assertEqual((resolution.status, resolution.stop), ("Breached", sh("2026-06-01 17:00")))

		# reopen next morning: a new cycle is recorded, cycle 1 is untouched
		self.set_status(doc, self.open_status, "2026-06-02 10:00")
		all_timers = timers_of(dt, name)
		self.assertEqual(
			[(t.cycle, t.metric, t.status) for t in all_timers],
			[(1, "Response", "Met"), (1, "Resolution", "Breached"), (2, "Resolution", "Running")],
		)
		second = timer(dt, name, "Resolution", cycle=2)
		self.assertEqual(second.start, sh("2026-06-02 10:00"))
		self.assertEqual(second.deadline, sh("2026-06-02 14:00"))
		self.assertEqual(frappe.db.get_value(dt, name, "sla_mgmt_status"), "Running")
		self.set_status(doc, self.resolved_status, "2026-06-02 11:00")
		self.assertEqual(timer(dt, name, "Resolution", cycle=2).status, "Met")
		self.assertEqual(frappe.db.get_value(dt, name, "sla_mgmt_status"), "Met")

	def test_response_breach_by_status_respond_or_late_reply(self):
		dt = self.ticket_doctype
		doc = self.new_ticket("2026-06-03 17:30", priority="P1")  # Wednesday, 30 min before closing
		response = timer(dt, doc.name, "Response")
		self.assertEqual(response.deadline, sh("2026-06-04 09:30"))  # next working morning
		self.sweep("2026-06-04 09:31", doc.name)
		self.assertEqual(timer(dt, doc.name, "Response").status, "Breached")
		reply(dt, doc.name, "2026-06-04 09:40")
		response = timer(dt, doc.name, "Response")
		self.assertEqual((response.status, response.stop), ("Breached", sh("2026-06-04 09:40")))

	def test_no_agreement_marks_not_applied(self):
		doc = self.new_ticket("2026-06-01 09:00", customer=None)
		doc.reload()
		self.assertEqual(doc.sla_mgmt_status, "Not Applied")
		self.assertTrue(doc.sla_mgmt_note)
		self.assertEqual(timers_of(self.ticket_doctype, doc.name), [])

	def test_outside_validity_is_not_applied(self):
		doc = self.new_ticket("2027-02-01 09:00")
		doc.reload()
		self.assertEqual(doc.sla_mgmt_status, "Not Applied")

	def test_error_never_blocks_the_save(self):
		with patch("sla_management.sla_check.tickets.agreements.select", side_effect=RuntimeError("boom")):
			doc = self.new_ticket("2026-06-01 09:00")
		self.assertTrue(frappe.db.exists(self.ticket_doctype, doc.name))
		self.assertEqual(frappe.db.get_value(self.ticket_doctype, doc.name, "sla_mgmt_status"), "Error")
		self.assertTrue(
			frappe.db.exists(
				"Error Log", {"reference_doctype": self.ticket_doctype, "reference_name": doc.name}
			)
		)
		self.assertEqual(timers_of(self.ticket_doctype, doc.name), [])
		# a reply still goes out when SLA processing fails
		with patch("sla_management.sla_check.tickets.sync.load_timers", side_effect=RuntimeError("boom")):
			comm = reply(self.ticket_doctype, doc.name, "2026-06-01 09:30")
		self.assertTrue(frappe.db.exists("Communication", comm.name))


class TestIssueSLA(TicketWalkMixin, IntegrationTestCase):
	ticket_doctype = "Issue"
	status_field = "status"
	priority_field = "priority"
	paused_status = "On Hold"
	open_status = "Open"
	resolved_status = "Resolved"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = issue_world()

	def new_ticket(self, when: str, priority: str = "P1", **values):
		return new_issue(self.world, when, priority, **values)

	def test_custom_fields_present(self):
		meta = frappe.get_meta("Issue")
		for fieldname in (
			"sla_mgmt_status",
			"sla_mgmt_note",
			"sla_mgmt_agreement",
			"sla_mgmt_response_by",
			"sla_mgmt_resolution_by",
			"sla_mgmt_project",
			"sla_mgmt_service_item",
		):
			self.assertTrue(meta.has_field(fieldname), fieldname)
		# ERPNext's own SLA fields stay as they are (coexistence)
		self.assertTrue(meta.has_field("service_level_agreement"))

	def test_replied_status_is_first_response_and_pauses(self):
		doc = self.new_ticket("2026-06-01 09:00")
		self.set_status(doc, "Replied", "2026-06-01 09:20")
		self.assertEqual(timer("Issue", doc.name, "Response").status, "Met")
		self.assertEqual(timer("Issue", doc.name, "Resolution").status, "Paused")
		# a customer's answer (received) reopens it through db_set; the next save catches up
		self.set_status(doc, "Open", "2026-06-01 10:20")
		resolution = timer("Issue", doc.name, "Resolution")
		self.assertEqual((resolution.status, resolution.paused_seconds), ("Running", HOUR))

	def test_a_project_of_another_customer_is_not_applied_with_a_note(self):
		other = f"{PREFIX} Other Customer"
		if not frappe.db.exists(customer_doctype(), other):
			make_customer(other)
		doc = self.new_ticket("2026-06-01 09:00", customer=other, sla_mgmt_project=self.world.project)
		doc.reload()
		self.assertEqual(doc.sla_mgmt_status, "Not Applied")
		self.assertIsNone(doc.sla_mgmt_agreement)
		self.assertIn(self.world.project, doc.sla_mgmt_note)
		self.assertIn(self.world.customer, doc.sla_mgmt_note)
		self.assertEqual(timers_of("Issue", doc.name), [])
		# the project's own customer still gets it
		doc = self.new_ticket("2026-06-01 09:00", sla_mgmt_project=self.world.project)
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "sla_mgmt_agreement"), self.world.agreement)

	def test_missing_or_invalid_settings_mark_tickets_error_and_log_instead_of_switching_sla_off(self):
		frappe.db.savepoint("broken_settings")

		def restore():
			frappe.db.rollback(save_point="broken_settings")
			config.clear_cache()
			frappe.clear_document_cache(config.SETTINGS, config.SETTINGS)

		self.addCleanup(restore)
		for label, damage, expected in (
			("rows deleted", lambda: frappe.db.delete("Singles", {"doctype": config.SETTINGS}), "missing"),
			(
				"garbage in enabled",
				lambda: frappe.db.sql(
					"UPDATE `tabSingles` SET value = 'yes' WHERE doctype = %s AND field = 'enabled'",
					config.SETTINGS,
				),
				"invalid",
			),
		):
			with self.subTest(label):
				restore()
				frappe.db.savepoint("broken_settings")
				damage()
				config.clear_cache()
				doc = self.new_ticket("2026-06-01 09:00")
				doc.reload()
				self.assertEqual(doc.sla_mgmt_status, "Error")
				self.assertIn(expected, doc.sla_mgmt_note)
				self.assertIn("SLA Settings", doc.sla_mgmt_note)
				self.assertTrue(
					frappe.db.exists("Error Log", {"reference_doctype": "Issue", "reference_name": doc.name})
				)
		# control: switched off on purpose, tickets are left alone
		restore()
		frappe.db.savepoint("broken_settings")
		frappe.db.set_single_value(config.SETTINGS, "enabled", 0)
		config.clear_cache()
		doc = self.new_ticket("2026-06-01 09:00")
		self.assertFalse(frappe.db.get_value("Issue", doc.name, "sla_mgmt_status"))

	def test_without_a_service_item_no_agreement_is_guessed_between_two(self):
		second = frappe.get_doc(
			{
				"doctype": "SLA Agreement",
				"agreement_title": f"{PREFIX} Database Care",
				"project": self.world.project,
				"calendar": CALENDAR,
				"catalog": agreement_factory.make_published_catalog(),
				"items": [{"service_item": agreement_factory.ITEMS[1]}],
				"valid_from": "2026-01-01",
				"valid_to": "2026-12-31",
				"targets": [{"priority": "P1", "response_time": HOUR / 2, "resolution_time": 2 * HOUR}],
			}
		).insert()
		agreement_factory.sign(second, today="2026-01-01")
		doc = self.new_ticket("2026-06-01 09:00")
		doc.reload()
		self.assertEqual(doc.sla_mgmt_status, "Not Applied")
		self.assertIn("service item", doc.sla_mgmt_note)
		self.assertEqual(timers_of("Issue", doc.name), [])
		# choosing the item picks the agreement that lists it
		doc = self.new_ticket("2026-06-01 09:00", sla_mgmt_service_item=agreement_factory.ITEMS[1])
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "sla_mgmt_agreement"), second.name)
		doc = self.new_ticket("2026-06-01 09:00", sla_mgmt_service_item=agreement_factory.ITEMS[0])
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "sla_mgmt_agreement"), self.world.agreement)

	def test_non_ticket_doctypes_take_the_fast_path(self):
		self.assertNotIn("ToDo", config.ticket_types())
		with patch("sla_management.sla_check.tickets.events.sync_ticket") as sync:
			frappe.get_doc({"doctype": "ToDo", "description": "not a ticket"}).insert()
			sync.assert_not_called()
			self.new_ticket("2026-06-01 09:00")  # control: a ticket does reach the patched handler
		sync.assert_called()

	def test_stamped_version_kept_after_agreement_changes(self):
		doc = self.new_ticket("2026-06-01 09:00")
		frappe.db.set_value("SLA Agreement", self.world.agreement, "agreement_title", "changed")
		self.set_status(doc, "On Hold", "2026-06-01 09:30")
		self.assertEqual(timer("Issue", doc.name, "Resolution").agreement, self.world.agreement)
		self.assertEqual(timer("Issue", doc.name, "Resolution").target_seconds, 4 * HOUR)

	def test_candidate_agreements_cached_until_an_agreement_changes(self):
		agreements.clear_candidates_cache()
		# as in a later request (the test world was made in this transaction): candidates go to the cache
		frappe.flags[agreements.CHANGED_FLAG] = False
		with patch.object(agreements, "query_candidates", wraps=agreements.query_candidates) as query:
			self.new_ticket("2026-06-01 09:00")
			second = self.new_ticket("2026-06-01 10:00")
		self.assertEqual(query.call_count, 1, "the second ticket of the day reads the cache")
		self.assertEqual(
			frappe.db.get_value("Issue", second.name, "sla_mgmt_agreement"), self.world.agreement
		)

		# a status change through db_set (how the daily lifecycle moves agreements) drops the cache
		agreement = frappe.get_doc("SLA Agreement", self.world.agreement)
		self.addCleanup(agreement.db_set, "status", agreement.status)
		agreement.db_set("status", "Superseded")
		self.assertTrue(frappe.flags.get(agreements.CHANGED_FLAG), "uncommitted change: no caching")
		frappe.flags[agreements.CHANGED_FLAG] = False  # read through the cache anyway: it must be empty
		doc = self.new_ticket("2026-06-01 11:00")
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "sla_mgmt_status"), "Not Applied")

		# so does saving a calendar (the cached rows carry the calendar's version)
		frappe.cache.hset(agreements.CANDIDATES_CACHE, "probe", [])
		frappe.get_doc("SLA Service Calendar", CALENDAR).save()
		self.assertIsNone(frappe.cache.hget(agreements.CANDIDATES_CACHE, "probe"))


class TestCustomTicketSLA(TicketWalkMixin, IntegrationTestCase):
	ticket_doctype = CUSTOM_DT
	status_field = "state"
	priority_field = "urgency"
	paused_status = "Waiting"
	open_status = "Working"
	resolved_status = "Done"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ctype = customer_doctype()
		if not frappe.db.exists("DocType", CUSTOM_DT):
			frappe.get_doc(
				{
					"doctype": "DocType",
					"name": CUSTOM_DT,
					"module": "Custom",
					"custom": 1,
					"autoname": "hash",
					"fields": [
						{"fieldname": "subject", "fieldtype": "Data", "label": "Subject"},
						{"fieldname": "client", "fieldtype": "Link", "options": ctype, "label": "Client"},
						{
							"fieldname": "urgency",
							"fieldtype": "Select",
							"options": "P1\nP2",
							"label": "Urgency",
						},
						{
							"fieldname": "state",
							"fieldtype": "Select",
							"options": "New\nWorking\nWaiting\nDone",
							"default": "New",
							"label": "State",
						},
						{"fieldname": "opened_at", "fieldtype": "Datetime", "label": "Opened At"},
					],
					"permissions": [
						{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}
					],
				}
			).insert(ignore_permissions=True)
		if not frappe.db.exists(config.TICKET_TYPE, CUSTOM_DT):
			frappe.get_doc(
				{
					"doctype": config.TICKET_TYPE,
					"ticket_doctype": CUSTOM_DT,
					"customer_doctype": ctype,
					"customer_field": "client",
					"priority_field": "urgency",
					"status_field": "state",
					"opening_field": "opened_at",
					"status_rules": [
						{"status": "Waiting", "effect": "Pause"},
						{"status": "Done", "effect": "Resolve"},
					],
				}
			).insert(ignore_permissions=True)
		frappe.db.commit()  # the DDL above committed anyway; keep the state explicit
		cls.world = make_world()

	@classmethod
	def tearDownClass(cls):
		# roll the test data back first: dropping the DocType is DDL and commits
		frappe.db.rollback()
		frappe.db.delete(TIMER, {"ticket_doctype": CUSTOM_DT})
		frappe.delete_doc(config.TICKET_TYPE, CUSTOM_DT, ignore_permissions=True, force=True)
		frappe.delete_doc("DocType", CUSTOM_DT, ignore_permissions=True, force=True)
		frappe.db.commit()
		super().tearDownClass()

	def new_ticket(self, when: str, priority: str = "P1", customer=...):
		with clock(when) as now:
			return frappe.get_doc(
				{
					"doctype": CUSTOM_DT,
					"subject": "VPN down",
					"client": self.world.customer if customer is ... else customer,
					"urgency": priority,
					"state": "New",
					"opened_at": now,
				}
			).insert(ignore_permissions=True)

	def test_ticket_type_added_custom_fields(self):
		meta = frappe.get_meta(CUSTOM_DT)
		self.assertTrue(meta.has_field("sla_mgmt_status") and meta.has_field("sla_mgmt_resolution_by"))
		self.assertIn(CUSTOM_DT, config.ticket_types())
