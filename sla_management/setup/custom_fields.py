"""Custom fields the app adds to ticket DocTypes of other apps (ERPNext Issue, Helpdesk HD Ticket).

Plain data, no ``frappe`` import: install.py creates exactly these and uninstall removes exactly these.
"""

from sla_management.setup.ticket_doctypes import KNOWN_TICKET_DOCTYPES


def _ticket_fields(insert_after: str) -> list[dict]:
	return [
		{
			"fieldname": "sla_mgmt_section",
			"label": "Service Level (ITSS)",
			"fieldtype": "Section Break",
			"insert_after": insert_after,
			"collapsible": 1,
		},
		{
			"fieldname": "sla_mgmt_status",
			"label": "SLA Status",
			"fieldtype": "Select",
			"options": "\nNot Applied\nRunning\nPaused\nMet\nBreached\nError",
			"read_only": 1,
			"in_standard_filter": 1,
			"insert_after": "sla_mgmt_section",
		},
		{
			"fieldname": "sla_mgmt_note",
			"label": "SLA Note",
			"fieldtype": "Small Text",
			"read_only": 1,
			"insert_after": "sla_mgmt_status",
			"description": "Why no service level agreement applies, or why SLA processing failed.",
		},
	]


def get_custom_fields() -> dict[str, list[dict]]:
	"""Custom fields per ticket DocType, whether or not that DocType exists on the site."""
	return {doctype: _ticket_fields(anchor) for doctype, anchor in KNOWN_TICKET_DOCTYPES.items()}
