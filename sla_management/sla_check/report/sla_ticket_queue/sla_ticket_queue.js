// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// Open ticket timers, most urgent first: business time left (or overdue), measured by the server.
frappe.query_reports["SLA Ticket Queue"] = {
	filters: [
		{
			fieldname: "state",
			label: __("State"),
			fieldtype: "Select",
			options: [
				{ value: "All Open", label: __("All Open") },
				{ value: "Due Soon", label: __("Due Soon") },
				{ value: "Breached", label: __("Breached") },
			],
			default: "All Open",
		},
		{
			fieldname: "ticket_doctype",
			label: __("Ticket DocType"),
			fieldtype: "Link",
			options: "DocType",
			get_query: () => ({ query: "sla_management.sla_check.report.sla_ticket_queue.sla_ticket_queue.ticket_doctype_query" }),
		},
		{
			fieldname: "project",
			label: __("Service Project"),
			fieldtype: "Link",
			options: "SLA Service Project",
		},
	],

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) return value;
		if (column.fieldname === "status") {
			return `<span class="indicator-pill ${data.colour || "gray"}">${value}</span>`;
		}
		if (column.fieldname === "time_left" && data.remaining_seconds < 0) {
			return `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
