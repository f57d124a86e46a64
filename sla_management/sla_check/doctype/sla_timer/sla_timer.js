// Copyright (c) 2026, sla_management developers and contributors
// For license information, please see license.txt

// Business time: the target and the elapsed/paused working time are hours of the service calendar
// ("24 h (business)", "52.5 h"), not days (public/js/sla_format.js).
const SLA_TIMER_DURATIONS = ["target_seconds", "elapsed_seconds", "paused_seconds"];

frappe.ui.form.on("SLA Timer", {
	setup() {
		sla_management.use_business_durations("SLA Timer", SLA_TIMER_DURATIONS, ["target_seconds"]);
	},
	refresh(frm) {
		// timers are kept by the ticket events and the sweep: nothing to save by hand
		frm.disable_save();
		sla_management.form_business_durations(frm, SLA_TIMER_DURATIONS, ["target_seconds"]);
		const colour = sla_management.sla_colour(frm.doc.status);
		frm.page.set_indicator(__(frm.doc.status), colour);
	},
});
