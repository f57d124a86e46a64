// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// A frozen period result: managers recompute it (cancel and amend, with a reason on the timeline).
const SLA_PR_MANAGERS = ["SLA Operations Manager", "System Manager"];

frappe.ui.form.on("SLA Period Result", {
	refresh(frm) {
		frm.disable_save();
		const manager = SLA_PR_MANAGERS.some((role) => frappe.user.has_role(role));
		if (frm.doc.docstatus !== 1 || !manager) return;
		frm.add_custom_button(__("Recompute"), () => {
			frappe.prompt(
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Reason for Recompute"),
					reqd: 1,
				},
				({ reason }) =>
					frappe
						.call({
							method: "sla_management.sla_check.period_results.freeze.recompute",
							args: { result: frm.doc.name, reason },
							freeze: true,
						})
						.then((r) => frappe.set_route("Form", "SLA Period Result", r.message)),
				__("Recompute from live data"),
				__("Recompute")
			);
		});
	},
});
