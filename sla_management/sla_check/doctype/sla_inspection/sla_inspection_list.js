// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// The inspection's status as the list's indicator: overdue ones stand out (open and overdue inspections
// are drafts, which Frappe would show as "Draft" without has_indicator_for_draft).
frappe.listview_settings["SLA Inspection"] = {
	add_fields: ["status", "due_on"],
	has_indicator_for_draft: true,
	get_indicator(doc) {
		const colour = { Open: "blue", Overdue: "red", Completed: "green", Cancelled: "gray" }[doc.status];
		return [__(doc.status), colour || "gray", "status,=," + doc.status];
	},
};
