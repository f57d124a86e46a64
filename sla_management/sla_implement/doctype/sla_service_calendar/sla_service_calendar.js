// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

frappe.ui.form.on("SLA Service Calendar", {
	onload(frm) {
		frappe.call("frappe.core.doctype.user.user.get_timezones").then((r) => {
			if (r.message && r.message.timezones) {
				frm.set_df_property("timezone", "options", r.message.timezones);
			}
		});
		if (frm.is_new() && !(frm.doc.windows || []).length) {
			// A 5×8 week as a starting point
			["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"].forEach((weekday) =>
				frm.add_child("windows", { weekday, start_time: "09:00:00", end_time: "18:00:00" })
			);
			frm.refresh_field("windows");
		}
		if (frm.is_new() && !frm.doc.timezone) {
			frm.set_value("timezone", frappe.boot.time_zone && frappe.boot.time_zone.system);
		}
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const gaps = (frm.doc.__onload && frm.doc.__onload.holiday_gaps) || [];
		if (gaps.length) {
			const lines = gaps.map((gap) =>
				__("{0} (valid until {1}): no holidays for {2}", [
					`<a href="/app/sla-agreement/${encodeURIComponent(gap.name)}">${frappe.utils.escape_html(
						gap.title || gap.name
					)}</a>`,
					frappe.datetime.str_to_user(gap.valid_to),
					gap.years.join(", "),
				])
			);
			frm.set_intro(
				__(
					"Agreements using this calendar run into years without holidays; their deadlines there count holidays as working days. Use Fill Statutory Days for those years:"
				) +
					"<br>" +
					lines.join("<br>"),
				"orange"
			);
		}
		frm.add_custom_button(__("Fill Statutory Days"), () => {
			frappe.prompt(
				[
					{
						fieldname: "year",
						fieldtype: "Int",
						label: __("Year"),
						reqd: 1,
						default: new Date().getFullYear(),
					},
					{
						fieldname: "country",
						fieldtype: "Data",
						label: __("Country Code"),
						default: frm.doc.country,
						description: __("ISO 3166 code, e.g. CN, US, DE"),
					},
				],
				(values) =>
					frm.call("fill_statutory_days", values).then((r) => {
						frm.reload_doc();
						const added = r.message || {};
						frappe.show_alert({
							message: __("{0} holidays and {1} make-up workdays added", [
								added.holidays || 0,
								added.workdays || 0,
							]),
							indicator: "green",
						});
					}),
				__("Fill Statutory Days"),
				__("Fill")
			);
		});
	},
});
