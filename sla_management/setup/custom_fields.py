"""Custom fields the app adds to ticket DocTypes of other apps (ERPNext Issue, Helpdesk HD Ticket).

Plain data, no ``frappe`` import: install.py creates these; uninstall (and deleting a ticket type) removes
every ``sla_mgmt_`` field.
"""

from sla_management.setup.ticket_doctypes import KNOWN_TICKET_DOCTYPES

FIELD_PREFIX = "sla_mgmt_"


def ticket_fields(insert_after: str) -> list[dict]:
	"""The SLA section of a ticket: what selection reads (project, service item) and what is stamped."""
	return [
		{
			"fieldname": "sla_mgmt_section",
			"label": "Service Level (ITSS)",
			"fieldtype": "Section Break",
			"insert_after": insert_after,
			"collapsible": 1,
			# open on a new ticket (choose its project and service item) and once SLA processing has a status
			"collapsible_depends_on": "eval:doc.__islocal || doc.sla_mgmt_status",
		},
		{
			"fieldname": "sla_mgmt_status",
			"label": "SLA Status",
			"fieldtype": "Select",
			"options": "\nNot Applied\nRunning\nPaused\nMet\nBreached\nError",
			"read_only": 1,
			"no_copy": 1,
			"in_standard_filter": 1,
			"in_list_view": 1,
			"insert_after": "sla_mgmt_section",
		},
		{
			"fieldname": "sla_mgmt_note",
			"label": "SLA Note",
			"fieldtype": "Small Text",
			"read_only": 1,
			"no_copy": 1,
			"insert_after": "sla_mgmt_status",
			"description": "Why no service level agreement applies, or why SLA processing failed.",
		},
		{
			"fieldname": "sla_mgmt_project",
			"label": "Service Project (Customer)",
			"fieldtype": "Link",
			"options": "SLA Service Project",
			"insert_after": "sla_mgmt_note",
			"description": "Only this project's agreements apply; empty: the customer's agreements.",
		},
		{
			"fieldname": "sla_mgmt_service_item",
			"label": "Service Item (Catalog)",
			"fieldtype": "Link",
			"options": "SLA Service Item",
			"insert_after": "sla_mgmt_project",
		},
		{
			"fieldname": "sla_mgmt_column",
			"fieldtype": "Column Break",
			"insert_after": "sla_mgmt_service_item",
		},
		{
			"fieldname": "sla_mgmt_agreement",
			"label": "Service Level Agreement",
			"fieldtype": "Link",
			"options": "SLA Agreement",
			"read_only": 1,
			"no_copy": 1,
			"insert_after": "sla_mgmt_column",
		},
		{
			"fieldname": "sla_mgmt_response_by",
			"label": "Respond By",
			"fieldtype": "Datetime",
			"read_only": 1,
			"no_copy": 1,
			"insert_after": "sla_mgmt_agreement",
		},
		{
			"fieldname": "sla_mgmt_resolution_by",
			"label": "Resolve By",
			"fieldtype": "Datetime",
			"read_only": 1,
			"no_copy": 1,
			"insert_after": "sla_mgmt_response_by",
		},
		{
			# the current cycle's SLA Timers as JSON, kept with the ticket's row so that a save needs no timer
			# read (sla_check/tickets/timer_store.py); "Code": not listed in the ticket's Version history
			"fieldname": "sla_mgmt_timer_state",
			"label": "SLA Timer State",
			"fieldtype": "Code",
			"options": "JSON",
			"hidden": 1,
			"read_only": 1,
			"no_copy": 1,
			"print_hide": 1,
			"report_hide": 1,
			"insert_after": "sla_mgmt_resolution_by",
		},
	]


def get_custom_fields() -> dict[str, list[dict]]:
	"""Custom fields per ticket DocType, whether or not that DocType exists on the site."""
	return {doctype: ticket_fields(anchor) for doctype, anchor in KNOWN_TICKET_DOCTYPES.items()}


# -- the company of a service project (ERPNext sites only) ---------------------------------------------------

COMPANY_DOCTYPE = "Company"  # ERPNext's; a Helpdesk-only site has none and gets no company field
PROJECT_DOCTYPE = "SLA Service Project"
COMPANY_FIELD = "company"


def project_company_fields() -> list[dict]:
	"""The company a service project belongs to (multi-company ERPNext sites): the SLA KPI and SLA
	Attainment reports can be narrowed to one company. Named ``company`` as in ERPNext, so a new project
	takes the user's default company (Frappe fills a Link from the user default of its fieldname)."""
	return [
		{
			"fieldname": COMPANY_FIELD,
			"label": "Company",
			"fieldtype": "Link",
			"options": COMPANY_DOCTYPE,
			"insert_after": "status",
			"in_standard_filter": 1,
			"remember_last_selected_value": 1,
		},
	]


def get_company_fields() -> dict[str, list[dict]]:
	"""Custom fields created only where the DocType Company exists (install.py), deleted on uninstall."""
	return {PROJECT_DOCTYPE: project_company_fields()}
