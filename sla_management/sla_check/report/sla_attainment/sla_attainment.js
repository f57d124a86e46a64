// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// SLA attainment by service project → agreement → service item, priority and metric. The met and breached
// figures open the SLA Timer list with the timers behind them; "Tickets" opens their tickets.
frappe.query_reports["SLA Attainment"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			default: new Date().getFullYear(),
		},
		{
			fieldname: "month",
			label: __("Month"),
			fieldtype: "Select",
			options: ["", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
		},
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
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
		{ fieldname: "agreement", label: __("Agreement"), fieldtype: "Link", options: "SLA Agreement" },
		{
			fieldname: "service_item",
			label: __("Service Item"),
			fieldtype: "Link",
			options: "SLA Service Item",
		},
		{ fieldname: "priority", label: __("Priority"), fieldtype: "Data" },
		{
			fieldname: "metric",
			label: __("Metric"),
			fieldtype: "Select",
			options: [
				"",
				"Response",
				"Resolution",
				"Availability",
				"Number of Failures",
				"Failure Duration",
				"MTTR",
			],
		},
	],
	tree: true,
	initial_depth: 1,

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data || !data.drill) return value;
		if (data.is_check && ["met", "breached"].includes(column.fieldname)) {
			// a limit check: the availability report of its agreement and service item
			const options = encodeURIComponent(JSON.stringify(data.drill.filters));
			return `<a class="sla-attainment-availability" data-options="${options}">${value}</a>`;
		}
		if (["met", "breached"].includes(column.fieldname) && data[column.fieldname]) {
			const options = encodeURIComponent(JSON.stringify(data.drill[column.fieldname]));
			return `<a class="sla-attainment-timers" data-options="${options}">${value}</a>`;
		}
		if (column.fieldname === "tickets" && data.measured) {
			const args = encodeURIComponent(
				JSON.stringify({
					group: data.drill.group,
					from_date: data.drill.from_date,
					to_date: data.drill.to_date,
				})
			);
			return `<a class="sla-attainment-tickets" data-args="${args}">${value}</a>`;
		}
		if (data.is_total && ["project", "agreement", "measured", "rate"].includes(column.fieldname)) {
			return `<b>${value}</b>`;
		}
		return value;
	},

	onload(report) {
		$(report.page.wrapper)
			.on("click", "a.sla-attainment-timers", function () {
				frappe.route_options = JSON.parse(decodeURIComponent($(this).attr("data-options")));
				frappe.set_route("List", "SLA Timer");
			})
			.on("click", "a.sla-attainment-availability", function () {
				frappe.route_options = JSON.parse(decodeURIComponent($(this).attr("data-options")));
				frappe.set_route("query-report", "SLA Service Availability");
			})
			.on("click", "a.sla-attainment-tickets", function () {
				const args = JSON.parse(decodeURIComponent($(this).attr("data-args")));
				frappe
					.xcall(
						"sla_management.sla_check.report.sla_attainment.sla_attainment.ticket_route",
						args
					)
					.then((r) => {
						if (!r || !r.doctype) return;
						frappe.route_options = { name: ["in", r.names] };
						frappe.set_route("List", r.doctype);
					});
			});
	},
};
