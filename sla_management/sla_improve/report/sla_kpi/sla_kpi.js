// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// The yearly SLA KPI: the mean of the service projects' attainment rates, against the target.
frappe.query_reports["SLA KPI"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			default: new Date().getFullYear(),
			reqd: 1,
		},
		{
			// ERPNext sites (multi-company): the service projects of one company; hidden where there is no
			// Company DocType (Helpdesk only) or the user may not pick one
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			hidden: !(frappe.model.can_read("Company") || frappe.model.can_select("Company")),
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
			const colour = data.rate === null ? "gray" : data.below_target ? "red" : "green";
			return `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		if (column.fieldname === "rate" && data.below_target) {
			return `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
