// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

// The monthly SLA attainment of a year: the mean of the service projects' rates per month, and the target.
frappe.dashboards.chart_sources["SLA Monthly Attainment"] = {
	method: "sla_management.sla_improve.dashboard_chart_source.sla_monthly_attainment.sla_monthly_attainment.get",
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			default: new Date().getFullYear(),
		},
	],
};
