// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

frappe.listview_settings["SLA Service Calendar"] = {
	add_fields: ["timezone", "country"],
};
