"""Ticket DocTypes the app knows out of the box, and the field after which its SLA section goes."""

KNOWN_TICKET_DOCTYPES: dict[str, str] = {
	"Issue": "priority",  # ERPNext
	"HD Ticket": "priority",  # Frappe Helpdesk
}
