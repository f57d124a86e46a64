"""The ticket's SLA Timers in its Connections (hooks.py ``override_doctype_dashboards``).

An SLA Timer names its ticket in the Dynamic Link ``ticket`` (with ``ticket_doctype``): the dashboard counts
and lists the timers of this ticket only, in a group "SLA".
"""

from __future__ import annotations

from frappe import _

TIMER = "SLA Timer"


def add_sla_timers(data, doctype: str):
	data = dict(data or {})
	data.setdefault("fieldname", "name")
	non_standard = dict(data.get("non_standard_fieldnames") or {})
	non_standard[TIMER] = "ticket"
	data["non_standard_fieldnames"] = non_standard
	dynamic = dict(data.get("dynamic_links") or {})
	dynamic["ticket"] = [doctype, "ticket_doctype"]
	data["dynamic_links"] = dynamic
	transactions = [dict(t) for t in data.get("transactions") or []]
	if not any(TIMER in (t.get("items") or []) for t in transactions):
		transactions.append({"label": _("SLA"), "items": [TIMER]})
	data["transactions"] = transactions
	return data


def issue_dashboard(data=None):
	return add_sla_timers(data, "Issue")


def hd_ticket_dashboard(data=None):
	return add_sla_timers(data, "HD Ticket")
