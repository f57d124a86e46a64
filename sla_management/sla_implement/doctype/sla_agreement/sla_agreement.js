// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

frappe.ui.form.on("SLA Agreement", {
	setup(frm) {
		frm.set_query("project", () => ({ filters: { status: "Active" } }));
		frm.set_query("service_item", "targets", () => ({
			filters: { name: ["in", (frm.doc.items || []).map((row) => row.service_item)] },
		}));
		frm.set_query("requirement", () => ({ filters: { project: frm.doc.project } }));
	},

	refresh(frm) {
		frm.trigger("show_intro");
		frm.trigger("add_actions");
	},

	show_intro(frm) {
		const intros = {
			"In Review": frm.doc.reviewed_by
				? __("Approved by {0}: waiting for the customer's signature (portal or paper).", [
						frappe.user.full_name(frm.doc.reviewed_by),
				  ])
				: __("Waiting for the review and approval of the SLA Operations Manager."),
			Signed: __("Signed: becomes active on {0}.", [frappe.datetime.str_to_user(frm.doc.valid_from)]),
			Superseded: __("Superseded by {0}.", [frm.doc.superseded_by]),
		};
		const intro = intros[frm.doc.status];
		if (intro) frm.set_intro(intro, frm.doc.status === "Superseded" ? "orange" : "blue");
	},

	add_actions(frm) {
		if (frm.is_new()) return;
		const action = (label, method, confirm_text) =>
			frm.add_custom_button(
				label,
				() => {
					// an action works on the saved agreement: save unsaved edits first, and never run the
					// action when that save failed (the form is still dirty then)
					const act = () => frm.call(method).then(() => frm.reload_doc());
					const run = () =>
						frm.is_dirty()
							? frm.save().then(() => !frm.is_dirty() && act())
							: act();
					confirm_text ? frappe.confirm(confirm_text, run) : run();
				},
				__("Actions")
			);
		if (frm.doc.docstatus === 0 && frm.doc.status === "Draft") {
			action(__("Submit for Review"), "submit_for_review");
		}
		if (frm.doc.docstatus === 0 && frm.doc.status === "In Review") {
			if (!frm.doc.reviewed_by && frappe.user.has_role(["SLA Operations Manager", "System Manager"])) {
				action(__("Approve"), "approve_review", __("Approve this agreement for signature?"));
			}
			action(__("Return to Draft"), "return_to_draft");
		}
		if (frm.doc.docstatus === 1 && frm.doc.status !== "Superseded") {
			frm.add_custom_button(__("New Version"), () =>
				frappe
					.call("sla_management.sla_implement.doctype.sla_agreement.sla_agreement.make_new_version", {
						name: frm.doc.name,
					})
					.then((r) => frappe.set_route("Form", "SLA Agreement", r.message.name))
			);
		}
		if (frm.doc.agreement_code) {
			frm.add_custom_button(
				__("All Versions"),
				() => frappe.set_route("List", "SLA Agreement", { agreement_code: frm.doc.agreement_code }),
				__("View")
			);
		}
		if (frm.doc.requirement) {
			frm.add_custom_button(
				__("Requirement Traceability"),
				() =>
					frappe.set_route("query-report", "SLA Requirement Traceability", {
						requirement: frm.doc.requirement,
					}),
				__("View")
			);
		}
	},

	project(frm) {
		if (!frm.doc.project) return;
		frappe.db.get_value("SLA Requirement", { project: frm.doc.project, status: "Confirmed" }, "name").then(
			(r) => {
				if (r.message && r.message.name && !frm.doc.requirement) {
					frm.set_value("requirement", r.message.name);
				}
			}
		);
	},
});
