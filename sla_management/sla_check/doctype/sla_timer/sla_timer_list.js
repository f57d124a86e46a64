// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// Durations in business time: "24 h (business)" targets, "52.5 h" elapsed (public/js/sla_format.js).
frappe.listview_settings["SLA Timer"] = {
	add_fields: ["status", "breached", "cycle", "metric", "target_seconds", "elapsed_seconds"],
	get_indicator(doc) {
		return [__(doc.status), sla_management.sla_colour(doc.status), "status,=," + doc.status];
	},
	formatters: {
		// the title column says ticket and metric, so that the deadline column has room
		// (the list escapes the title: plain text)
		ticket(value, df, doc) {
			return doc.metric ? `${value || ""} · ${__(doc.metric)}` : value || "";
		},
		// to the minute: the seconds of a deadline are noise and the column is narrow
		deadline(value) {
			return value ? frappe.datetime.str_to_user(value).replace(/:\d\d(\.\d+)?$/, "") : "";
		},
		target_seconds(value) {
			return value ? sla_management.format_business_seconds(Number(value), true) : "";
		},
		elapsed_seconds(value) {
			return value ? sla_management.format_business_seconds(Number(value)) : "";
		},
		paused_seconds(value) {
			return value ? sla_management.format_business_seconds(Number(value)) : "";
		},
	},
	onload() {
		sla_management.use_business_durations(
			"SLA Timer",
			["target_seconds", "elapsed_seconds", "paused_seconds"],
			["target_seconds"]
		);
	},
};
