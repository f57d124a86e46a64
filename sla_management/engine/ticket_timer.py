"""One SLA Timer record of a ticket in memory — its transitions and its measurement — pure, no ``frappe``.

A record holds the stored fields of an SLA Timer row and its pauses as naive datetimes in the system time
zone (as Frappe stores them); it is measured by ``SlaTimer.evaluate`` in the agreement's calendar after
making them aware in ``tz``. It remembers what changed so that the Frappe layer writes only that.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, tzinfo

from . import escalation_rules as rules, selection
from .errors import _
from .timer import SlaTimer
from .vocabulary import BREACHED, CANCELLED, MET, PAUSED, RUNNING

# The stored fields of an SLA Timer row, in the order the timer table is written.
TIMER_FIELDS = (
	"name",
	"ticket_doctype",
	"ticket",
	"agreement",
	"agreement_version",
	"requirement_metric",
	"calendar",
	"project",
	"customer_type",
	"customer",
	"service_item",
	"priority",
	"metric",
	"cycle",
	"target_seconds",
	"start",
	"stop",
	"deadline",
	"elapsed_seconds",
	"paused_seconds",
	"status",
	"breached",
	"breach_at",
	"next_check",
	"last_level",
	"target_history",
)
PAUSE_FIELDS = ("name", "parent", "pause_start", "pause_end", "ticket_status")


class Row(dict):
	"""A dict whose keys read and write as attributes; a missing key reads as None."""

	__slots__ = ()
	__getattr__ = dict.get
	__setattr__ = dict.__setitem__
	__delattr__ = dict.__delitem__


def new_name() -> str:
	"""A random record name of 10 hex digits (Frappe's "hash" autoname)."""
	return secrets.token_hex(5)


def as_datetime(value) -> datetime:
	"""A naive datetime from a datetime, an ISO string or a date, without the slow generic parser."""
	if isinstance(value, datetime):
		return value
	if isinstance(value, str):
		try:
			return datetime.fromisoformat(value)
		except ValueError:
			from dateutil.parser import parse  # what Frappe's get_datetime falls back to

			return parse(value)
	if isinstance(value, date):
		return datetime.combine(value, datetime.min.time())
	raise TypeError(_("Not a date and time: {0!r}").format(value))


def to_aware(value, tz: tzinfo) -> datetime | None:
	return as_datetime(value).replace(tzinfo=tz) if value else None


def to_naive(value: datetime | None, tz: tzinfo) -> datetime | None:
	return None if value is None else value.astimezone(tz).replace(tzinfo=None)


class Timer:
	"""One SLA Timer row and its pauses; remembers what changed so that saving writes only that."""

	def __init__(self, data: dict, pauses: list[dict] | None = None, new: bool = False):
		self.data = Row(data)
		self.pauses = [Row(p) for p in pauses or []]
		self.new = new
		self._orig = {} if new else dict(self.data)
		for p in self.pauses:
			p.setdefault("_state", "new" if new else "")

	def __getattr__(self, key):
		try:
			return self.__dict__["data"][key]
		except KeyError:
			raise AttributeError(key) from None

	@property
	def is_open(self) -> bool:
		return not self.data.stop and self.data.status != CANCELLED

	@property
	def is_paused(self) -> bool:
		return any(p.pause_end is None for p in self.pauses)

	def engine_timer(self, tz: tzinfo) -> SlaTimer:
		pauses = [(to_aware(p.pause_start, tz), to_aware(p.pause_end, tz)) for p in self.pauses]
		d = self.data
		return SlaTimer(to_aware(d.start, tz), float(d.target_seconds or 0), pauses, to_aware(d.stop, tz))

	# transitions -----------------------------------------------------------------------------------
	def pause(self, at: datetime, ticket_status: str | None) -> None:
		if self.is_open and not self.is_paused:
			at = max(as_datetime(at), as_datetime(self.data.start))
			self.pauses.append(
				Row(
					name=new_name(),
					pause_start=at,
					pause_end=None,
					ticket_status=ticket_status,
					_state="new",
				)
			)

	def resume(self, at: datetime) -> None:
		for p in self.pauses:
			if p.pause_end is None:
				p.pause_end = max(as_datetime(at), as_datetime(p.pause_start))
				p._state = p._state or "dirty"

	def stop_at(self, at: datetime) -> None:
		if self.is_open:
			self.resume(at)
			self.data.stop = max(as_datetime(at), as_datetime(self.data.start))

	def cancel(self, at: datetime, note: str) -> None:
		if self.is_open:
			self.stop_at(at)
			self.data.status = CANCELLED
			self.data.next_check = None
			self.log(at, note)

	def retarget(self, at: datetime, agreement: dict, target: dict, ticket) -> bool:
		"""Another target (priority or agreement change); start, pauses and elapsed time are kept."""
		seconds = selection.target_seconds(target, self.data.metric)
		if not seconds:
			return False
		old = (self.data.agreement, self.data.priority, float(self.data.target_seconds or 0))
		set_stamp(self.data, agreement, target, ticket)
		self.data.target_seconds = seconds
		if old != (self.data.agreement, self.data.priority, seconds):
			self.log(
				at,
				_("{0}, priority {1}, target {2} s → {3}, priority {4}, target {5} s").format(
					old[0],
					old[1] or "-",
					int(old[2]),
					self.data.agreement,
					self.data.priority or "-",
					int(seconds),
				),
			)
		return True

	def log(self, at: datetime, text: str) -> None:
		line = f"{as_datetime(at).strftime('%Y-%m-%d %H:%M:%S')} {text}"
		self.data.target_history = "\n".join(filter(None, [self.data.target_history, line]))

	# measurement -----------------------------------------------------------------------------------
	def refresh(self, cal, at: datetime, levels: list[rules.Level], tz: tzinfo, aware_at=None):
		"""Measure at ``at`` (naive, in ``tz``) and set deadline, elapsed, paused, status, breach and next
		check. ``aware_at``: ``at`` made aware, when the caller has it."""
		engine = self.engine_timer(tz)
		aware_at = aware_at or to_aware(at, tz)
		res = engine.evaluate(cal, aware_at)
		d = self.data
		deadline = res.deadline
		d.deadline = None if deadline is None else deadline.astimezone(tz).replace(tzinfo=None)
		d.elapsed_seconds = round(res.elapsed_seconds, 3)
		d.paused_seconds = round(res.paused_seconds, 3)
		d.breached = 1 if res.breached else 0
		d.breach_at = (
			d.deadline if res.breached and res.breach_at is deadline else to_naive(res.breach_at, tz)
		)
		if d.status == CANCELLED:
			d.next_check = None
			return res
		if d.stop:
			d.status = BREACHED if res.breached else MET
		else:
			d.status = BREACHED if res.breached else (PAUSED if self.is_paused else RUNNING)
		self.update_next_check(cal, at, res, levels, tz, engine, aware_at)
		return res

	def update_next_check(self, cal, at, res, levels, tz: tzinfo, engine=None, aware_at=None) -> None:
		d = self.data
		if not self.is_open:
			d.next_check = None
			return
		engine = engine or self.engine_timer(tz)
		aware_at = aware_at or to_aware(at, tz)

		def instant_for_fraction(fraction: float):
			return engine.with_target(engine.target_seconds * fraction).evaluate(cal, aware_at).deadline

		nxt = rules.next_check(
			levels,
			d.metric,
			int(d.last_level or 0),
			running=not self.is_paused,
			deadline=res.deadline,
			breach_at=res.breach_at,
			instant_for_fraction=instant_for_fraction,
		)
		d.next_check = d.deadline if nxt is not None and nxt == res.deadline else to_naive(nxt, tz)

	# persistence -----------------------------------------------------------------------------------
	def changes(self) -> dict:
		return {k: v for k, v in self.data.items() if k != "name" and self._orig.get(k) != v}

	@property
	def touched(self) -> bool:
		"""New, open, changed, or with changed pauses: worth measuring and writing."""
		return self.new or self.is_open or bool(self.changes()) or any(p._state for p in self.pauses)

	def mark_saved(self) -> None:
		for p in self.pauses:
			p._state = ""
		self.new = False
		self._orig = dict(self.data)


def set_stamp(data: dict, agreement: dict, target: dict, ticket) -> None:
	"""Copy what the agreement version and the ticket say into a timer's stamp fields."""
	data.update(
		agreement=agreement["name"],
		agreement_version=int(agreement.get("version") or 0),
		requirement_metric=target.get("requirement_metric"),
		calendar=agreement.get("calendar"),
		project=agreement.get("project"),
		customer_type=ticket.customer_type if ticket.customer else agreement.get("customer_type"),
		customer=ticket.customer or agreement.get("customer"),
		service_item=ticket.service_item,
		priority=ticket.priority,
	)


def new_timer(ticket, agreement: dict, target: dict, metric: str, cycle: int, start) -> Timer:
	data = dict.fromkeys(TIMER_FIELDS)
	data.update(
		name=new_name(),
		ticket_doctype=ticket.doctype,
		ticket=ticket.name,
		metric=metric,
		cycle=cycle,
		target_seconds=selection.target_seconds(target, metric),
		start=as_datetime(start),
		status=RUNNING,
		breached=0,
		last_level=0,
		elapsed_seconds=0,
		paused_seconds=0,
	)
	set_stamp(data, agreement, target, ticket)
	return Timer(data, new=True)
