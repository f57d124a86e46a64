// Copyright (c) 2026, sla_management developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("SLA Timer", {
	refresh(frm) {
		// timers are kept by the ticket events and the sweep: nothing to save by hand
		frm.disable_save();
	},
});
