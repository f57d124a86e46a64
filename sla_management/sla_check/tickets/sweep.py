"""The scheduler's SLA sweep: due timers only, found through the ``next_check`` index.

``enqueue_due_timers`` (every 5 minutes) reads the names of timers whose ``next_check`` has passed — its
cost follows the number of due timers, not of open tickets — and enqueues them in chunks (queue "short",
deduplicated job ids). ``process_due_timers`` works ticket by ticket, in batches, in the one lock order of
the app (the ticket's row, then its timers):

1. claim the batch's tickets: ``SELECT ... FOR UPDATE SKIP LOCKED`` by primary key — a ticket being saved
   or replied to right now is skipped (its own sync measures its timers; a later sweep finds them still due),
   so the sweep never waits on a ticket save and a save never deadlocks with the sweep;
2. lock the claimed tickets' due timers by primary key (no index range, so no gap locks that would make a
   new ticket's timer insert wait), re-check they are still due, measure them, record breaches, set the next
   check and ``last_level``, mark breached tickets; commit (short transactions);
3. only then, with no row locked, render and queue the escalation alerts (``last_level`` was committed
   first, so a level is sent at most once, also by two sweeps running at the same time).

Timers whose ticket no longer exists stop being checked (``next_check`` cleared).
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
from sla_management.sla_check.tickets.timer_store import (
	STATE_FIELD,
	TIMER,
	attach_pauses,
	save_timers,
	timer_state,
	timers_from_state,
	update_rows,
)

WORKER = "sla_management.sla_check.tickets.sweep.process_due_timers"
RETRY_AFTER_ERROR_MINUTES = 60
TICKETS_PER_TRANSACTION = 50


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


def process_due_timers(
	names: list[str] | None = None, at: datetime | None = None, commit: bool = True
) -> dict:
	"""Evaluate due timers ticket by ticket (see the module's docstring); returns counts.

	``commit`` False: one transaction for everything (tests and the benchmark roll it back); the alerts are
	still sent after each batch's database work.
	"""
	at = get_datetime(at or frappe.utils.now_datetime())
	if names is None:
		names = due_timer_names(at)
	totals = {"processed": 0, "breached": 0, "alerts": 0, "skipped": 0}
	if not names:
		return totals
	context = _Context(at)
	by_ticket = _due_by_ticket(names, at)
	for doctype in sorted(by_ticket):
		tickets = sorted(by_ticket[doctype])
		for i in range(0, len(tickets), TICKETS_PER_TRANSACTION):
			batch = {name: by_ticket[doctype][name] for name in tickets[i : i + TICKETS_PER_TRANSACTION]}
			alerts = _process_batch(doctype, batch, context, totals)
			if commit:
				frappe.db.commit()  # the locks go; the alerts below are rendered and queued without them
			for level, timer in alerts:
				escalation.escalate(level, timer)
			totals["alerts"] += len(alerts)
			if commit:
				frappe.db.commit()
	return totals


class _Context:
	"""What every batch of one sweep shares: the instant, escalation levels, calendars."""

	def __init__(self, at: datetime):
		self.at = at
		self.tz = system_tz()
		self.aware_at = to_aware(at, self.tz)
		level_rows = config.escalation_levels()
		self.levels = rules.levels_from_rows(level_rows)
		self.rows_by_idx = escalation.level_rows_by_idx(level_rows)
		self.calendars: dict = {}

	def calendar(self, name):
		if name not in self.calendars:
			self.calendars[name] = calendar_for(name)
		return self.calendars[name]


def _due_by_ticket(names: list[str], at: datetime) -> dict[str, dict[str, list[str]]]:
	"""Ticket DocType → ticket → names of its timers still due (a plain read: nothing is locked yet)."""
	T = frappe.qb.DocType(TIMER)
	rows = (
		frappe.qb.from_(T)
		.select(T.name, T.ticket_doctype, T.ticket)
		.where(T.name.isin(names))
		.where(T.next_check <= at)
		.where(T.stop.isnull())
		.run()
	)
	out: dict[str, dict[str, list[str]]] = {}
	for name, doctype, ticket in rows:
		out.setdefault(doctype, {}).setdefault(ticket, []).append(name)
	return out


def _process_batch(doctype: str, batch: dict[str, list[str]], context: _Context, totals: dict) -> list:
	"""Claim the batch's tickets, then measure their timers; returns the (level, timer) alerts to send."""
	states = claim_tickets(doctype, list(batch))
	claimed = set(states)
	missing = set(batch) - claimed - existing_tickets(doctype, set(batch) - claimed)
	totals["skipped"] += len(batch) - len(claimed) - len(missing)
	if missing:
		stop_checking([name for ticket in sorted(missing) for name in batch[ticket]])
	timer_names = [name for ticket in sorted(claimed) for name in batch[ticket]]
	if not timer_names:
		return []
	due = attach_pauses(lock_due_timers(timer_names, context.at))
	alerts = []
	breached: set[str] = set()
	for t in due:
		try:
			alerts.extend(_evaluate(t, context))
			if t.data.breached and not t._orig.get("breached"):
				breached.add(t.data.ticket)
		except Exception:
			frappe.log_error(
				title=_("SLA sweep failed for timer {0}").format(t.data.name),
				reference_doctype=TIMER,
				reference_name=t.data.name,
			)
			t.data.next_check = add_to_date(context.at, minutes=RETRY_AFTER_ERROR_MINUTES)
	save_timers(due)
	update_states(doctype, states, due)
	if breached:
		mark_tickets_breached(doctype, breached)
	totals["processed"] += len(due)
	totals["breached"] += len(breached)
	# a snapshot of each timer as committed: the alert is rendered from it after the locks are gone
	return [(level, frappe._dict(t.data)) for level, t in alerts]


def _evaluate(t, context: _Context) -> list:
	"""Measure one locked timer and advance its escalation; returns its (level row, timer) alerts."""
	cal = context.calendar(t.data.calendar)
	res = t.refresh(cal, context.at, context.levels, context.tz, context.aware_at)
	last_level = int(t.data.last_level or 0)
	decision = rules.due_levels(
		context.levels,
		t.data.metric,
		last_level,
		fraction=res.fraction,
		breach_at=res.breach_at,
		at=context.aware_at,
	)
	if decision.last_level != last_level:
		t.data.last_level = decision.last_level
		t.update_next_check(cal, context.at, res, context.levels, context.tz)
	return [(context.rows_by_idx[level.idx], t) for level in decision.notify]


def claim_tickets(doctype: str, names: list[str]) -> dict[str, str | None]:
	"""Lock the tickets' rows, skipping those another transaction holds; returns the names locked → their
	timer state (None when the ticket keeps none)."""
	state = f"`{STATE_FIELD}`" if frappe.get_meta(doctype).has_field(STATE_FIELD) else "NULL"
	rows = frappe.db.sql(
		f"SELECT name, {state} FROM `tab{doctype}` WHERE name IN %(names)s ORDER BY name FOR UPDATE SKIP LOCKED",
		{"names": names},
	)
	# as text: a timer names its ticket as text, and some ticket DocTypes are numbered (HD Ticket)
	return {str(name): value for name, value in rows}


def update_states(doctype: str, states: dict[str, str | None], due: list) -> None:
	"""Bring the claimed tickets' timer state in line with the timers just measured (same transaction,
	under the tickets' locks); a state that does not hold a measured timer is cleared (the ticket's next
	save reads its timers)."""
	measured: dict[str, dict] = {}
	for t in due:
		measured.setdefault(t.data.ticket, {})[t.data.name] = t
	changes = {}
	for ticket, by_name in measured.items():
		state = states.get(ticket)
		if not state:
			continue
		timers = timers_from_state(state, doctype, ticket)
		if timers is None or not set(by_name) <= {t.data.name for t in timers}:
			changes[ticket] = {STATE_FIELD: None}
			continue
		for t in timers:
			if t.data.name in by_name:
				t.data.update(by_name[t.data.name].data)
		changes[ticket] = {STATE_FIELD: timer_state(timers)}
	if changes:
		update_rows(doctype, changes)


def existing_tickets(doctype: str, names: set[str]) -> set[str]:
	if not names:
		return set()
	rows = frappe.db.sql_list(
		f"SELECT name FROM `tab{doctype}` WHERE name IN %(names)s", {"names": list(names)}
	)
	return {str(name) for name in rows}


def lock_due_timers(names: list[str], at: datetime) -> list[dict]:
	"""Lock the timers by primary key (record locks only, no index range) and keep those still due."""
	hint = "FORCE INDEX (PRIMARY)" if frappe.db.db_type == "mariadb" else ""
	rows = frappe.db.sql(
		f"SELECT {', '.join(f'`{f}`' for f in TIMER_FIELDS)} FROM `tab{TIMER}` {hint} "
		"WHERE name IN %(names)s ORDER BY name FOR UPDATE",
		{"names": names},
		as_dict=True,
	)
	return [r for r in rows if r.next_check and r.next_check <= at and not r.stop]


def stop_checking(timer_names: list[str]) -> None:
	"""Timers of deleted tickets: no further checks."""
	T = frappe.qb.DocType(TIMER)
	frappe.qb.update(T).set(T.next_check, None).where(T.name.isin(timer_names)).run()


def mark_tickets_breached(doctype: str, names: set[str]) -> None:
	if not frappe.get_meta(doctype).has_field("sla_mgmt_status"):
		return
	D = frappe.qb.DocType(doctype)
	frappe.qb.update(D).set(D.sla_mgmt_status, BREACHED).where(D.name.isin(list(names))).run()
