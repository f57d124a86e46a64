"""What the desk shows of a ticket's SLA: its timers measured now, for the form's SLA indicator (read-only).

``get_ticket_sla`` measures each timer of the ticket's current cycle with the engine, in the agreement's
calendar, at the moment of the call: the browser only shows the answer (and asks again every minute), it
never computes business time itself.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import format_datetime, get_system_timezone

from sla_management.engine import escalation_rules as rules
from sla_management.engine.durations import format_business_seconds, time_left_text
from sla_management.engine.ticket_timer import TIMER_FIELDS, as_datetime
from sla_management.engine.vocabulary import BREACHED, CANCELLED, MET, PAUSED, RUNNING
from sla_management.sla_check.tickets import agreements, config
from sla_management.sla_check.tickets.timer_store import attach_pauses, load_timers

# a running timer shows "warning" (orange) from this share of its target on, unless the escalation
# levels name an earlier warning
DEFAULT_WARNING_FRACTION = 0.75
# the indicator colour of each state (Frappe's indicator colours)
COLOURS = {RUNNING: "blue", PAUSED: "gray", MET: "green", BREACHED: "red", CANCELLED: "gray"}
WARNING_COLOUR = "orange"


@frappe.whitelist()
def get_ticket_sla(doctype: str, name: str) -> dict:
	"""The SLA state of one ticket now: its SLA fields and the timers of its current cycle, measured.

	Refused (403) unless the caller may read the ticket. Each timer: metric, state and colour, target,
	elapsed and business time left (negative: overdue), the deadline in the calendar's and in the user's
	time zone, paused since, met or breached at.
	"""
	if not isinstance(doctype, str) or not isinstance(name, str) or not doctype or not name:
		frappe.throw(_("Give the ticket's DocType and name."), exc=frappe.ValidationError)
	if not frappe.db.exists("DocType", doctype) or not frappe.db.exists(doctype, name):
		raise frappe.PermissionError(_("You may not read {0} {1}.").format(_(doctype), name))
	if not frappe.has_permission(doctype, "read", name):
		raise frappe.PermissionError(_("You may not read {0} {1}.").format(_(doctype), name))
	cfg = config.ticket_types().get(doctype)
	out = {"doctype": doctype, "name": name, "enabled": bool(cfg), "timers": []}
	if not cfg:
		return out
	meta = frappe.get_meta(doctype)
	fields = [f for f in ("sla_mgmt_status", "sla_mgmt_note", "sla_mgmt_agreement") if meta.has_field(f)]
	if fields:
		values = frappe.db.get_value(doctype, name, fields, as_dict=True) or {}
		out.update(
			status=values.get("sla_mgmt_status"),
			note=values.get("sla_mgmt_note"),
			agreement=values.get("sla_mgmt_agreement"),
		)
	timers = load_timers(doctype, name)
	if not timers:
		return out
	cycle = max(int(t.data.cycle or 1) for t in timers)
	current = [t for t in timers if int(t.data.cycle or 1) == cycle and t.data.status != CANCELLED]
	system = ZoneInfo(get_system_timezone())
	user_tz = ZoneInfo(user_timezone() or system.key)
	now = frappe.utils.now_datetime()
	out.update(cycle=cycle, now=now.isoformat(), user_timezone=user_tz.key, system_timezone=system.key)
	out["timers"] = [measure(t, now, system, user_tz) for t in current]
	return out


def measure(timer, now: datetime, system: ZoneInfo, user_tz: ZoneInfo) -> dict:
	"""One timer measured at ``now`` (naive, system time zone) in its calendar; the values the form shows."""
	d = timer.data
	row = {
		"name": d.name,
		"metric": d.metric,
		"metric_label": _(d.metric),
		"cycle": int(d.cycle or 1),
		"agreement": d.agreement,
		"priority": d.priority,
		"calendar": d.calendar,
		"target_seconds": float(d.target_seconds or 0),
		"target_text": format_business_seconds(float(d.target_seconds or 0), business=True),
	}
	try:
		cal = agreements.calendar_for(d.calendar)
		result = timer.engine_timer(system).evaluate(cal, as_datetime(now).replace(tzinfo=system))
	except Exception:
		# a calendar deleted or beyond its horizon: show the stored values, say they are not live
		frappe.log_error(title=_("SLA indicator: timer {0} could not be measured").format(d.name))
		return {
			**row,
			"state": d.status,
			"state_label": _(d.status),
			"colour": COLOURS.get(d.status, "gray"),
			"live": False,
			"deadline": d.deadline and as_datetime(d.deadline).isoformat(),
			"deadline_user": in_zone(d.deadline, system, user_tz),
			"elapsed_seconds": float(d.elapsed_seconds or 0),
			"elapsed_text": format_business_seconds(float(d.elapsed_seconds or 0)),
		}
	state = result.state
	warning = state == RUNNING and result.fraction >= warning_fraction(d.metric)
	deadline = None if result.deadline is None else result.deadline.astimezone(system).replace(tzinfo=None)
	open_pause = next((p for p in timer.pauses if p.pause_end is None), None) if not d.stop else None
	stopped = bool(d.stop) and as_datetime(d.stop) <= as_datetime(now)
	return {
		**row,
		"state": state,
		"state_label": _(state),
		"warning": warning,
		"colour": WARNING_COLOUR if warning else COLOURS.get(state, "gray"),
		"live": True,
		"elapsed_seconds": result.elapsed_seconds,
		"elapsed_text": format_business_seconds(result.elapsed_seconds),
		"remaining_seconds": result.remaining_seconds,
		"remaining_text": time_left_text(result.remaining_seconds),
		"paused_seconds": result.paused_seconds,
		"fraction": result.fraction if result.fraction != float("inf") else None,
		"deadline": deadline and deadline.isoformat(),
		"calendar_timezone": cal.timezone,
		"deadline_calendar": in_zone(deadline, system, ZoneInfo(cal.timezone)),
		"deadline_user": in_zone(deadline, system, user_tz),
		"paused_since": in_zone(open_pause.pause_start, system, user_tz) if open_pause else None,
		"paused_status": open_pause.ticket_status if open_pause else None,
		"stopped_at": in_zone(d.stop, system, user_tz) if stopped else None,
		"met": state == MET,
		"breached": state == BREACHED,
		"breached_at": in_zone(result.breach_at.astimezone(system).replace(tzinfo=None), system, user_tz)
		if result.breach_at
		else None,
	}


def in_zone(value, system: ZoneInfo, zone: ZoneInfo) -> str | None:
	"""A stored (naive, system time zone) instant as the wall clock of ``zone``, with the zone's name."""
	if not value:
		return None
	local = as_datetime(value).replace(tzinfo=system).astimezone(zone).replace(tzinfo=None)
	return f"{format_datetime(local, 'yyyy-MM-dd HH:mm')} ({zone.key})"


def user_timezone() -> str | None:
	if frappe.session.user == "Guest":
		return None
	tz = frappe.db.get_value("User", frappe.session.user, "time_zone")
	try:
		return ZoneInfo(tz).key if tz else None
	except Exception:
		return None


def warning_fraction(metric: str) -> float:
	"""The first percent level below 100 % that applies to ``metric``, as a fraction; else 75 %."""
	try:
		levels = config.escalation_level_rules()
	except Exception:
		levels = []
	shares = [
		lv.percent / 100
		for lv in levels
		if lv.trigger == rules.PERCENT and lv.applies_to(metric) and 0 < lv.percent < 100
	]
	return min(shares) if shares else DEFAULT_WARNING_FRACTION


MAX_LIST_TICKETS = 100


@frappe.whitelist()
def get_tickets_sla(doctype: str, names) -> dict:
	"""For the ticket list: per ticket the caller may read, its most urgent open timer of the current cycle
	(state, colour, business time left). Tickets the caller may not read are left out."""
	names = frappe.parse_json(names) if isinstance(names, str) else names
	if not isinstance(doctype, str) or not isinstance(names, list):
		frappe.throw(_("Give the ticket's DocType and name."), exc=frappe.ValidationError)
	names = [n for n in names if isinstance(n, str)][:MAX_LIST_TICKETS]
	if not names or doctype not in config.ticket_types() or not frappe.has_permission(doctype, "read"):
		return {}
	readable = frappe.get_list(doctype, filters={"name": ("in", names)}, pluck="name", limit_page_length=0)
	if not readable:
		return {}
	system = ZoneInfo(get_system_timezone())
	user_tz = ZoneInfo(user_timezone() or system.key)
	now = frappe.utils.now_datetime()
	rows = frappe.db.sql(
		f"SELECT {', '.join(f'`{f}`' for f in TIMER_FIELDS)} FROM `tabSLA Timer` "
		"WHERE ticket_doctype = %s AND ticket IN %s AND stop IS NULL AND status != %s",
		(doctype, tuple(readable), CANCELLED),
		as_dict=True,
	)
	by_ticket: dict[str, list] = {}
	for timer in attach_pauses(rows):
		by_ticket.setdefault(timer.data.ticket, []).append(timer)
	out = {}
	for ticket, timers in by_ticket.items():
		cycle = max(int(t.data.cycle or 1) for t in timers)
		measured = [measure(t, now, system, user_tz) for t in timers if int(t.data.cycle or 1) == cycle]
		measured = [m for m in measured if m.get("remaining_seconds") is not None]
		if not measured:
			continue
		m = min(measured, key=lambda m: m["remaining_seconds"])
		out[ticket] = {
			"metric": m["metric_label"],
			"state": m["state"],
			"colour": m["colour"],
			"warning": m.get("warning"),
			"remaining_seconds": m["remaining_seconds"],
			"remaining_text": m["remaining_text"],
		}
	return out
