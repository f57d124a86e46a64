from sla_management.engine import access as _access

app_name = "sla_management"
app_title = "SLA Management"
app_publisher = "sla_management developers"
app_description = (
	"IT Service Level Management (ITSS): service catalog, SLA requirements, agreements, "
	"ticket SLA timers, availability, service reports and the yearly SLA KPI"
)
app_email = "dev@sla-management.local"
app_license = "mit"
app_icon = "octicon octicon-pulse"
app_color = "blue"

# No required_apps: Frappe is implied, and ERPNext and Helpdesk are optional neighbours — the app adapts
# to whichever ticket DocTypes exist.

# Installation
# ------------
after_install = "sla_management.install.after_install"
after_migrate = "sla_management.install.after_migrate"
before_uninstall = "sla_management.install.before_uninstall"

# Permissions (§4): per-row rules for project managers and portal customers, declared per DocType in
# engine/access.py (rows, child tables, bound rows, the tickets of Issue / HD Ticket, whose project field
# comes from their SLA Ticket Type) and evaluated by common/permissions.py; the validate doc_event of the
# same DocTypes is added below doc_events
# ---------------------------------------------------------------------------------------------------
permission_query_conditions = {
	doctype: "sla_management.common.permissions.query_conditions"
	for doctype in (*_access.ROW_RULES, *_access.CHILD_RULES, *_access.TICKET_DOCTYPES)
}
has_permission = {
	doctype: "sla_management.common.permissions.has_permission"
	for doctype in (*_access.ROW_RULES, *_access.BOUND_ROWS, *_access.TICKET_DOCTYPES)
}
# Frappe v15's frappe.client.get_count counts every row of any DocType (frappe.db.count, no permission
# check): the override counts what the caller may read, as get_list does
override_whitelisted_methods = {"frappe.client.get_count": "sla_management.common.permissions.get_count"}

# Tickets (§5.3.1): any DocType configured as a ticket; the handler returns at once for other DocTypes
# -----------------------------------------------------------------------------------------------------
doc_events = {
	"*": {
		"before_save": "sla_management.sla_check.tickets.events.on_ticket_change",
		"after_insert": "sla_management.sla_check.tickets.events.on_ticket_change",
		"on_update": [
			"sla_management.sla_check.tickets.events.on_ticket_change",
			# after the ticket handler, which stamps the agreement the ticket's outage belongs to
			"sla_management.sla_check.outages.tickets.on_ticket_update",
		],
	},
	"Communication": {
		# on_update, not after_insert: Frappe moves the ticket's status after the reply is inserted
		"on_update": "sla_management.sla_check.tickets.events.on_communication",
	},
	# a timer saved or deleted as a document (not by SLA processing): its ticket's timer state is cleared
	"SLA Timer": {
		"after_insert": "sla_management.sla_check.tickets.events.on_timer_change",
		"on_update": "sla_management.sla_check.tickets.events.on_timer_change",
		"on_trash": "sla_management.sla_check.tickets.events.on_timer_change",
	},
	# the ticket handler caches which agreements cover a customer or project on a date: any change of an
	# agreement or calendar drops that cache (on_change also runs for db_set, e.g. lifecycle status changes)
	"SLA Agreement": {
		"on_change": "sla_management.sla_check.tickets.agreements.on_agreement_change",
		"on_trash": "sla_management.sla_check.tickets.agreements.on_agreement_change",
		"after_rename": "sla_management.sla_check.tickets.agreements.on_agreement_change",
	},
	"SLA Service Calendar": {
		"on_change": "sla_management.sla_check.tickets.agreements.on_agreement_change",
		"on_trash": "sla_management.sla_check.tickets.agreements.on_agreement_change",
		"after_rename": "sla_management.sla_check.tickets.agreements.on_agreement_change",
	},
}
# Permissions: a save is judged on the row as stored and as changed, after the controller ran
for _doctype in (*_access.ROW_RULES, *_access.BOUND_ROWS):
	doc_events.setdefault(_doctype, {})["validate"] = "sla_management.common.permissions.check_row_change"


# Scheduled work: every job only enqueues chunked, idempotent background work
# ---------------------------------------------------------------------------
scheduler_events = {
	"cron": {"*/5 * * * *": ["sla_management.sla_check.tickets.sweep.enqueue_due_timers"]},
	"daily": [
		"sla_management.sla_implement.doctype.sla_agreement.validity.run_daily_lifecycle",
		"sla_management.sla_implement.doctype.sla_service_calendar.holiday_coverage.enqueue_holiday_reminders",
		"sla_management.sla_check.inspections.jobs.enqueue_inspections",
		"sla_management.sla_check.period_results.freeze.enqueue_finished_periods",
	],
}


# Desk UI of tickets (§5.3.1): the live SLA indicator on the form, SLA columns on the list, the SLA Timers
# in the ticket's Connections; business durations as hours on every page (public/js/sla_format.js: other
# scripts add their files to this list, they do not replace it)
# -----------------------------------------------------------------------------------------------------
app_include_js = [*globals().get("app_include_js", []), "/assets/sla_management/js/sla_format.js"]
doctype_js = {
	**globals().get("doctype_js", {}),
	"Issue": "public/js/ticket_sla.js",
	"HD Ticket": "public/js/ticket_sla.js",
}
doctype_list_js = {
	**globals().get("doctype_list_js", {}),
	"Issue": "public/js/ticket_list.js",
	"HD Ticket": "public/js/ticket_list.js",
}
override_doctype_dashboards = {
	"Issue": "sla_management.sla_check.tickets.dashboard.issue_dashboard",
	"HD Ticket": "sla_management.sla_check.tickets.dashboard.hd_ticket_dashboard",
}

# Lifecycle forms (SLA Service Catalog, SLA Requirement, SLA Agreement): the buttons of the allowed actions,
# never run after a failed save (public/js/sla_lifecycle.js, shared by the three forms)
app_include_js = [*globals().get("app_include_js", []), "/assets/sla_management/js/sla_lifecycle.js"]
