// Copyright (c) 2026, sla_management developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("SLA Service Project", {
	setup(frm) {
		frm.set_query("customer_type", () => ({
			filters: { istable: 0, issingle: 0 },
		}));
		frm.set_query("project_manager", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { user_type: "System User" },
		}));
	},
	customer_type(frm) {
		frm.set_value("customer", null);
	},
	refresh(frm) {
		if (!frm.is_new() && frappe.model.can_create("SLA Requirement")) {
			frm.add_custom_button(
				__("SLA Requirement"),
				() => frappe.new_doc("SLA Requirement", { project: frm.doc.name }),
				__("Create")
			);
		}
	},
});
