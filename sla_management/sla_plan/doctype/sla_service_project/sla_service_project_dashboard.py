from frappe import _


def get_data():
	return {
		"fieldname": "project",
		"transactions": [
			{"label": _("Plan"), "items": ["SLA Requirement"]},
			{"label": _("Implement"), "items": ["SLA Agreement"]},
		],
	}
