"""The SLA cycle of one ticket: which timers it gets and how each save moves them — pure, no ``frappe``.

State based: each save compares the ticket's status, priority and coverage with its timers and brings
the timers in line, so a missed save (a status written with ``db_set``) is caught up at the next one.

- no timers yet: select the covering agreement; one timer per metric with a target, from the opening;
- coverage (customer, project, service item) changed: select again; retarget the open timers (start,
  pauses and elapsed time kept), or cancel them when nothing covers the ticket any more;
- priority changed: the agreement's target for the new priority, or keep the old one with a note;
- a resolved cycle whose ticket is no longer resolved (and, when reopen statuses are configured, is in
  one of them): a new resolution timer, cycle + 1, from now;
- then per open timer of the current cycle: stop it on resolve (and the response timer on a "respond"
  status or an outgoing reply), pause it in a pause status, else resume it;
- measure every timer that is new, open or changed, and sum the current cycle up for the ticket.

What needs the database (agreement look-up, agreement terms, calendars, translated notes) comes in
through ``Ports``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from . import selection
from .errors import _
from .ticket_timer import Timer, as_datetime, new_timer
from .vocabulary import (
	BREACHED,
	CANCELLED,
	MET,
	NOT_APPLIED,
	PAUSE,
	PAUSED,
	REOPEN,
	RESOLUTION,
	RESOLVE,
	RESPOND,
	RESPONSE,
	RUNNING,
	TIMER_METRICS,
)


@dataclass
class Ticket:
	"""What SLA processing needs of a ticket, read through its ticket type."""

	doctype: str
	name: str
	customer_type: str | None
	customer: str | None
	project: str | None
	service_item: str | None
	priority: str | None
	status: str | None
	opening: datetime

	def as_selection_input(self) -> dict:
		return {
			"customer_type": self.customer_type,
			"customer": self.customer,
			"project": self.project,
			"service_item": self.service_item,
			"priority": self.priority,
			"opening_date": self.opening.date(),
		}


@dataclass(frozen=True)
class Ports:
	"""The cycle's way out: look-ups the Frappe layer answers from the database and its caches."""

	select: Callable[[Ticket], selection.Selection]  # the covering agreement (with terms) and target
	terms: Callable[..., dict]  # (agreement name[, modified]) -> the submitted agreement's terms
	calendar: Callable[..., object]  # (calendar name, its modified or None) -> WorkingCalendar
	reason: Callable[[selection.Selection], str]  # the translated note of a failed selection


@dataclass(frozen=True)
class Outcome:
	"""The timers to write (all of the ticket's, changed or not) and the ticket's SLA fields."""

	timers: list[Timer]
	fields: dict


def not_applied(note: str) -> Outcome:
	return Outcome([], {"status": NOT_APPLIED, "note": note})


def sync(
	ticket: Ticket,
	timers: list[Timer],
	*,
	at: datetime,
	rules: Mapping[str, frozenset],
	levels: list,
	tz: tzinfo,
	ports: Ports,
	responded_at=None,
	predates_setup: bool = False,
) -> Outcome:
	"""Bring ``timers`` (the ticket's stored timers, empty for a new ticket) in line with ``ticket`` at
	``at`` (naive, in ``tz``). ``rules``: the ticket type's statuses per effect (PAUSE, RESPOND, RESOLVE,
	REOPEN). ``responded_at``: an outgoing reply was sent then. ``predates_setup``: the stored ticket is
	older than SLA on its DocType, so it gets no timers."""
	note = ""
	if not timers:
		if predates_setup:
			return not_applied(
				_("No SLA applied: the ticket was created before SLA was set up for {0}.").format(
					_(ticket.doctype)
				)
			)
		result = ports.select(ticket)
		if not result.found:
			return not_applied(ports.reason(result))
		timers = [
			new_timer(ticket, result.agreement, result.target, metric, 1, ticket.opening)
			for metric in TIMER_METRICS
			if selection.target_seconds(result.target, metric)
		]
		if not timers:
			return not_applied(ports.reason(result))
		agreement = terms = result.agreement
	else:
		agreement = terms = None

	cycle = max(int(t.data.cycle or 1) for t in timers)
	current = [t for t in timers if int(t.data.cycle or 1) == cycle]
	ref = current[-1]
	if terms is None:
		terms = ports.terms(ref.data.agreement)
		agreement = {**terms, "name": ref.data.agreement}

	open_timers = [t for t in current if t.is_open]
	if open_timers and not any(t.new for t in open_timers):
		agreement, terms, note = follow_coverage(ticket, open_timers, ref, agreement, terms, at, ports)

	reopened = reopen(ticket, current, open_timers, agreement, rules, cycle, at)
	if reopened:
		timers.append(reopened)
		current = [reopened]

	apply_status(ticket, current, rules, terms, at, responded_at)
	measure(timers, agreement, at, levels, tz, ports)
	return Outcome(timers, summary(current, note))


def follow_coverage(ticket, open_timers, ref, agreement, terms, at, ports: Ports):
	"""Retarget or cancel the open timers after a coverage or priority change; (agreement, terms, note)."""
	note = ""
	if coverage_changed(ticket, ref.data):
		result = ports.select(ticket)
		if not result.found:
			note = ports.reason(result)
			for t in open_timers:
				t.cancel(at, note)
		else:
			agreement = result.agreement
			terms = ports.terms(agreement["name"])
			for t in open_timers:
				t.retarget(at, agreement, result.target, ticket)
	elif (ticket.priority or None) != (ref.data.priority or None):
		target = selection.select_target(agreement, ticket.service_item, ticket.priority)
		if target is None:
			note = _("Agreement {0} has no target for priority {1}: the previous target is kept.").format(
				agreement["name"], ticket.priority or _("(none)")
			)
		else:
			for t in open_timers:
				t.retarget(at, agreement, target, ticket)
	return agreement, terms, note


def reopen(ticket, current, open_timers, agreement, rules, cycle: int, at) -> Timer | None:
	"""A new resolution timer when a resolved cycle's ticket is not resolved any more."""
	status = ticket.status
	if open_timers or status in rules[RESOLVE]:
		return None
	if not any(t.data.status != CANCELLED for t in current):
		return None
	if rules[REOPEN] and status not in rules[REOPEN]:
		return None
	target = selection.select_target(agreement, ticket.service_item, ticket.priority)
	if not target or not selection.target_seconds(target, RESOLUTION):
		return None
	timer = new_timer(ticket, agreement, target, RESOLUTION, cycle + 1, at)
	timer.log(at, _("Reopened: cycle {0}").format(cycle + 1))
	return timer


def apply_status(ticket, current, rules, terms, at, responded_at=None) -> None:
	"""Stop, pause or resume the open timers of the current cycle for the ticket's status."""
	status = ticket.status
	resolved = status in rules[RESOLVE]
	pause_statuses = rules[PAUSE] | terms.get("pause_statuses", frozenset())
	for t in current:
		if not t.is_open:
			continue
		if t.data.metric == RESPONSE and responded_at:
			t.stop_at(max(as_datetime(responded_at), as_datetime(t.data.start)))
		if resolved or (t.data.metric == RESPONSE and status in rules[RESPOND]):
			t.stop_at(at)
		elif status in pause_statuses:
			t.pause(at, status)
		else:
			t.resume(at)


def measure(timers, agreement, at, levels, tz: tzinfo, ports: Ports) -> None:
	"""Measure the timers worth it, each in its calendar (looked up once per calendar)."""
	calendars: dict = {}
	aware_at = at.replace(tzinfo=tz)
	for t in timers:
		if t.touched:
			name = t.data.calendar
			if name not in calendars:
				known = agreement.get("calendar_modified") if agreement.get("calendar") == name else None
				calendars[name] = ports.calendar(name, known)
			t.refresh(calendars[name], at, levels, tz, aware_at)


def coverage_changed(ticket: Ticket, ref: dict) -> bool:
	if ticket.customer and ticket.customer != ref.get("customer"):
		return True
	if ticket.project and ticket.project != ref.get("project"):
		return True
	return (ticket.service_item or None) != (ref.get("service_item") or None)


def summary(current: list[Timer], note: str = "") -> dict:
	"""The ticket's SLA fields from the timers of its current cycle."""
	live = [t for t in current if t.data.status != CANCELLED]
	if not live:
		return {
			"status": NOT_APPLIED,
			"note": note,
			"agreement": None,
			"response_by": None,
			"resolution_by": None,
		}
	if any(t.data.breached for t in live):
		status = BREACHED
	elif all(not t.is_open for t in live):
		status = MET
	elif any(t.is_open and not t.is_paused for t in live):
		status = RUNNING
	else:
		status = PAUSED
	by_metric = {t.data.metric: t.data.deadline for t in live}
	return {
		"status": status,
		"note": note,
		"agreement": live[-1].data.agreement,
		"response_by": by_metric.get(RESPONSE, ...),
		"resolution_by": by_metric.get(RESOLUTION),
	}
