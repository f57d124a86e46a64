// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// The one client side of the lifecycles (sla_management/common/lifecycle.py), shared by the SLA Service
// Catalog, SLA Requirement and SLA Agreement forms:
// - the buttons are the actions the server allows now (frm.doc.__onload.lifecycle_actions: status, the
//   user's roles and what is impossible, e.g. reopening a requirement a signed agreement answers);
// - an action works on the saved document: unsaved edits are saved first, and the action never runs
//   when that save failed (frm.save() resolves even then) or was refused before reaching the server.
frappe.provide("sla_management.lifecycle");

sla_management.lifecycle = {
	// Resolves true once the form is saved and clean; false if the save failed.
	save_first(frm) {
		if (!frm.is_dirty() && !frm.is_new()) return Promise.resolve(true);
		return new Promise((resolve) => {
			let failed = false;
			frm.save(
				null,
				(r) => {
					if (r && r.exc) failed = true;
				},
				null,
				() => {
					failed = true;
					resolve(false);
				}
			).then(() => resolve(!failed && !frm.is_dirty() && !frm.is_new()));
		});
	},

	run(frm, action) {
		const go = () =>
			sla_management.lifecycle.save_first(frm).then((saved) => {
				if (!saved) {
					frappe.show_alert({
						message: __("{0} did not run: the document could not be saved.", [action.label]),
						indicator: "red",
					});
					return;
				}
				return frm
					.call(action.action)
					.then((r) => {
						if (action.creates_copy && r && r.message) {
							frappe.set_route("Form", frm.doctype, r.message);
						} else {
							return frm.reload_doc();
						}
					})
					.catch(() => frm.reload_doc()); // the server's message is shown already
			});
		if (action.prompt) frappe.confirm(action.prompt, go);
		else go();
	},

	// Adds a button per allowed action (under ``group`` if given); the first one is primary if asked.
	add_buttons(frm, { group = __("Actions"), primary = false } = {}) {
		if (frm.is_new()) return [];
		const actions = (frm.doc.__onload && frm.doc.__onload.lifecycle_actions) || [];
		actions.forEach((action) =>
			frm.add_custom_button(action.label, () => sla_management.lifecycle.run(frm, action), group)
		);
		if (primary && actions.length && group) frm.page.set_inner_btn_group_as_primary(group);
		return actions;
	},
};
