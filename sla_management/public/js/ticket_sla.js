// Copyright (c) 2026, sla_management developers
// For license information, please see license.txt

// The live SLA indicator of a ticket form (Issue, HD Ticket: hooks.py doctype_js): one line per timer of
// the ticket's current cycle — state in colour (running blue, orange from the warning share, paused grey,
// breached red, met green), business time left or overdue, the deadline in the service calendar's and
// in the user's time zone, paused since, met at. The server measures the timers with the engine
// (sla_management.sla_check.tickets.api.get_ticket_sla); the form asks again every minute while open.

(function () {
	if (window.sla_management_ticket_form) return; // loaded once for every ticket DocType
	window.sla_management_ticket_form = true;
	frappe.provide("sla_management");

	const REFRESH_MS = 60 * 1000;
	const DOCTYPES = ["Issue", "HD Ticket"];

	function esc(value) {
		return frappe.utils.escape_html(value == null ? "" : String(value));
	}

	function timer_html(t) {
		const pill = `<span class="indicator-pill ${esc(t.colour)} sla-mgmt-state" data-metric="${esc(
			t.metric
		)}" data-state="${esc(t.state)}">${esc(t.metric_label)}: ${esc(
			t.warning ? __("Due soon") : t.state_label
		)}</span>`;
		const facts = [];
		if (t.met) {
			facts.push(__("Met at {0}", [esc(t.stopped_at)]));
		} else if (t.live && t.remaining_seconds !== undefined && !(t.breached && t.stopped_at)) {
			const cls = t.remaining_seconds < 0 ? "text-danger" : t.warning ? "text-warning" : "";
			facts.push(
				`<b class="${cls} sla-mgmt-left">${esc(
					sla_management.time_left_text(t.remaining_seconds)
				)}</b> ${esc(__("(business time)"))}`
			);
		}
		if (t.breached && t.stopped_at) facts.push(__("Stopped at {0}", [esc(t.stopped_at)]));
		if (t.paused_since) {
			facts.push(
				esc(
					t.paused_status
						? __("Paused since {0} ({1})", [t.paused_since, __(t.paused_status)])
						: __("Paused since {0}", [t.paused_since])
				)
			);
		}
		facts.push(esc(__("Target {0}, elapsed {1}", [t.target_text, t.elapsed_text])));
		const deadline = [];
		if (t.deadline_calendar) {
			// a paused timer's deadline is where it would fall were it resumed now
			const text = t.state === "Paused" ? __("Deadline if resumed now {0}", [t.deadline_calendar]) : __("Deadline {0}", [t.deadline_calendar]);
			deadline.push(esc(text));
		}
		if (t.deadline_user && t.deadline_user !== t.deadline_calendar) {
			deadline.push(esc(__("your time {0}", [t.deadline_user])));
		}
		if (t.breached_at && !t.met) deadline.push(esc(__("breached at {0}", [t.breached_at])));
		return `<div class="sla-mgmt-timer" style="margin-bottom: var(--margin-sm)">
			${pill} <span class="text-muted">·</span> ${facts.join(' <span class="text-muted">·</span> ')}
			<div class="text-muted small" style="margin-top: 2px">${deadline.join(" · ")}</div>
		</div>`;
	}

	function render(frm, data) {
		const $body = section(frm);
		if (!data || !data.enabled) {
			$body.closest(".form-dashboard-section").toggle(false);
			return;
		}
		let html = "";
		if (data.timers && data.timers.length) {
			html = data.timers.map(timer_html).join("");
			if (data.cycle > 1) {
				html += `<div class="text-muted small">${esc(
					__("Cycle {0} (the ticket was reopened)", [data.cycle])
				)}</div>`;
			}
		} else {
			const state = data.status || "Not Applied";
			html = `<div class="sla-mgmt-timer">${sla_management.sla_pill(state)} ${esc(
				data.note || __("No SLA timer runs for this ticket.")
			)}</div>`;
		}
		if (data.timers && data.timers.length && data.note) {
			html += `<div class="text-muted small">${esc(data.note)}</div>`;
		}
		$body.html(`<div class="sla-mgmt-indicator" data-ticket="${esc(data.name)}">${html}</div>`);
		$body.closest(".form-dashboard-section").toggle(true);
		frm.dashboard.show();
	}

	function section(frm) {
		if (!frm.sla_mgmt_section) {
			frm.sla_mgmt_section = frm.dashboard.add_section("", __("SLA Timers"));
			frm.sla_mgmt_section.closest(".form-dashboard-section").addClass("sla-mgmt-section");
		}
		return frm.sla_mgmt_section;
	}

	function load(frm) {
		const doctype = frm.doctype;
		const name = frm.doc.name;
		return frappe
			.xcall("sla_management.sla_check.tickets.api.get_ticket_sla", { doctype, name })
			.then((data) => {
				// the form may show another ticket by now
				if (frm.doctype === doctype && frm.doc.name === name) render(frm, data);
			})
			.catch(() => {
				if (frm.sla_mgmt_section) {
					frm.sla_mgmt_section.closest(".form-dashboard-section").toggle(false);
				}
			});
	}

	function schedule(frm) {
		clearInterval(frm.sla_mgmt_timer);
		frm.sla_mgmt_timer = setInterval(() => {
			const visible = document.visibilityState !== "hidden";
			if (window.cur_frm !== frm || frm.is_new() || !frm.doc) {
				clearInterval(frm.sla_mgmt_timer);
				return;
			}
			if (visible) load(frm);
		}, REFRESH_MS);
	}

	sla_management.ticket_form = { load, render, timer_html };

	const handlers = {
		refresh(frm) {
			if (frm.is_new()) {
				if (frm.sla_mgmt_section) {
					frm.sla_mgmt_section.closest(".form-dashboard-section").toggle(false);
				}
				return;
			}
			load(frm);
			schedule(frm);
		},
	};
	DOCTYPES.forEach((doctype) => frappe.ui.form.on(doctype, handlers));
})();
