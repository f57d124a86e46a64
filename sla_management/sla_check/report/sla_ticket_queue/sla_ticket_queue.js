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
			// a Select filled from the SLA Ticket Types (agents may not read DocType records)
			fieldname: "ticket_doctype",
			label: __("Ticket DocType"),
			fieldtype: "Select",
			options: ["", "Issue", "HD Ticket"],
		},
		{
			fieldname: "project",
			label: __("Service Project"),
			fieldtype: "Link",
			options: "SLA Service Project",
		},
	],

	onload(report) {
		frappe
			.xcall("sla_management.sla_check.report.sla_ticket_queue.sla_ticket_queue.ticket_doctypes")
			.then((doctypes) => {
				const filter = report.get_filter("ticket_doctype");
				filter.df.options = [
					{ value: "", label: "" },
					...doctypes.map((d) => ({ value: d, label: __(d) })),
				];
				filter.refresh();
			});
	},

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) return value;
		if (column.fieldname === "ticket_doctype") return frappe.utils.escape_html(__(data.ticket_doctype));
		if (column.fieldname === "status") {
			return `<span class="indicator-pill ${data.colour || "gray"}">${value}</span>`;
		}
		if (column.fieldname === "time_left" && data.remaining_seconds < 0) {
			return `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
