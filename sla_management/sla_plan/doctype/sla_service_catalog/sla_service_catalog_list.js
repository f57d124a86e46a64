frappe.listview_settings["SLA Service Catalog"] = {
	add_fields: ["status", "version"],
	get_indicator(doc) {
		const colors = {
			Draft: "red",
			"In Review": "orange",
			Approved: "blue",
			Published: "green",
			Archived: "gray",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
