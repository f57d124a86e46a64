frappe.listview_settings["SLA Requirement"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colors = { Draft: "orange", Confirmed: "green" };
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
