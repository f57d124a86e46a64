"""What the demo holds, printed at the end of ``make_demo``."""

from __future__ import annotations

from collections import Counter

import frappe
from frappe import _

from sla_management.demo.check import demo_timers
from sla_management.demo.data import CUSTOMERS
from sla_management.demo.users import OPS, PM
from sla_management.engine.roles import OPERATIONS_MANAGER, PROJECT_MANAGER


def print_summary(summary: dict, kept: list[str]):
	lines = [_("SLA Management demo")]
	if kept:
		lines.append(_("Kept (still referenced): {0}").format(", ".join(kept)))
	for name in summary["calendars"].values():
		doc = frappe.get_doc("SLA Service Calendar", name)
		lines.append(
			_("Calendar {0} ({1}): {2} holidays, {3} make-up workdays").format(
				name, doc.timezone, len(doc.holidays), len({w.workday_date for w in doc.workdays})
			)
		)
	catalog = frappe.get_doc("SLA Service Catalog", summary["catalog"])
	lines.append(
		_("Catalog {0}: {1}, {2} service items").format(catalog.name, _(catalog.status), len(catalog.items))
	)
	for customer in CUSTOMERS:
		agreement = frappe.db.get_value(
			"SLA Agreement",
			summary["agreements"][customer.name],
			["name", "status", "valid_from", "valid_to"],
			as_dict=True,
		)
		lines.append(
			_("{0}: project {1}, requirement {2}, agreement {3} ({4}, {5} to {6})").format(
				customer.name,
				summary["projects"][customer.name],
				summary["requirements"][customer.name],
				agreement.name,
				_(agreement.status),
				agreement.valid_from,
				agreement.valid_to,
			)
		)
	lines.append(ticket_line(summary["tickets"]))
	lines.append(_("Users: {0} ({1}), {2} ({3})").format(PM, _(PROJECT_MANAGER), OPS, _(OPERATIONS_MANAGER)))
	print("\n".join(lines))


def ticket_line(tickets: list[str]) -> str:
	if not tickets:
		return _(
			"Tickets: none. Enable the SLA Ticket Type for Issue (ERPNext) and run the demo again to see SLA timers."
		)
	counts = Counter(demo_timers(tickets, "status"))
	by_status = ", ".join(f"{_(status)} {count}" for status, count in sorted(counts.items()))
	return _("Tickets: {0} Issues, {1} SLA Timers ({2})").format(
		len(tickets), sum(counts.values()), by_status or "-"
	)
