# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The SLA queue of agents and project managers (§5.3.1): open ticket timers, most urgent first.

Each open timer (running, paused or breached, not stopped) the caller may read — ``frappe.get_list`` on
SLA Timer, so the row rules apply (a project manager sees the timers of their projects) — measured now
by the engine in its calendar: business time left (negative: overdue), sorted by it. ``state``: all open,
due soon (from the warning share of the target on, see ``api.warning_fraction``) or breached.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import get_system_timezone

from sla_management.engine.ticket_timer import TIMER_FIELDS
from sla_management.engine.vocabulary import BREACHED, CANCELLED, PAUSED, RUNNING
from sla_management.sla_check.tickets import api, config
from sla_management.sla_check.tickets.timer_store import TIMER, attach_pauses

ALL_OPEN = "All Open"
DUE_SOON = "Due Soon"
STATES = (ALL_OPEN, DUE_SOON, BREACHED)
LIMIT = 1000


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	rows = get_data(filters)
	return get_columns(), rows, None, None, get_summary(rows)


def get_columns() -> list[dict]:
	return [
		# Data, not a Link to DocType: agents may not read DocType records
		{"fieldname": "ticket_doctype", "label": _("Ticket DocType"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "ticket",
			"label": _("Ticket"),
			"fieldtype": "Dynamic Link",
			"options": "ticket_doctype",
			"width": 150,
		},
		{"fieldname": "metric", "label": _("Metric"), "fieldtype": "Data", "width": 100},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 110},
		{"fieldname": "time_left", "label": _("Business Time Left"), "fieldtype": "Data", "width": 170},
		{"fieldname": "deadline", "label": _("Deadline"), "fieldtype": "Datetime", "width": 190},
		{"fieldname": "target", "label": _("Target"), "fieldtype": "Data", "width": 170},
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 70},
		{
			"fieldname": "project",
			"label": _("Service Project"),
			"fieldtype": "Link",
			"options": "SLA Service Project",
			"width": 200,
		},
		{"fieldname": "cycle", "label": _("Cycle"), "fieldtype": "Int", "width": 60},
		{"fieldname": "timer", "label": _("SLA Timer"), "fieldtype": "Link", "options": TIMER, "width": 110},
	]


def get_data(filters) -> list[dict]:
	state = filters.get("state") or ALL_OPEN
	if state not in STATES:
		frappe.throw(_("Unknown state {0}.").format(state), exc=frappe.ValidationError)
	conditions = [["stop", "is", "not set"], ["status", "!=", CANCELLED]]
	if filters.get("ticket_doctype"):
		conditions.append(["ticket_doctype", "=", filters.ticket_doctype])
	if filters.get("project"):
		conditions.append(["project", "=", filters.project])
	# no filter on the stored ``breached``: it is set by the sweep, minutes after the deadline; the live
	# measurement below decides
	rows = frappe.get_list(
		TIMER,
		filters=conditions,
		fields=list(TIMER_FIELDS),
		order_by="deadline asc",
		limit_page_length=LIMIT,
	)
	if not rows:
		return []
	zone = api.ZoneInfo(get_system_timezone())
	user_tz = api.ZoneInfo(api.user_timezone() or zone.key)
	now = frappe.utils.now_datetime()
	out = []
	for timer in attach_pauses([dict(r) for r in rows]):
		m = api.measure(timer, now, zone, user_tz)
		if state == DUE_SOON and not (m.get("warning") or (m["state"] == PAUSED and due_soon(timer, m))):
			continue
		if state == BREACHED and m["state"] != BREACHED:
			continue
		if m["state"] not in (RUNNING, PAUSED, BREACHED):
			continue
		out.append(
			{
				"ticket_doctype": timer.data.ticket_doctype,
				"ticket": timer.data.ticket,
				"metric": m["metric_label"],
				"status": _("Due Soon") if m.get("warning") else m["state_label"],
				"state": m["state"],
				"colour": m["colour"],
				"time_left": m.get("remaining_text") or "",
				"remaining_seconds": m.get("remaining_seconds"),
				"deadline": m.get("deadline"),
				"target": m["target_text"],
				"priority": timer.data.priority,
				"project": timer.data.project,
				"cycle": m["cycle"],
				"timer": timer.data.name,
			}
		)
	out.sort(key=lambda r: (r["remaining_seconds"] is None, r["remaining_seconds"] or 0))
	return out


def due_soon(timer, measured: dict) -> bool:
	"""A paused timer is due soon when as much of its target is used as makes a running one "due soon"."""
	fraction = measured.get("fraction")
	return fraction is not None and fraction >= api.warning_fraction(timer.data.metric)


def get_summary(rows: list[dict]) -> list[dict]:
	breached = sum(1 for r in rows if r["state"] == BREACHED)
	due = sum(1 for r in rows if r["colour"] == api.WARNING_COLOUR)
	return [
		{"label": _("Open Timers"), "value": len(rows), "datatype": "Int", "indicator": "blue"},
		{"label": _("Due Soon"), "value": due, "datatype": "Int", "indicator": "orange" if due else "green"},
		{
			"label": _("Breached"),
			"value": breached,
			"datatype": "Int",
			"indicator": "red" if breached else "green",
		},
	]


@frappe.whitelist()
def ticket_doctypes() -> list[str]:
	"""The ticket DocTypes (enabled SLA Ticket Types) for the report's filter."""
	return sorted(config.ticket_types())
