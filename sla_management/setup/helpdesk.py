"""Helpdesk's agent UI (/helpdesk) shows the app's SLA fields of an HD Ticket in its ticket sidebar.

Helpdesk v1.x builds the agent sidebar (and the new-ticket form) from an "HD Ticket Template" — the
"Default" one unless a ticket names another — whose rows name HD Ticket fields, custom fields included
(``helpdesk.helpdesk.doctype.hd_ticket_template.api.get_fields_meta``). Adding the app's ``sla_mgmt_``
fields there shows them to agents; ``hide_from_customer`` keeps them off the customer portal. Helpdesk
draws every template field as an input (it ignores ``read_only``): a value an agent types into the SLA
status or a deadline is replaced by the app's own on the next save of the ticket.

Called after install and migrate (install.py) when Helpdesk is installed; idempotent; a template someone
removed a field from gets it back only when the field is missing, never twice.
"""

from __future__ import annotations

import frappe

TEMPLATE = "HD Ticket Template"
DEFAULT_TEMPLATE = "Default"
# project and service item first (what the agent chooses), then what the app measures
SIDEBAR_FIELDS = (
	"sla_mgmt_project",
	"sla_mgmt_service_item",
	"sla_mgmt_status",
	"sla_mgmt_response_by",
	"sla_mgmt_resolution_by",
)


def helpdesk_installed() -> bool:
	return bool(frappe.db.exists("DocType", TEMPLATE)) and bool(frappe.db.exists("DocType", "HD Ticket"))


def add_sla_fields_to_ticket_templates(templates: tuple[str, ...] = (DEFAULT_TEMPLATE,)) -> list[str]:
	"""Add the SLA fields to Helpdesk's ticket templates; returns the fields added (``template:field``)."""
	if not helpdesk_installed():
		return []
	meta = frappe.get_meta("HD Ticket")
	wanted = [f for f in SIDEBAR_FIELDS if meta.has_field(f)]
	added = []
	for name in templates:
		if not frappe.db.exists(TEMPLATE, name):
			continue
		doc = frappe.get_doc(TEMPLATE, name)
		present = {row.fieldname for row in doc.get("fields") or []}
		missing = [f for f in wanted if f not in present]
		if not missing:
			continue
		for fieldname in missing:
			doc.append("fields", {"fieldname": fieldname, "hide_from_customer": 1, "required": 0})
			added.append(f"{name}:{fieldname}")
		doc.flags.ignore_permissions = True
		doc.save()
	return added
