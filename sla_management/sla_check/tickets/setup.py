"""Default ticket types and the custom fields the app adds to ticket DocTypes (created and removed here)."""

from __future__ import annotations

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from sla_management.engine.vocabulary import PAUSE, RESOLVE, RESPOND
from sla_management.setup.custom_fields import FIELD_PREFIX, ticket_fields
from sla_management.setup.ticket_doctypes import KNOWN_TICKET_DOCTYPES
from sla_management.sla_check.tickets.config import TICKET_TYPE, clear_cache

# Out-of-the-box ticket DocTypes: ERPNext's Issue and Helpdesk's HD Ticket.
# Both name their fields alike; they differ in the customer DocType and the statuses.
_TICKET_FIELDS = {
	"customer_field": "customer",
	"project_field": "sla_mgmt_project",
	"service_item_field": "sla_mgmt_service_item",
	"priority_field": "priority",
	"status_field": "status",
	"opening_field": "opening_date",
	"opening_time_field": "opening_time",
}
DEFAULT_TICKET_TYPES: dict[str, dict] = {
	"Issue": {
		**_TICKET_FIELDS,
		"customer_doctype": "Customer",
		"status_rules": [
			{"status": "Replied", "effect": RESPOND},
			{"status": "Replied", "effect": PAUSE},
			{"status": "On Hold", "effect": PAUSE},
			{"status": "Resolved", "effect": RESOLVE},
			{"status": "Closed", "effect": RESOLVE},
		],
	},
	"HD Ticket": {
		**_TICKET_FIELDS,
		"customer_doctype": "HD Customer",
		"status_rules": [
			{"status": "Replied", "effect": RESPOND},
			# Helpdesk's statuses are Open/Replied/Resolved/Closed (v1.14 Select; later HD Ticket Status
			# records, where "Paused" is a category of Replied, not a status)
			{"status": "Replied", "effect": PAUSE},
			{"status": "Resolved", "effect": RESOLVE},
			{"status": "Closed", "effect": RESOLVE},
		],
	},
}


def ensure_ticket_fields(doctype: str, insert_after: str | None = None) -> None:
	"""Create (or update) the app's custom fields on a ticket DocType; idempotent. Issue and HD Ticket get
	their section where install puts it (setup/ticket_doctypes.py); others after ``insert_after``."""
	if not frappe.db.exists("DocType", doctype):
		return
	insert_after = KNOWN_TICKET_DOCTYPES.get(doctype) or insert_after
	meta = frappe.get_meta(doctype)
	if not insert_after or not meta.has_field(insert_after):
		data_fields = [f.fieldname for f in meta.fields if not f.fieldname.startswith(FIELD_PREFIX)]
		insert_after = data_fields[-1] if data_fields else None
	create_custom_fields({doctype: ticket_fields(insert_after)}, ignore_validate=True)


def ensure_default_ticket_types() -> None:
	"""Ticket types for Issue (ERPNext) and HD Ticket (Helpdesk) where those DocTypes exist; idempotent.

	Called from the app's after_install and after_migrate. Existing rows are left as the user set them.
	"""
	if not frappe.db.table_exists(TICKET_TYPE):
		return
	for doctype, defaults in DEFAULT_TICKET_TYPES.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		if frappe.db.exists(TICKET_TYPE, doctype):
			ensure_ticket_fields(doctype)
			continue
		doc = frappe.get_doc({"doctype": TICKET_TYPE, "ticket_doctype": doctype, "enabled": 1, **defaults})
		doc.insert(ignore_permissions=True)
	clear_cache()


def remove_ticket_fields(doctype: str | None = None) -> None:
	"""Delete the app's custom fields (``sla_mgmt_*``) from ``doctype``, or from every DocType."""
	filters = {"fieldname": ("like", FIELD_PREFIX + "%")}
	if doctype:
		filters["dt"] = doctype
	for name, dt in frappe.get_all("Custom Field", filters=filters, fields=["name", "dt"], as_list=True):
		frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=dt)
