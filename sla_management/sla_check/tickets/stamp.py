"""The ticket's SLA fields (``sla_mgmt_*``): written onto the ticket, without hooks or ``modified``."""

from __future__ import annotations

import frappe

STAMP_FIELDS = (
	"sla_mgmt_status",
	"sla_mgmt_note",
	"sla_mgmt_agreement",
	"sla_mgmt_response_by",
	"sla_mgmt_resolution_by",
	"sla_mgmt_timer_state",
)


def stamp_ticket(
	doc,
	status=None,
	note="",
	agreement=...,
	response_by=...,
	resolution_by=...,
	timer_state=None,
	write: bool = True,
) -> dict:
	"""Set the SLA fields on the ticket; with ``write``, also in the database (one UPDATE, without
	touching ``modified`` or running hooks). ``...``: leave that field as it is. ``timer_state``: the
	ticket's timer state (``timer_store.timer_state``); None clears it (the timers are then read)."""
	values = {"sla_mgmt_status": status, "sla_mgmt_note": note or None, "sla_mgmt_timer_state": timer_state}
	if agreement is not ...:
		values["sla_mgmt_agreement"] = agreement
	if response_by is not ...:
		values["sla_mgmt_response_by"] = response_by
	if resolution_by is not ...:
		values["sla_mgmt_resolution_by"] = resolution_by
	meta = getattr(doc, "meta", None) or frappe.get_meta(doc.doctype)  # a Document keeps its meta
	values = {k: v for k, v in values.items() if meta.has_field(k) and doc.get(k) != v}
	if values and write:
		assignments = ", ".join(f"`{fieldname}` = %s" for fieldname in values)
		frappe.db.sql(
			f"UPDATE `tab{doc.doctype}` SET {assignments} WHERE `name` = %s", [*values.values(), doc.name]
		)
	if values:
		doc.update(values)
	return values
