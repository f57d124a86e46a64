// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

frappe.listview_settings["SLA Timer"] = {
	add_fields: ["status", "breached"],
	get_indicator(doc) {
		const colors = {
			Running: "blue",
			Paused: "orange",
			Met: "green",
			Breached: "red",
			Cancelled: "gray",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
