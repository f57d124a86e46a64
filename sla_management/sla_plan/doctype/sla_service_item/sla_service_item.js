// Copyright (c) 2026, sla_management developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("SLA Service Item", {
	refresh(frm) {
		if (frm.doc.disabled) {
			frm.set_intro(__("Disabled: this service item cannot be added to a catalog."), "orange");
		}
	},
});
