frappe.listview_settings["SLA Service Project"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colors = { Active: "green", Closed: "gray" };
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
