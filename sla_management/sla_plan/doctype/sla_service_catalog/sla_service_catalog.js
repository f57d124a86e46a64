// Copyright (c) 2026, sla_management developers and contributors
// For license information, please see license.txt

const SLA_MANAGERS = ["SLA Operations Manager", "System Manager"];
const CATALOG_ITEM_FIELDS = [
	"service_item",
	"service_object",
	"content",
	"delivery_hours",
	"typical_response_time",
	"typical_resolution_time",
];

frappe.ui.form.on("SLA Service Catalog", {
	setup(frm) {
		frm.set_query("service_item", "items", () => ({ filters: { disabled: 0 } }));
	},

	refresh(frm) {
		sla_catalog.set_item_editability(frm);
		if (frm.is_new()) return;
		sla_catalog.show_intro(frm);
		sla_catalog.add_action_buttons(frm);
	},
});

frappe.ui.form.on("SLA Service Catalog Item", {
	service_item(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.service_item) return;
		frappe.db
			.get_value("SLA Service Item", row.service_item, [
				"category",
				"service_object",
				"content",
				"delivery_hours",
				"typical_response_time",
				"typical_resolution_time",
			])
			.then(({ message }) => {
				if (!message) return;
				// a different item replaces the whole description, not only the empty fields
				Object.entries(message).forEach(([fieldname, value]) => {
					frappe.model.set_value(cdt, cdn, fieldname, value);
				});
			});
	},
});

const sla_catalog = {
	set_item_editability(frm) {
		const status = frm.doc.status || "Draft";
		const grid = frm.fields_dict.items.grid;
		const draft = status === "Draft";
		const is_manager = frappe.user.has_role(SLA_MANAGERS);
		grid.cannot_add_rows = !draft;
		grid.cannot_delete_rows = !draft;
		grid.df.cannot_delete_rows = !draft;
		CATALOG_ITEM_FIELDS.forEach((fieldname) => {
			grid.update_docfield_property(fieldname, "read_only", draft ? 0 : 1);
		});
		const can_review = is_manager && ["Draft", "In Review"].includes(status);
		grid.update_docfield_property("capability_confirmed", "read_only", can_review ? 0 : 1);
		grid.update_docfield_property(
			"review_note",
			"read_only",
			["Draft", "In Review"].includes(status) ? 0 : 1
		);
		frm.set_df_property("notes", "read_only", ["Draft", "In Review"].includes(status) ? 0 : 1);
		frm.refresh_field("items");
		// approved, published and archived catalogs have nothing left to edit: no Save button
		if (!frm.is_new() && !["Draft", "In Review"].includes(status)) frm.disable_save();
	},

	show_intro(frm) {
		const intro = {
			"In Review": __(
				"In review: the SLA Operations Manager confirms the capability of each item, then approves or returns the catalog."
			),
			Approved: __("Approved: publish it to make its items available to agreements."),
			Published: __(
				"Published: agreements use the items of this catalog. It is frozen; create a new version to change it."
			),
			Archived: __("Archived: kept for reference, replaced by a newer published version."),
		}[frm.doc.status];
		frm.set_intro(intro || "", frm.doc.status === "Published" ? "green" : "blue");
	},

	add_action_buttons(frm) {
		// the actions the server allows now (sla_lifecycle.js): primary while the catalog is a Draft
		sla_management.lifecycle.add_buttons(frm, { primary: frm.doc.status === "Draft" });
	},
};
