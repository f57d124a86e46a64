// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

frappe.query_reports["SLA Requirement Traceability"] = {
	filters: [
		{
			fieldname: "project",
			label: __("Service Project"),
			fieldtype: "Link",
			options: "SLA Service Project",
		},
		{
			fieldname: "requirement",
			label: __("Requirement"),
			fieldtype: "Link",
			options: "SLA Requirement",
			get_query: () => {
				const project = frappe.query_report.get_filter_value("project");
				return project ? { filters: { project } } : {};
			},
		},
		{
			fieldname: "only_unanswered",
			label: __("Only Unanswered Lines"),
			fieldtype: "Check",
		},
	],

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && !data.answered && ["metric", "agreed"].includes(column.fieldname)) {
			value = `<span class="text-danger" title="${__("No agreement target answers this line")}">${
				value || __("Unanswered")
			}</span>`;
		}
		return value;
	},
};
