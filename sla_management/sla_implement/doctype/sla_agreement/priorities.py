# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The priorities a requirement line or an agreement target may name: those of the tickets.

A target matches a ticket by its priority, so a priority no ticket can have is a target that never applies.
The priorities are read from each enabled SLA Ticket Type's priority field: the options of a Select, the
records of a Link (ERPNext's Issue Priority, Helpdesk's HD Ticket Priority). A Data priority field, or no
ticket type with a priority field, leaves the choice free.
"""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.sla_check.tickets.config import ticket_types


def ticket_priorities() -> dict[str, list[str]]:
	"""Ticket DocType → its priorities, in their order; only ticket types whose priorities are a list."""
	out = {}
	for doctype, cfg in ticket_types().items():
		fieldname = cfg.get("priority_field")
		if not fieldname or not frappe.db.exists("DocType", doctype):
			continue
		df = frappe.get_meta(doctype).get_field(fieldname)
		if not df:
			continue
		if df.fieldtype == "Select":
			out[doctype] = [o for o in (df.options or "").split("\n") if o.strip()]
		elif df.fieldtype == "Link" and df.options and frappe.db.exists("DocType", df.options):
			out[doctype] = frappe.get_all(df.options, pluck="name", order_by="name asc")
	return out


def known_priorities() -> list[str] | None:
	"""Every ticket priority, without repeats; None when the tickets' priorities are free text."""
	lists = ticket_priorities()
	if not lists:
		return None
	return list(dict.fromkeys(p for priorities in lists.values() for p in priorities))


@frappe.whitelist()
def get_ticket_priorities(txt: str | None = None) -> list[str]:
	"""The priorities for the forms' autocomplete (all of them when the tickets' are free text: none)."""
	txt = (txt or "").casefold()
	return [p for p in known_priorities() or [] if txt in p.casefold()]


def check_rows(rows, row_label: str) -> None:
	"""Refuse rows whose ``priority`` is not a ticket priority; a match in other case takes its spelling.

	``row_label``: translated "... row {0}" for the message.
	"""
	known = known_priorities()
	if known is None:
		return
	by_key = {p.strip().casefold(): p for p in known}
	wrong = []
	for row in rows:
		value = (row.priority or "").strip()
		if not value:
			row.priority = None
			continue
		if value.casefold() in by_key:
			row.priority = by_key[value.casefold()]
		else:
			wrong.append(row)
	if wrong:
		frappe.throw(
			"<br>".join(
				_("{0}: {1} is not a priority of the tickets. Choose one of: {2}.").format(
					row_label.format(row.idx),
					frappe.bold(frappe.utils.escape_html(row.priority)),
					", ".join(known),
				)
				for row in wrong
			),
			title=_("Unknown Priority"),
		)
