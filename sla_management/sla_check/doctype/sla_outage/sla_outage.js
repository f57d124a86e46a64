// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// Frappe adds the time zone to a Datetime field's description and then translates the combined text,
// which no translation matches: the description is set already translated.
frappe.ui.form.on("SLA Outage", {
	refresh(frm) {
		frm.set_df_property("end", "description", __("Empty while the outage is ongoing"));
	},
});
