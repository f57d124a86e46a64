// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// Business durations as people read them, on every desk page (hooks.py app_include_js):
// a 24-working-hour target is "24 h (business)", never "1d" (its deadline may be days away);
// elapsed time "52.5 h". The same rules as sla_management/engine/durations.py on the server.
//
//   sla_management.format_business_seconds(86400, true)  → "24 h (business)"
//   sla_management.time_left_text(-1200)                 → "overdue by 20 min"
//   sla_management.use_business_durations("SLA Timer", ["target_seconds", ...])
//       shows those Duration fields of the DocType as business hours in forms, lists and reports

frappe.provide("sla_management");

(function () {
	const HOUR = 3600;
	const MINUTE = 60;

	function number(value) {
		// at most two decimals, no trailing zeros: 24 → "24", 52.5 → "52.5"
		const text = (Math.round(value * 100) / 100).toFixed(2).replace(/\.?0+$/, "");
		return text === "" || text === "-0" ? "0" : text;
	}

	function magnitude(seconds) {
		if (seconds === null || seconds === undefined || seconds === "" || !isFinite(seconds)) {
			return "-";
		}
		const value = Math.abs(Number(seconds));
		const minutes = Math.round(value / MINUTE);
		if (minutes >= 60) return __("{0} h", [number(Math.max(value, HOUR) / HOUR)]);
		if (minutes >= 1 && Math.round(value) >= MINUTE) return __("{0} min", [minutes]);
		return __("{0} s", [Math.round(value)]);
	}

	function hours_minutes(seconds) {
		if (seconds === null || seconds === undefined || !isFinite(seconds)) return "-";
		let minutes = Math.round(Math.abs(Number(seconds)) / MINUTE);
		if (minutes < 1) return __("{0} s", [Math.round(Math.abs(Number(seconds)))]);
		const hours = Math.floor(minutes / 60);
		minutes = minutes % 60;
		if (!hours) return __("{0} min", [minutes]);
		if (!minutes) return __("{0} h", [hours]);
		return __("{0} h {1} min", [hours, minutes]);
	}

	sla_management.format_business_seconds = function (seconds, business) {
		if (seconds === null || seconds === undefined || seconds === "") return "-";
		let text = magnitude(seconds);
		if (text !== "-" && Math.round(Number(seconds)) < 0) text = "-" + text;
		if (business && text !== "-") return __("{0} (business)", [text]);
		return text;
	};

	sla_management.hours_minutes_text = hours_minutes;

	sla_management.time_left_text = function (remaining) {
		if (remaining === null || remaining === undefined) return "-";
		if (remaining < 0) return __("overdue by {0}", [hours_minutes(remaining)]);
		return __("{0} left", [hours_minutes(remaining)]);
	};

	// the indicator colour of a timer or ticket SLA state (Frappe's indicator colours)
	sla_management.sla_colour = function (state, warning) {
		if (warning && state === "Running") return "orange";
		return (
			{
				Running: "blue",
				Paused: "gray",
				Met: "green",
				Breached: "red",
				Cancelled: "gray",
				"Not Applied": "gray",
				Error: "red",
			}[state] || "gray"
		);
	};

	sla_management.sla_pill = function (state, warning) {
		if (!state) return "";
		const colour = sla_management.sla_colour(state, warning);
		return `<span class="indicator-pill ${colour} sla-mgmt-pill" data-sla-state="${frappe.utils.escape_html(
			state
		)}">${frappe.utils.escape_html(__(state))}</span>`;
	};

	// a formatter for Duration fields that hold business seconds (frappe.format uses df.formatter)
	sla_management.business_duration_formatter = function (business) {
		return function (value) {
			if (value === null || value === undefined || value === "") return "";
			return sla_management.format_business_seconds(Number(value), business);
		};
	};

	// show these Duration fields of ``doctype`` as business hours (forms, list and report views);
	// ``targets``: the fields that are targets ("(business)" is added)
	sla_management.use_business_durations = function (doctype, fieldnames, targets) {
		const map = (frappe.meta.docfield_map || {})[doctype] || {};
		(fieldnames || []).forEach((fieldname) => {
			const df = map[fieldname];
			if (df) {
				df.formatter = sla_management.business_duration_formatter(
					(targets || []).includes(fieldname)
				);
			}
		});
	};

	// the same on an open form: its fields are copies of the meta's; they are shown read-only
	sla_management.form_business_durations = function (frm, fieldnames, targets) {
		(fieldnames || []).forEach((fieldname) => {
			const field = frm.fields_dict[fieldname];
			if (!field) return;
			field.df.formatter = sla_management.business_duration_formatter(
				(targets || []).includes(fieldname)
			);
			field.df.read_only = 1;
			frm.refresh_field(fieldname);
		});
	};
})();
