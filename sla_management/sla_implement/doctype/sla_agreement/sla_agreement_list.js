// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

frappe.listview_settings["SLA Agreement"] = {
	add_fields: ["status", "valid_to", "docstatus"],
	has_indicator_for_draft: true,
	get_indicator(doc) {
		const colors = {
			Draft: "red",
			"In Review": "orange", // waiting for the SLA Operations Manager
			Approved: "purple", // approved, waiting for the customer's signature
			Signed: "blue",
			Active: "green",
			Expired: "gray",
			Superseded: "gray",
			Cancelled: "red",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
