// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

frappe.ui.form.on("SLA Agreement", {
	setup(frm) {
		frm.set_query("project", () => ({ filters: { status: "Active" } }));
		frm.set_query("service_item", "targets", () => ({
			filters: { name: ["in", (frm.doc.items || []).map((row) => row.service_item)] },
		}));
		frm.set_query("requirement", () => ({ filters: { project: frm.doc.project } }));
		// a target answers a line of this agreement's requirement
		frm.set_query("requirement_metric", "targets", () => ({
			query: "sla_management.sla_implement.doctype.sla_agreement.sla_agreement.requirement_line_query",
			filters: { requirement: frm.doc.requirement || "" },
		}));
		// limits and credit steps are for the agreement's own items; a limit answers an availability/failure line
		["service_limits", "service_credits"].forEach((table) =>
			frm.set_query("service_item", table, () => ({
				filters: { name: ["in", (frm.doc.items || []).map((row) => row.service_item)] },
			}))
		);
		frm.set_query("requirement_metric", "service_limits", () => ({
			query: "sla_management.sla_implement.doctype.sla_agreement.sla_agreement.requirement_line_query",
			filters: { requirement: frm.doc.requirement || "" },
		}));
		frm.set_query("priority", "targets", () => ({
			query: "sla_management.sla_implement.doctype.sla_agreement.priorities.get_ticket_priorities",
		}));
	},

	refresh(frm) {
		// targets are business time: "4 h (business)", not "4h" or "1d" (public/js/sla_format.js); the
		// grid's rows carry copies of the docfields, so the formatter is set on the grid
		const grid = frm.fields_dict.targets && frm.fields_dict.targets.grid;
		if (grid) {
			["response_time", "resolution_time"].forEach((fieldname) =>
				grid.update_docfield_property(
					fieldname,
					"formatter",
					sla_management.business_duration_formatter(true)
				)
			);
			grid.refresh();
		}
		const limits = frm.fields_dict.service_limits && frm.fields_dict.service_limits.grid;
		if (limits) {
			["max_failure_duration", "max_mttr"].forEach((fieldname) =>
				limits.update_docfield_property(
					fieldname,
					"formatter",
					sla_management.business_duration_formatter(true)
				)
			);
			limits.refresh();
		}
		frm.trigger("show_intro");
		frm.trigger("add_actions");
	},

	show_intro(frm) {
		const intros = {
			"In Review": __("Waiting for the review and approval of the SLA Operations Manager."),
			Approved: __(
				"Approved by {0}: waiting for the customer's signature (portal or paper). Changing its content withdraws the approval.",
				[frappe.user.full_name(frm.doc.reviewed_by)]
			),
			Signed: __("Signed: becomes active on {0}.", [frappe.datetime.str_to_user(frm.doc.valid_from)]),
			Superseded: __("Superseded by {0}.", [frm.doc.superseded_by]),
		};
		const intro = intros[frm.doc.status];
		const colors = { Superseded: "orange", Approved: "purple" };
		if (intro) frm.set_intro(intro, colors[frm.doc.status] || "blue");
	},

	add_actions(frm) {
		if (frm.is_new()) return;
		// the actions the server allows now (sla_lifecycle.js)
		sla_management.lifecycle.add_buttons(frm);
		if (frm.doc.docstatus === 0 && frm.doc.requirement) {
			frm.add_custom_button(
				__("Fill Targets from Requirement"),
				() => frm.trigger("fill_targets"),
				__("Actions")
			);
			frm.add_custom_button(
				__("Fill Limits from Requirement"),
				() => frm.trigger("fill_limits"),
				__("Actions")
			);
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

	before_submit(frm) {
		// signing on paper records who signed: say so before the server refuses it
		if (!frm.doc.signed_by_customer) {
			frm.scroll_to_field("signed_by_customer");
			frappe.throw(
				__("Enter who signed the paper agreement for the customer in {0} (section {1}).", [
					__("Signed by (Customer)").bold(),
					__("Signature"),
				])
			);
		}
	},

	requirement(frm) {
		if (frm.doc.requirement && !(frm.doc.targets || []).length) frm.trigger("fill_targets");
		if (frm.doc.requirement && !(frm.doc.service_limits || []).length) frm.trigger("fill_limits");
	},

	fill_limits(frm) {
		frappe
			.call(
				"sla_management.sla_implement.doctype.sla_agreement.service_limits.limits_from_requirement",
				{ requirement: frm.doc.requirement }
			)
			.then(({ message }) => {
				const taken = new Set((frm.doc.service_limits || []).map((row) => row.service_item));
				const added = (message || []).filter((row) => !taken.has(row.service_item));
				added.forEach((row) => frm.add_child("service_limits", row));
				frm.refresh_field("service_limits");
				if (added.length || (message || []).length) {
					frappe.show_alert({
						message: __("{0} service limits added from requirement {1}.", [
							added.length,
							frm.doc.requirement,
						]),
						indicator: added.length ? "green" : "orange",
					});
				}
			});
	},

	fill_targets(frm) {
		frappe
			.call("sla_management.sla_implement.doctype.sla_agreement.sla_agreement.targets_from_requirement", {
				requirement: frm.doc.requirement,
			})
			.then(({ message }) => {
				const rows = message || [];
				const taken = new Set(
					(frm.doc.targets || []).map((t) => t.requirement_metric).filter(Boolean)
				);
				const added = rows.filter((row) => !taken.has(row.requirement_metric));
				added.forEach((row) => frm.add_child("targets", row));
				frm.refresh_field("targets");
				frappe.show_alert({
					message: __("{0} targets added from requirement {1}.", [added.length, frm.doc.requirement]),
					indicator: added.length ? "green" : "orange",
				});
			});
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

frappe.ui.form.on("SLA Agreement Target", {
	requirement_metric(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.requirement_metric) frappe.model.set_value(cdt, cdn, "requirement_line", "");
	},
});

frappe.ui.form.on("SLA Agreement Service Limit", {
	requirement_metric(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.requirement_metric) frappe.model.set_value(cdt, cdn, "requirement_line", "");
	},
});

// a requirement line shows as "Response Time (item, priority)", not as its row id
frappe.form.link_formatters["SLA Requirement Metric"] = (value, doc) =>
	(doc && doc.requirement_metric === value && doc.requirement_line) || value;
