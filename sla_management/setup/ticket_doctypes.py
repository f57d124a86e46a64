"""Ticket DocTypes the app knows out of the box, and the field after which its SLA section goes."""

KNOWN_TICKET_DOCTYPES: dict[str, str] = {
	"Issue": "issue_split_from",  # ERPNext: after the first section, before the description
	"HD Ticket": "summary",  # Frappe Helpdesk: likewise
}
