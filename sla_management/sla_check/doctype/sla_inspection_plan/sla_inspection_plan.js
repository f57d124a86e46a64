// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// A plan names an agreement of its own service project only (the server checks it too).
frappe.ui.form.on("SLA Inspection Plan", {
	setup(frm) {
		frm.set_query("agreement", () => ({ filters: { project: frm.doc.project || "" } }));
	},
});
