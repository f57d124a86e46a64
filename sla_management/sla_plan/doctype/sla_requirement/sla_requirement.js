// Copyright (c) 2026, sla_management developers and contributors
// For license information, please see license.txt

// The units each metric may be expressed in (first = default); mirrors sla_management/plan_rules.py.
const SLA_METRIC_UNITS = {
	"Availability Hours": ["Hours"],
	Availability: ["Percent"],
	"Number of Failures": ["Count"],
	"Failure Frequency": ["Count per Month", "Count per Year"],
	"Failure Duration": ["Hours", "Minutes"],
	"Response Time": ["Hours", "Minutes"],
	"Resolution Time": ["Hours", "Minutes"],
};

frappe.ui.form.on("SLA Requirement", {
	setup(frm) {
		frm.set_query("project", () => ({ filters: { status: "Active" } }));
		frm.set_query("service_item", "metrics", () => ({ filters: { disabled: 0 } }));
		frm.set_query("priority", "metrics", () => ({
			query: "sla_management.sla_implement.doctype.sla_agreement.priorities.get_ticket_priorities",
		}));
	},

	refresh(frm) {
		const confirmed = frm.doc.status === "Confirmed";
		if (confirmed) {
			// frozen: show it read-only (permissions are fetched again on every refresh, so Reopen restores them)
			frm.set_read_only();
			frm.refresh_fields();
			frm.disable_save();
			const can_reopen = ((frm.doc.__onload && frm.doc.__onload.lifecycle_actions) || []).some(
				(action) => action.action === "reopen"
			);
			frm.set_intro(
				can_reopen
					? __("Confirmed: agreements answer this requirement. Reopen it to change it.")
					: __("Confirmed: agreements answer this requirement."),
				"green"
			);
		}
		// the actions the server allows now (sla_lifecycle.js); Confirm is the primary one
		sla_management.lifecycle.add_buttons(frm, { group: null }).forEach((action) => {
			if (action.action === "confirm") frm.change_custom_button_type(action.label, null, "primary");
		});
	},
});

frappe.ui.form.on("SLA Requirement Metric", {
	metric(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		const units = SLA_METRIC_UNITS[row.metric] || [];
		if (units.length && !units.includes(row.unit)) {
			frappe.model.set_value(cdt, cdn, "unit", units[0]);
		}
	},
});
