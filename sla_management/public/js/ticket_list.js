// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// The ticket list (Issue, HD Ticket: hooks.py doctype_list_js): the SLA status in colour with the
// business time left of the ticket's most urgent open timer (measured by the server after each refresh:
// sla_management.sla_check.tickets.api.get_tickets_sla), and the respond-by / resolve-by deadlines, red
// once passed. The list settings of the ticket's own app (ERPNext's
// Issue list) are extended, not replaced: their indicator stays the ticket's status.

(function () {
	const DOCTYPES = ["Issue", "HD Ticket"];
	const FIELDS = ["sla_mgmt_status", "sla_mgmt_response_by", "sla_mgmt_resolution_by"];

	function deadline(value, doc) {
		if (!value) return "";
		const shown = frappe.datetime.str_to_user(value);
		const open = ["Running", "Paused", "Breached"].includes(doc.sla_mgmt_status);
		const passed = open && frappe.datetime.str_to_obj(value) < frappe.datetime.now_datetime(true);
		const cls = passed ? "text-danger" : "";
		return `<span class="${cls} sla-mgmt-deadline" title="${frappe.utils.escape_html(
			passed ? __("Deadline passed") : __("Deadline")
		)}">${frappe.utils.escape_html(shown)}</span>`;
	}

	function fill_time_left(listview, doctype) {
		const names = (listview.data || [])
			.filter((d) => ["Running", "Paused", "Breached"].includes(d.sla_mgmt_status))
			.map((d) => d.name);
		if (!names.length) return;
		frappe
			.xcall("sla_management.sla_check.tickets.api.get_tickets_sla", { doctype, names })
			.then((by_ticket) => {
				listview.$result.find(".sla-mgmt-list").each(function () {
					const info = by_ticket[this.dataset.ticket];
					if (!info) return;
					// the column is narrow: the pill's colour is the state, its text the business time left
					// ("1.4 h", "-52 h", "‖ 3 h" paused); the tooltip says it in full
					const colour = sla_management.sla_colour(info.state, info.warning);
					const label = info.warning ? __("Due soon") : __(info.state);
					const abs = Math.abs(info.remaining_seconds);
					const hours = abs / 3600;
					let left =
						hours >= 10
							? __("{0} h", [Math.round(hours)])
							: hours >= 1
							? __("{0} h", [Math.round(hours * 10) / 10])
							: __("{0} min", [Math.round(abs / 60)]);
					if (info.remaining_seconds < 0) left = "-" + left;
					if (info.state === "Paused") left = "‖ " + left;
					$(this)
						.find(".indicator-pill")
						.attr("class", `indicator-pill ${colour} sla-mgmt-pill`)
						.attr(
							"title",
							`${label} · ${info.metric}: ${sla_management.time_left_text(
								info.remaining_seconds
							)} ${__("(business time)")}`
						)
						.text(left);
				});
			})
			.catch(() => {});
	}

	function extend(doctype) {
		const settings = (frappe.listview_settings[doctype] = frappe.listview_settings[doctype] || {});
		if (settings.sla_mgmt_extended) return;
		settings.sla_mgmt_extended = true;
		settings.add_fields = [...new Set([...(settings.add_fields || []), ...FIELDS])];
		const formatters = (settings.formatters = settings.formatters || {});
		const previous = { ...formatters };
		formatters.sla_mgmt_status = function (value, df, doc) {
			if (previous.sla_mgmt_status) return previous.sla_mgmt_status(value, df, doc);
			return `<span class="sla-mgmt-list" data-ticket="${frappe.utils.escape_html(
				doc.name
			)}">${sla_management.sla_pill(value)}</span>`;
		};
		const previous_refresh = settings.refresh;
		settings.refresh = function (listview) {
			if (previous_refresh) previous_refresh.apply(this, arguments);
			fill_time_left(listview, doctype);
		};
		formatters.sla_mgmt_response_by = function (value, df, doc) {
			if (previous.sla_mgmt_response_by) return previous.sla_mgmt_response_by(value, df, doc);
			return deadline(value, doc);
		};
		formatters.sla_mgmt_resolution_by = function (value, df, doc) {
			if (previous.sla_mgmt_resolution_by) return previous.sla_mgmt_resolution_by(value, df, doc);
			return deadline(value, doc);
		};
	}

	DOCTYPES.forEach(extend);
})();
