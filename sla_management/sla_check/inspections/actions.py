"""A failed inspection line raises a ticket and/or an outage with one action (巡检, §5.3.1).

``raise_findings`` (whitelisted; the form's buttons Raise Ticket / Record Outage) works on the failed lines
of one inspection: for each, a ticket in the configured ticket DocType (the first enabled SLA Ticket Type,
its fields mapped as the ticket type says) and/or an open SLA Outage found by "Inspection", linked on the
line. Only who may write the inspection may do it; the ticket and outage are created on that authority.
Idempotent: the inspection row is locked and each line's links re-read, so pressing twice (or two users at
once) creates one ticket and one outage per line.
"""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.engine import inspections as rules

INSPECTION = "SLA Inspection"
OUTAGE = "SLA Outage"
RESULT = "SLA Inspection Result"
TICKET_TYPE = "SLA Ticket Type"
WHAT = (rules.TICKET, rules.OUTAGE, rules.TICKET_AND_OUTAGE)


@frappe.whitelist(methods=["POST"])
def raise_findings(inspection: str, what: str | None = None, rows=None) -> list[dict]:
	"""Raise ``what`` (Ticket, Outage, Ticket and Outage; None: each line's Raises on Failure) for the failed
	lines ``rows`` (names of result rows; None: every failed line). Returns the lines' links."""
	if what is not None and what not in WHAT:
		frappe.throw(_("Unknown action {0}.").format(what), exc=frappe.ValidationError)
	if not frappe.db.exists(INSPECTION, inspection):
		frappe.throw(_("Inspection {0} not found.").format(inspection), exc=frappe.DoesNotExistError)
	if not frappe.has_permission(INSPECTION, "write", doc=inspection):
		frappe.throw(_("You may not change inspection {0}.").format(inspection), exc=frappe.PermissionError)
	wanted = set(frappe.parse_json(rows) or []) if rows else None
	# the lock: a second press waits here, then reads the first one's links
	frappe.db.sql(f"SELECT name FROM `tab{INSPECTION}` WHERE name = %s FOR UPDATE", (inspection,))
	doc = frappe.get_doc(INSPECTION, inspection)
	# the links as committed: a locking read (the plain reads above may come from an older snapshot)
	stored = frappe.db.sql(
		f"SELECT name, passed, ticket_doctype, ticket, outage FROM `tab{RESULT}` WHERE parenttype = %s AND parent = %s"
		" FOR UPDATE",
		(INSPECTION, doc.name),
		as_dict=True,
	)
	links = {row.name: row for row in stored}
	for row in doc.results:
		if row.name in links:
			row.update({k: links[row.name][k] for k in ("passed", "ticket_doctype", "ticket", "outage")})
	if doc.docstatus == 2:
		frappe.throw(_("Inspection {0} is cancelled.").format(doc.name), exc=frappe.ValidationError)
	lines = [row for row in doc.results if wanted is None or row.name in wanted]
	if wanted is not None and len(lines) != len(wanted):
		frappe.throw(_("A chosen line is not a line of this inspection."), exc=frappe.ValidationError)
	failed = [row for row in lines if row.passed == rules.FAIL]
	if not failed or (wanted is not None and len(failed) != len(lines)):
		frappe.throw(
			_("Only a failed line (saved with Fail) raises a ticket or an outage."),
			exc=frappe.ValidationError,
			title=_("No Failed Line"),
		)
	out = []
	for row in failed:
		action = what or (row.raises if row.raises in WHAT else rules.TICKET)
		if rules.raises_ticket(action) and not row.ticket:
			ticket_doctype, ticket = create_ticket(doc, row)
			row.db_set({"ticket_doctype": ticket_doctype, "ticket": ticket})
		if rules.raises_outage(action) and not row.outage:
			row.db_set("outage", _outage_of_ticket(row) or create_outage(doc, row))
		out.append(
			{
				"row": row.name,
				"ticket_doctype": row.ticket_doctype,
				"ticket": row.ticket,
				"outage": row.outage,
			}
		)
	return out


def _finding(doc, row) -> str:
	return _("{0}: expected {1}, found {2}").format(row.check, row.expected or "-", row.result or "-")


def create_ticket(doc, row) -> tuple[str, str]:
	"""A ticket of the first enabled SLA Ticket Type for the failed line, mapped by that ticket type."""
	types = frappe.get_all(
		TICKET_TYPE,
		filters={"enabled": 1},
		fields=[
			"ticket_doctype",
			"customer_doctype",
			"customer_field",
			"project_field",
			"service_item_field",
		],
		order_by="creation asc",
		limit=1,
	)
	if not types:
		frappe.throw(
			_("No ticket type is enabled: enable an SLA Ticket Type to raise tickets from inspections."),
			exc=frappe.ValidationError,
			title=_("No Ticket Type"),
		)
	cfg = types[0]
	meta = frappe.get_meta(cfg.ticket_doctype)
	values = {
		"subject": _("Inspection {0} failed: {1}").format(doc.name, row.check),
		"description": "<p>{}</p><p>{}</p>".format(
			frappe.utils.escape_html(_finding(doc, row)), frappe.utils.escape_html(row.note or "")
		),
	}
	if cfg.customer_field and (cfg.customer_doctype or "Customer") == doc.customer_type:
		values[cfg.customer_field] = doc.customer
	if cfg.project_field:
		values[cfg.project_field] = doc.project
	if cfg.service_item_field:
		values[cfg.service_item_field] = row.service_item or doc.service_item
	ticket = frappe.get_doc(
		{"doctype": cfg.ticket_doctype, **{k: v for k, v in values.items() if v and meta.has_field(k)}}
	)
	ticket.insert(ignore_permissions=True)  # authorised by the write right on the inspection
	return ticket.doctype, ticket.name


def _outage_of_ticket(row) -> str | None:
	"""The outage the new ticket opened already (a ticket type that records outages): linked, not doubled."""
	if not row.ticket:
		return None
	return frappe.db.get_value(OUTAGE, {"ticket_doctype": row.ticket_doctype, "ticket": row.ticket}, "name")


def create_outage(doc, row) -> str:
	"""An open outage (Down, found by Inspection) of the line's service item, from now."""
	service_item = row.service_item or doc.service_item
	if not service_item:
		frappe.throw(
			_(
				"Line {0} names no service item: set it on the line (or on the plan) to record an outage."
			).format(row.idx),
			exc=frappe.ValidationError,
			title=_("No Service Item"),
		)
	outage = frappe.get_doc(
		{
			"doctype": OUTAGE,
			"service_item": service_item,
			"project": doc.project,
			"kind": "Down",
			"start": frappe.utils.now_datetime(),
			"found_by": "Inspection",
			"cause": _finding(doc, row),
			"confirmed_by": frappe.session.user,
			"ticket_doctype": row.ticket_doctype if row.ticket else None,
			"ticket": row.ticket or None,
		}
	)
	outage.insert(ignore_permissions=True)  # authorised by the write right on the inspection
	return outage.name
