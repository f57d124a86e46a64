// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// Managers freeze a finished month, quarter or year (the scheduler does it the day after its end).
frappe.listview_settings["SLA Period Result"] = {
	onload(listview) {
		const managers = ["SLA Operations Manager", "System Manager"];
		if (!managers.some((role) => frappe.user.has_role(role))) return;
		listview.page.add_inner_button(__("Freeze Period"), () => {
			frappe.prompt(
				[
					{
						fieldname: "period_type",
						fieldtype: "Select",
						label: __("Period Type"),
						options: ["Month", "Quarter", "Year"],
						default: "Month",
						reqd: 1,
					},
					{
						fieldname: "period_start",
						fieldtype: "Date",
						label: __("Period Start"),
						reqd: 1,
					},
				],
				(values) =>
					frappe
						.call({
							method: "sla_management.sla_check.period_results.freeze.freeze",
							args: values,
							freeze: true,
						})
						.then((r) => {
							const d = r.message || {};
							frappe.show_alert({
								message: __("{0} agreements and {1} projects queued for freezing", [
									d.agreements || 0,
									d.projects || 0,
								]),
								indicator: "green",
							});
						}),
				__("Freeze a Finished Period"),
				__("Freeze")
			);
		});
	},
};
