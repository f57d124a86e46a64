// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// Availability per service item of an agreement and month, against the agreement's limits.
frappe.query_reports["SLA Service Availability"] = {
	filters: [
		{
			fieldname: "agreement",
			label: __("Agreement"),
			fieldtype: "Link",
			options: "SLA Agreement",
		},
		{
			fieldname: "project",
			label: __("Service Project"),
			fieldtype: "Link",
			options: "SLA Service Project",
		},
		{
			fieldname: "service_item",
			label: __("Service Item"),
			fieldtype: "Link",
			options: "SLA Service Item",
		},
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			default: new Date().getFullYear(),
			reqd: 1,
		},
		{
			fieldname: "from_month",
			label: __("From Month"),
			fieldtype: "Int",
			description: __("1-12; empty: January"),
		},
		{
			fieldname: "to_month",
			label: __("To Month"),
			fieldtype: "Int",
			description: __("1-12; empty: December"),
		},
	],

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) return value;
		if (column.fieldname === "status") {
			const colour = data.met === 1 ? "green" : data.met === 0 ? "red" : "gray";
			return `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		if (
			column.fieldname === "availability" &&
			data.target &&
			data.availability !== null &&
			data.availability < data.target
		) {
			return `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
