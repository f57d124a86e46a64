"""Check (§5.3): the demo tickets, ERPNext Issues whose SLA timers run, pause, are met or breached."""

from __future__ import annotations

from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from sla_management.demo.data import CUSTOMERS, TICKETS, Ticket
from sla_management.demo.users import ensure_customer

PRIORITIES = ("P1", "P2", "P3")


def issue_tickets_enabled() -> bool:
	"""Whether ERPNext's Issue exists and this app's ticket integration is enabled for it."""
	if not frappe.db.exists("DocType", "Issue"):
		return False
	try:
		from sla_management.sla_check.tickets import config
	except ImportError:
		return False
	return "Issue" in config.ticket_types()


def make_tickets(projects: dict[str, str]) -> list[str]:
	if not issue_tickets_enabled():
		return []
	ensure_issue_priorities()
	now = now_datetime()
	names = []
	for ticket in TICKETS:
		customer = ensure_customer(ticket.customer)
		name = frappe.db.get_value("Issue", {"subject": ticket.subject, "customer": customer})
		names.append(name or open_issue(ticket, customer, projects[ticket.customer], now))
	return names


def ensure_issue_priorities():
	for priority in PRIORITIES:
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority"}).insert(set_name=priority)


def open_issue(ticket: Ticket, customer: str, project: str, now) -> str:
	"""The service desk records the ticket (opened ``opened_minutes_ago``), then moves it on."""
	opened = now - timedelta(minutes=ticket.opened_minutes_ago)
	values = {
		"doctype": "Issue",
		"subject": ticket.subject,
		"customer": customer,
		"priority": ticket.priority,
		"raised_by": next(c.contact_email for c in CUSTOMERS if c.name == ticket.customer),
		"opening_date": opened.date(),
		"opening_time": opened.time().replace(microsecond=0),
		"description": f"<p>{ticket.subject} (demo ticket).</p>",
	}
	meta = frappe.get_meta("Issue")
	for fieldname, value in (("sla_mgmt_project", project), ("sla_mgmt_service_item", ticket.service_item)):
		if meta.has_field(fieldname):
			values[fieldname] = value
	doc = frappe.get_doc(values).insert()
	for status in ticket.statuses:
		doc = frappe.get_doc("Issue", doc.name)
		doc.status = status
		doc.save()
	return doc.name


def demo_timers(tickets: list[str], field: str = "name") -> list:
	"""A field (``name`` or e.g. ``status``) of each SLA Timer of the demo Issues."""
	if not tickets or not frappe.db.exists("DocType", "SLA Timer"):
		return []
	return frappe.get_all(
		"SLA Timer", filters={"ticket_doctype": "Issue", "ticket": ("in", tickets)}, pluck=field
	)
