# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of SLA on Frappe Helpdesk's HD Ticket (skipped where Helpdesk is not installed).

The generic walk of ``test_ticket_sla`` (stamping, first response, pause/resume, priority change, breach,
escalation levels, resolution, reopen) runs on HD Ticket, plus Helpdesk's own paths: an agent's reply
through ``HD Ticket.reply_via_agent`` (which moves the ticket to "Replied" when Helpdesk's
``auto_update_status`` is on) and a customer's reply through ``create_communication_via_contact``.

Helpdesk's own SLA (HD Service Level Agreement) keeps running beside ours: it needs every ticket priority
in the SLA that applies, so the test adds a Helpdesk SLA for the P1/P2 priorities our agreement uses.
"""

from __future__ import annotations

import unittest
from contextlib import contextmanager
from unittest.mock import patch

import frappe
from frappe import _

from sla_management.sla_check.tickets import config, test_ticket_sla as walk
from sla_management.sla_check.tickets.reading import opening_of
from sla_management.sla_check.tickets.setup import DEFAULT_TICKET_TYPES, ensure_default_ticket_types
from sla_management.tests.compat import IntegrationTestCase

HD_TICKET = "HD Ticket"
HD_CUSTOMER = "HD Customer"
HD_PREFIX = "_Test HD Tickets"
HD_SLA = f"{HD_PREFIX} SLA"
RAISED_BY = "hd.customer@example.com"
PROBLEM = "<p>Nobody can send mail.</p>"  # HD Ticket.after_insert turns it into the first Communication
HOUR = walk.HOUR
sh, timer, timers_of, alerts = walk.sh, walk.timer, walk.timers_of, walk.alerts


@contextmanager
def clock(when: str):
	"""The walk's frozen clock, also for new documents' defaults: Communication's ``communication_date``
	("Now"), HD Ticket's ``opening_date`` ("Today") and ``opening_time`` (Frappe fills every Time field)."""
	with (
		walk.clock(when) as now,
		patch("frappe.model.create_new.now_datetime", return_value=now),
		patch("frappe.model.create_new.nowdate", return_value=now.date().isoformat()),
		patch("frappe.model.create_new.nowtime", return_value=now.strftime("%H:%M:%S.%f")),
	):
		yield now


def make_hd_customer(customer_name: str) -> str:
	return frappe.get_doc({"doctype": HD_CUSTOMER, "customer_name": customer_name}).insert().name


def make_hd_world() -> frappe._dict:
	"""The walk's world (calendar, users, escalation levels, signed agreement with P1/P2 targets) with an
	SLA Service Project whose customer is an HD Customer."""
	with (
		patch.object(walk, "PREFIX", HD_PREFIX),
		patch.object(walk, "customer_doctype", return_value=HD_CUSTOMER),
		patch.object(walk, "make_customer", side_effect=make_hd_customer),
	):
		return walk.make_world()


def make_helpdesk_sla() -> None:
	"""Helpdesk throws on a ticket whose priority its SLA lacks: a Helpdesk SLA for P1/P2 (5x8)."""
	for value, priority in enumerate(("P1", "P2"), start=1):
		if not frappe.db.exists("HD Ticket Priority", priority):
			frappe.get_doc(
				{"doctype": "HD Ticket Priority", "name": priority, "integer_value": value}
			).insert(set_name=priority)
	if frappe.db.exists("HD Service Level Agreement", HD_SLA):
		return
	frappe.get_doc(
		{
			"doctype": "HD Service Level Agreement",
			"service_level": HD_SLA,
			"enabled": 1,
			"default_sla": 0,
			"apply_sla_for_resolution": 1,
			"holiday_list": frappe.db.get_value(
				"HD Service Level Agreement", {"default_sla": 1}, "holiday_list"
			),
			"priorities": [
				{"priority": "P1", "default_priority": 1, "response_time": HOUR, "resolution_time": 4 * HOUR},
				{"priority": "P2", "response_time": 2 * HOUR, "resolution_time": 8 * HOUR},
			],
			"pause_sla_on": [{"status": "Replied"}],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
			"support_and_resolution": [
				{"workday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			],
		}
	).insert()


def status_values(meta) -> set[str]:
	"""HD Ticket's statuses: Select options (Helpdesk ≤ 1.14) or HD Ticket Status records (later)."""
	field = meta.get_field("status")
	if field.fieldtype == "Link":
		return set(frappe.get_all(field.options, pluck="name"))
	return set((field.options or "").split("\n")) - {""}


class TestHDTicketSLA(walk.TicketWalkMixin, IntegrationTestCase):
	ticket_doctype = HD_TICKET
	status_field = "status"
	priority_field = "priority"
	paused_status = "Replied"  # Helpdesk has no "On Hold": Replied pauses (and counts as a response)
	open_status = "Open"
	resolved_status = "Resolved"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not frappe.db.exists("DocType", HD_TICKET):
			raise unittest.SkipTest(_("Frappe Helpdesk (HD Ticket) is not installed on this site"))
		ensure_default_ticket_types()
		make_helpdesk_sla()
		cls.world = make_hd_world()

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.set_single_value("HD Settings", "auto_update_status", 0)  # Helpdesk's default

	def new_ticket(self, when: str, priority: str = "P1", customer=..., **values):
		with clock(when) as now:
			return frappe.get_doc(
				{
					"doctype": HD_TICKET,
					"subject": "Mail server down",
					"description": PROBLEM,
					"raised_by": RAISED_BY,
					"customer": self.world.customer if customer is ... else customer,
					"priority": priority,
					"opening_date": now.date(),
					"opening_time": now.time(),
					**values,
				}
			).insert(ignore_permissions=True)

	def agent_reply(self, doc, when: str):
		"""An agent's reply the way Helpdesk's agent UI sends it (outgoing Communication + queued mail)."""
		with clock(when):
			doc.reload()
			doc.reply_via_agent(message="<p>We are looking into it.</p>")

	def customer_reply(self, doc, when: str):
		"""A customer's reply the way Helpdesk's portal sends it (incoming Communication)."""
		with clock(when):
			doc.reload()
			doc.create_communication_via_contact("<p>Still broken.</p>")

	def test_default_ticket_type_matches_helpdesk(self):
		"""DEFAULT_TICKET_TYPES' mapping names real HD Ticket fields and statuses."""
		defaults = DEFAULT_TICKET_TYPES[HD_TICKET]
		meta = frappe.get_meta(HD_TICKET)
		self.assertEqual(meta.get_field(defaults["customer_field"]).options, defaults["customer_doctype"])
		self.assertEqual(meta.get_field(defaults["priority_field"]).options, "HD Ticket Priority")
		self.assertEqual(meta.get_field(defaults["opening_field"]).fieldtype, "Date")
		self.assertEqual(meta.get_field(defaults["opening_time_field"]).fieldtype, "Time")
		self.assertTrue(meta.has_field(defaults["status_field"]))
		statuses = {rule["status"] for rule in defaults["status_rules"]}
		self.assertEqual(statuses - status_values(meta), set(), "status rules name HD Ticket statuses")
		for fieldname in (
			"sla_mgmt_status",
			"sla_mgmt_agreement",
			"sla_mgmt_project",
			"sla_mgmt_resolution_by",
		):
			self.assertTrue(meta.has_field(fieldname), fieldname)
		self.assertIn(HD_TICKET, config.ticket_types())

	def test_opening_from_helpdesk_defaults(self):
		"""A ticket as Helpdesk creates it (opening date and time left to their defaults) opens at once."""
		with clock("2026-06-01 09:00") as now:
			doc = frappe.get_doc(
				{
					"doctype": HD_TICKET,
					"subject": "No opening given",
					"customer": self.world.customer,
					"priority": "P1",
				}
			).insert(ignore_permissions=True)
		self.assertEqual(opening_of(doc, config.ticket_types()[HD_TICKET]), now)
		self.assertEqual(
			frappe.db.get_value(HD_TICKET, doc.name, "sla_mgmt_response_by"), sh("2026-06-01 10:00")
		)
		self.assertEqual(timer(HD_TICKET, doc.name, "Resolution").project, self.world.project)

	def test_helpdesk_walk_agent_and_customer_replies(self):
		"""Replies through Helpdesk with auto_update_status: agent → Replied (respond + pause),
		customer → Open (resume); breach and escalation; resolved; a customer's reply reopens (cycle 2)."""
		frappe.db.set_single_value("HD Settings", "auto_update_status", 1)
		dt = HD_TICKET
		doc = self.new_ticket("2026-06-08 09:00")  # Monday
		name = doc.name
		doc.reload()
		self.assertEqual((doc.status, doc.sla_mgmt_status), ("Open", "Running"))
		# Helpdesk saves the new ticket again from its after_insert (the description becomes a
		# Communication): still one timer per metric
		self.assertEqual(
			[(t.cycle, t.metric) for t in timers_of(dt, name)], [(1, "Response"), (1, "Resolution")]
		)
		self.assertEqual(doc.sla_mgmt_agreement, self.world.agreement)
		self.assertEqual(frappe.get_value(dt, name, "sla_mgmt_response_by"), sh("2026-06-08 10:00"))
		self.assertEqual(frappe.get_value(dt, name, "sla_mgmt_resolution_by"), sh("2026-06-08 13:00"))
		# Helpdesk's own SLA runs beside ours, untouched
		self.assertEqual(doc.sla, HD_SLA)
		self.assertTrue(doc.response_by and doc.resolution_by)
		self.assertEqual(doc.agreement_status, "First Response Due")

		# the agent answers at 09:40: first response met, ticket Replied → resolution paused
		self.agent_reply(doc, "2026-06-08 09:40")
		doc.reload()
		self.assertEqual(doc.status, "Replied")
		self.assertTrue(doc.first_responded_on)
		response = timer(dt, name, "Response")
		self.assertEqual((response.status, response.stop), ("Met", sh("2026-06-08 09:40")))
		self.assertEqual(response.elapsed_seconds, 40 * 60)
		self.assertEqual(timer(dt, name, "Resolution").status, "Paused")
		self.assertEqual(doc.sla_mgmt_status, "Paused")
		self.assertTrue(
			frappe.db.exists("Email Queue", {"reference_doctype": dt, "reference_name": name}),
			"Helpdesk queued the reply mail",
		)

		# the customer answers at 10:40 through the portal: Open again, 1 h paused → deadline 14:00
		self.customer_reply(doc, "2026-06-08 10:40")
		self.assertEqual(frappe.db.get_value(dt, name, "status"), "Open")
		resolution = timer(dt, name, "Resolution")
		self.assertEqual((resolution.status, resolution.paused_seconds), ("Running", HOUR))
		self.assertEqual(resolution.deadline, sh("2026-06-08 14:00"))
		self.assertEqual(frappe.db.get_value(dt, name, "sla_mgmt_resolution_by"), sh("2026-06-08 14:00"))
		self.assertEqual(timer(dt, name, "Response").status, "Met")  # a received mail is no response

		# 75 % at 13:00, breach at 14:00: warning then the "Breach" escalation level
		self.assertEqual(self.sweep("2026-06-08 13:05", name)["alerts"], 1)
		self.assertEqual(alerts(dt, name, "Warn 75%"), 1)
		result = self.sweep("2026-06-08 14:01", name)
		self.assertEqual((result["alerts"], result["breached"]), (1, 1))
		resolution = timer(dt, name, "Resolution")
		self.assertEqual((resolution.status, resolution.breach_at), ("Breached", sh("2026-06-08 14:00")))
		self.assertEqual(resolution.last_level, 2)
		self.assertEqual(alerts(dt, name, "Breach"), 1)
		self.assertEqual(alerts(dt, name, "Breach", user=walk.OPS), 1)
		self.assertEqual(frappe.db.get_value(dt, name, "sla_mgmt_status"), "Breached")

		# resolved at 15:00 (stopped, stays breached)
		self.set_status(doc, "Resolved", "2026-06-08 15:00")
		resolution = timer(dt, name, "Resolution")
		self.assertEqual((resolution.status, resolution.stop), ("Breached", sh("2026-06-08 15:00")))

		# next morning the customer writes again: Helpdesk reopens the ticket → a new resolution cycle
		with clock("2026-06-09 10:00"):
			doc.reload()
			doc.create_communication_via_contact("<p>It is broken again.</p>")
		self.assertEqual(frappe.db.get_value(dt, name, "status"), "Open")
		self.assertEqual(
			[(t.cycle, t.metric, t.status) for t in timers_of(dt, name)],
			[(1, "Response", "Met"), (1, "Resolution", "Breached"), (2, "Resolution", "Running")],
		)
		second = timer(dt, name, "Resolution", cycle=2)
		self.assertEqual((second.start, second.deadline), (sh("2026-06-09 10:00"), sh("2026-06-09 14:00")))
		self.set_status(doc, "Closed", "2026-06-09 11:00")
		self.assertEqual(timer(dt, name, "Resolution", cycle=2).status, "Met")
		self.assertEqual(frappe.db.get_value(dt, name, "sla_mgmt_status"), "Met")

	def test_agent_reply_without_auto_status_only_responds(self):
		"""With Helpdesk's default (auto_update_status off) a reply is the first response, no pause."""
		doc = self.new_ticket("2026-06-08 09:00")
		self.agent_reply(doc, "2026-06-08 09:30")
		self.assertEqual(frappe.db.get_value(HD_TICKET, doc.name, "status"), "Open")
		response = timer(HD_TICKET, doc.name, "Response")
		self.assertEqual((response.status, response.stop), ("Met", sh("2026-06-08 09:30")))
		self.assertEqual(timer(HD_TICKET, doc.name, "Resolution").status, "Running")
		self.assertEqual(frappe.db.get_value(HD_TICKET, doc.name, "sla_mgmt_status"), "Running")
