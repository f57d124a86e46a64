// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// An inspection's failed lines raise a ticket and/or an outage with one button (sla_check/inspections/
// actions.py): the lines chosen in the Results table, else every failed line.
frappe.ui.form.on("SLA Inspection", {
	setup(frm) {
		frm.set_query("agreement", () => ({ filters: { project: frm.doc.project || "" } }));
	},
	refresh(frm) {
		if (frm.is_new() || frm.doc.docstatus === 2 || !frm.has_perm("write")) return;
		const failed = (frm.doc.results || []).filter((row) => row.passed === "Fail");
		if (!failed.length) return;
		const group = __("Failed Lines");
		frm.add_custom_button(__("Raise Ticket"), () => raise(frm, "Ticket"), group);
		frm.add_custom_button(__("Record Outage"), () => raise(frm, "Outage"), group);
	},
});

function raise(frm, what) {
	if (frm.is_dirty()) {
		frappe.msgprint(__("Save the inspection first: only saved failed lines raise tickets and outages."));
		return;
	}
	const chosen = frm.fields_dict.results.grid.get_selected_children().map((row) => row.name);
	frappe.call({
		method: "sla_management.sla_check.inspections.actions.raise_findings",
		args: { inspection: frm.doc.name, what, rows: chosen.length ? chosen : null },
		freeze: true,
		callback: () => frm.reload_doc(),
	});
}
