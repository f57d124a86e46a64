"""The scheduler's SLA sweep: due timers only, found through the ``next_check`` index.

``enqueue_due_timers`` (every 5 minutes) reads the names of timers whose ``next_check`` has passed — its
cost follows the number of due timers, not of open tickets — and enqueues them in chunks (queue "short",
deduplicated job ids). ``process_due_timers`` locks each chunk's rows, re-checks they are still due,
records breaches, sends the escalation levels that fell due (``last_level`` makes each level fire once)
and sets the next check.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, get_datetime

from sla_management.engine import escalation_rules as rules
from sla_management.engine.ticket_timer import TIMER_FIELDS, to_aware
from sla_management.engine.vocabulary import BREACHED
from sla_management.sla_check.tickets import config, escalation
from sla_management.sla_check.tickets.agreements import calendar_for
from sla_management.sla_check.tickets.sync import system_tz
from sla_management.sla_check.tickets.timer_store import TIMER, attach_pauses, save_timers

WORKER = "sla_management.sla_check.tickets.sweep.process_due_timers"
RETRY_AFTER_ERROR_MINUTES = 60


def due_timer_names(at: datetime | None = None) -> list[str]:
	"""Names of the timers whose next check has passed: a range scan of the ``next_check`` index."""
	hint = "FORCE INDEX (next_check)" if frappe.db.db_type == "mariadb" else ""
	return frappe.db.sql_list(
		f"SELECT name FROM `tab{TIMER}` {hint} WHERE next_check <= %s ORDER BY next_check",
		(get_datetime(at or frappe.utils.now_datetime()),),
	)


def enqueue_due_timers() -> int:
	"""Scheduler entry: enqueue chunks of due timers; returns how many timers were due."""
	names = due_timer_names()
	chunk = cint(config.settings_value("sweep_chunk_size")) or 500
	for i in range(0, len(names), chunk):
		part = names[i : i + chunk]
		frappe.enqueue(
			WORKER,
			queue="short",
			job_id=f"sla_management:due_timers:{part[0]}",
			deduplicate=True,
			names=part,
		)
	return len(names)


def process_due_timers(names: list[str] | None = None, at: datetime | None = None) -> dict:
	"""Evaluate due timers (locked), record breaches, escalate, and set their next check."""
	at = get_datetime(at or frappe.utils.now_datetime())
	if names is None:
		names = due_timer_names(at)
	if not names:
		return {"processed": 0, "breached": 0, "alerts": 0}
	T = frappe.qb.DocType(TIMER)
	rows = (
		frappe.qb.from_(T)
		.select(*[T[f] for f in TIMER_FIELDS])
		.where(T.name.isin(names))
		.where(T.next_check <= at)
		.where(T.stop.isnull())
		.for_update()
		.run(as_dict=True)
	)
	due = attach_pauses(rows)
	level_rows = config.escalation_levels()
	levels = rules.levels_from_rows(level_rows)
	rows_by_idx = escalation.level_rows_by_idx(level_rows)
	calendars: dict = {}
	breached_tickets: dict[str, set] = {}
	alerts = 0
	tz = system_tz()
	aware_at = to_aware(at, tz)
	for t in due:
		try:
			name = t.data.calendar
			if name not in calendars:
				calendars[name] = calendar_for(name)
			cal = calendars[name]
			was_breached = bool(t._orig.get("breached"))
			res = t.refresh(cal, at, levels, tz, aware_at)
			decision = rules.due_levels(
				levels,
				t.data.metric,
				int(t.data.last_level or 0),
				fraction=res.fraction,
				breach_at=res.breach_at,
				at=aware_at,
			)
			for level in decision.notify:
				escalation.escalate(rows_by_idx[level.idx], t.data)
				alerts += 1
			if decision.last_level != int(t.data.last_level or 0):
				t.data.last_level = decision.last_level
				t.update_next_check(cal, at, res, levels, tz)
			if t.data.breached and not was_breached:
				breached_tickets.setdefault(t.data.ticket_doctype, set()).add(t.data.ticket)
		except Exception:
			frappe.log_error(
				title=_("SLA sweep failed for timer {0}").format(t.data.name),
				reference_doctype=TIMER,
				reference_name=t.data.name,
			)
			t.data.next_check = add_to_date(at, minutes=RETRY_AFTER_ERROR_MINUTES)
	save_timers(due)
	for doctype, tickets in breached_tickets.items():
		mark_tickets_breached(doctype, tickets)
	return {"processed": len(due), "breached": sum(map(len, breached_tickets.values())), "alerts": alerts}


def mark_tickets_breached(doctype: str, names: set[str]) -> None:
	if not frappe.get_meta(doctype).has_field("sla_mgmt_status"):
		return
	D = frappe.qb.DocType(doctype)
	frappe.qb.update(D).set(D.sla_mgmt_status, BREACHED).where(D.name.isin(list(names))).run()
