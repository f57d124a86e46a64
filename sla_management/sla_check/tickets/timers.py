"""SLA Timer records of tickets: create, pause, resume, stop, retarget and reopen, measured by the engine.

Every measurement goes through ``sla_management.engine`` (``SlaTimer.evaluate``) in the agreement's
calendar. Frappe stores naive datetimes in the system time zone; they are made aware for the engine and
converted back before they are written.

The handler is state based: each ticket save compares the ticket's current status, priority and coverage
with its timers and brings the timers in line, so a missed hook (e.g. a status written with ``db_set``)
is caught up at the next save.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_system_timezone

from sla_management.engine import escalation_rules as rules, selection
from sla_management.engine.timer import SlaTimer
from sla_management.sla_check.tickets import config, stamping
from sla_management.sla_check.tickets.stamping import as_datetime

TIMER = "SLA Timer"
TIMER_PAUSE = "SLA Timer Pause"
RESPONSE, RESOLUTION = "Response", "Resolution"
RUNNING, PAUSED, MET, BREACHED, CANCELLED = "Running", "Paused", "Met", "Breached", "Cancelled"
NOT_APPLIED, ERROR = "Not Applied", "Error"

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


# -- time zones ---------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
	return ZoneInfo(name)


def system_tz() -> ZoneInfo:
	return _zone(get_system_timezone())


def to_aware(value, tz: ZoneInfo | None = None) -> datetime | None:
	"""``tz``: the system time zone when the caller already has it (else it is looked up)."""
	if not value:
		return None
	return as_datetime(value).replace(tzinfo=tz or system_tz())


def to_naive(value: datetime | None, tz: ZoneInfo | None = None) -> datetime | None:
	if value is None:
		return None
	return value.astimezone(tz or system_tz()).replace(tzinfo=None)


# -- the timer record -------------------------------------------------------------------------------------


class Timer:
	"""One SLA Timer row and its pauses in memory; remembers what changed so that saving writes only that."""

	def __init__(self, data: dict, pauses: list[dict] | None = None, new: bool = False):
		self.data = frappe._dict(data)
		self.pauses = [frappe._dict(p) for p in pauses or []]
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

	def engine_timer(self, tz: ZoneInfo | None = None) -> SlaTimer:
		tz = tz or system_tz()
		pauses = [(to_aware(p.pause_start, tz), to_aware(p.pause_end, tz)) for p in self.pauses]
		d = self.data
		return SlaTimer(to_aware(d.start, tz), float(d.target_seconds or 0), pauses, to_aware(d.stop, tz))

	# transitions -----------------------------------------------------------------------------------
	def pause(self, at: datetime, ticket_status: str | None) -> None:
		if self.is_open and not self.is_paused:
			at = max(as_datetime(at), as_datetime(self.data.start))
			self.pauses.append(
				frappe._dict(
					name=frappe.generate_hash(length=10),
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

	def retarget(self, at: datetime, agreement: dict, target: dict, ticket: stamping.Ticket) -> bool:
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
	def refresh(
		self,
		cal,
		at: datetime,
		levels: list[rules.Level],
		aware_at: datetime | None = None,
		tz: ZoneInfo | None = None,
	):
		"""Measure at ``at`` and set deadline, elapsed, paused, status, breach and next check.

		``aware_at`` and ``tz``: ``at`` made aware and the system time zone, when the caller has them.
		"""
		tz = tz or system_tz()
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
		self.update_next_check(cal, at, res, levels, engine, aware_at, tz)
		return res

	def update_next_check(
		self,
		cal,
		at,
		res,
		levels,
		engine: SlaTimer | None = None,
		aware_at: datetime | None = None,
		tz: ZoneInfo | None = None,
	) -> None:
		d = self.data
		if not self.is_open:
			d.next_check = None
			return
		tz = tz or system_tz()
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


def set_stamp(data: dict, agreement: dict, target: dict, ticket: stamping.Ticket) -> None:
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


def new_timer(
	ticket: stamping.Ticket, agreement: dict, target: dict, metric: str, cycle: int, start
) -> Timer:
	data = dict.fromkeys(TIMER_FIELDS)
	data.update(
		name=secrets.token_hex(5),  # = frappe.generate_hash(length=10), the "hash" autoname
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


def load_timers(doctype: str, name: str) -> list[Timer]:
	rows = frappe.get_all(
		TIMER,
		filters={"ticket_doctype": doctype, "ticket": name},
		fields=list(TIMER_FIELDS),
		order_by="cycle asc, metric desc",
	)
	return attach_pauses(rows)


def attach_pauses(rows: list[dict]) -> list[Timer]:
	open_names = [r["name"] for r in rows if not r.get("stop")]
	by_parent: dict[str, list] = {}
	if open_names:
		for p in frappe.get_all(
			TIMER_PAUSE,
			filters={"parenttype": TIMER, "parent": ("in", open_names)},
			fields=list(PAUSE_FIELDS),
			order_by="pause_start asc",
		):
			by_parent.setdefault(p.parent, []).append(p)
	return [Timer(r, by_parent.get(r["name"], [])) for r in rows]


def save_timers(timers: list[Timer], now: datetime | None = None) -> None:
	"""Insert new timers and pauses in bulk; update only changed fields of existing ones.

	``now``: the time stamp of the records (default: now).
	"""
	now = now or frappe.utils.now_datetime()
	user = frappe.session.user
	new = [t for t in timers if t.new]
	if new:
		insert_rows(
			TIMER,
			[*TIMER_FIELDS, "creation", "modified", "owner", "modified_by", "docstatus", "idx"],
			[[t.data.get(c) for c in TIMER_FIELDS] + [now, now, user, user, 0, 0] for t in new],
		)
	pause_rows = []
	meta_values = [now, now, user, user, 0]
	for t in timers:
		if not t.new:
			diff = t.changes()
			if diff:
				frappe.db.set_value(TIMER, t.data.name, diff)
		for idx, p in enumerate(t.pauses, start=1):
			if p._state == "new":
				pause_rows.append(
					[
						p.name,
						t.data.name,
						TIMER,
						"pauses",
						idx,
						p.pause_start,
						p.pause_end,
						p.ticket_status,
						*meta_values,
					]
				)
			elif p._state == "dirty":
				frappe.db.set_value(TIMER_PAUSE, p.name, "pause_end", p.pause_end, update_modified=False)
			p._state = ""
		t.new = False
		t._orig = dict(t.data)
	if pause_rows:
		insert_rows(
			TIMER_PAUSE,
			[
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"pause_start",
				"pause_end",
				"ticket_status",
				"creation",
				"modified",
				"owner",
				"modified_by",
				"docstatus",
			],
			pause_rows,
		)


# -- the ticket handler ---------------------------------------------------------------------------------


def levels() -> list[rules.Level]:
	return config.escalation_level_rules()


_calendar_cache: dict[tuple, object] = {}


def calendar_for(calendar_name: str | None, modified=None):
	"""The engine calendar; with the calendar's ``modified`` known (read with the agreement), no query."""
	from sla_management.sla_implement.doctype.sla_service_calendar.sla_service_calendar import (
		get_engine_calendar,
	)

	name = calendar_name or config.settings_value("default_calendar")
	if not name:
		raise NoCalendar
	if modified is None:
		return get_engine_calendar(name)
	key = (frappe.local.site, name, str(modified))
	cal = _calendar_cache.get(key)
	if cal is None:
		if len(_calendar_cache) >= 64:
			_calendar_cache.clear()
		cal = _calendar_cache[key] = get_engine_calendar(name)
	return cal


class NoCalendar(Exception):
	pass


def sync_ticket(
	doc,
	cfg: dict,
	*,
	is_new: bool = False,
	at: datetime | None = None,
	responded_at=None,
	defer: bool = False,
) -> dict:
	"""Bring the ticket's SLA timers in line with the ticket; stamp the ticket. Returns the stamped values.

	``responded_at``: an outgoing reply was sent at that instant (first response).
	``defer``: called before the ticket is written (``before_save``): the SLA fields are only set on the
	document (its own INSERT/UPDATE stores them) and the timer writes are left in
	``doc.flags.sla_mgmt_staged`` for ``save_timers`` after the ticket is written.
	"""
	write = not defer
	stamp_now = at is None  # the records' time stamps are this instant too
	at = as_datetime(at or frappe.utils.now_datetime())
	ticket = stamping.read_ticket(doc, cfg)
	timers = [] if is_new else load_timers(ticket.doctype, ticket.name)
	lv = levels()
	note = ""

	if not timers:
		if not is_new and doc.creation and as_datetime(doc.creation) < as_datetime(cfg["since"]):
			return stamp_ticket(
				doc,
				write=write,
				status=NOT_APPLIED,
				note=_("No SLA applied: the ticket was created before SLA was set up for {0}.").format(
					_(ticket.doctype)
				),
			)
		result = stamping.select(ticket)
		if not result.found:
			return stamp_ticket(doc, write=write, status=NOT_APPLIED, note=stamping.reason_text(result))
		timers = [
			new_timer(ticket, result.agreement, result.target, metric, 1, ticket.opening)
			for metric in (RESPONSE, RESOLUTION)
			if selection.target_seconds(result.target, metric)
		]
		if not timers:
			return stamp_ticket(doc, write=write, status=NOT_APPLIED, note=stamping.reason_text(result))
		agreement = terms = result.agreement
	else:
		agreement = terms = None

	cycle = max(int(t.data.cycle or 1) for t in timers)
	current = [t for t in timers if int(t.data.cycle or 1) == cycle]
	ref = current[-1]
	if terms is None:
		terms = stamping.agreement_terms(ref.data.agreement)
		agreement = {**terms, "name": ref.data.agreement}

	# coverage or priority changed: another agreement or target, same start and pauses
	open_timers = [t for t in current if t.is_open]
	if open_timers and not any(t.new for t in open_timers):
		if coverage_changed(ticket, ref.data):
			result = stamping.select(ticket)
			if not result.found:
				for t in open_timers:
					t.cancel(at, stamping.reason_text(result))
				note = stamping.reason_text(result)
			else:
				agreement = result.agreement
				terms = stamping.agreement_terms(agreement["name"])
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

	status = ticket.status
	resolved = status in cfg[config.RESOLVE]
	# reopen: a resolved cycle and a status that is not resolved any more
	if (
		not open_timers
		and not resolved
		and any(t.data.status != CANCELLED for t in current)
		and (not cfg[config.REOPEN] or status in cfg[config.REOPEN])
	):
		target = selection.select_target(agreement, ticket.service_item, ticket.priority)
		if target and selection.target_seconds(target, RESOLUTION):
			cycle += 1
			reopened = new_timer(ticket, agreement, target, RESOLUTION, cycle, at)
			reopened.log(at, _("Reopened: cycle {0}").format(cycle))
			timers.append(reopened)
			current = [reopened]

	pause_statuses = cfg[config.PAUSE] | terms.get("pause_statuses", frozenset())
	for t in current:
		if not t.is_open:
			continue
		if t.data.metric == RESPONSE and responded_at:
			t.stop_at(max(as_datetime(responded_at), as_datetime(t.data.start)))
		if resolved or (t.data.metric == RESPONSE and status in cfg[config.RESPOND]):
			t.stop_at(at)
		elif status in pause_statuses:
			t.pause(at, status)
		else:
			t.resume(at)

	cal_cache = {}
	tz = system_tz()
	aware_at = at.replace(tzinfo=tz)
	for t in timers:
		if t.new or t.is_open or t.changes() or any(p._state for p in t.pauses):
			name = t.data.calendar
			if name not in cal_cache:
				known = agreement.get("calendar_modified") if agreement.get("calendar") == name else None
				cal_cache[name] = calendar_for(name, known)
			t.refresh(cal_cache[name], at, lv, aware_at, tz)
	if defer:
		doc.flags.sla_mgmt_staged = (timers, at if stamp_now else None)
	else:
		save_timers(timers, at if stamp_now else None)
	return stamp_ticket(doc, write=write, **summary(current, note))


def coverage_changed(ticket: stamping.Ticket, ref: dict) -> bool:
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


def stamp_ticket(
	doc, status=None, note="", agreement=..., response_by=..., resolution_by=..., write: bool = True
) -> dict:
	"""Set the SLA fields on the ticket; with ``write``, also in the database (one UPDATE, without
	touching ``modified`` or running hooks)."""
	values = {"sla_mgmt_status": status, "sla_mgmt_note": note or None}
	if agreement is not ...:
		values["sla_mgmt_agreement"] = agreement
	if response_by is not ...:
		values["sla_mgmt_response_by"] = response_by
	if resolution_by is not ...:
		values["sla_mgmt_resolution_by"] = resolution_by
	meta = getattr(doc, "meta", None) or frappe.get_meta(doc.doctype)  # a Document keeps its meta
	values = {k: v for k, v in values.items() if meta.has_field(k) and doc.get(k) != v}
	if values and write:
		assignments = ", ".join(f"`{fieldname}` = %s" for fieldname in values)
		frappe.db.sql(
			f"UPDATE `tab{doc.doctype}` SET {assignments} WHERE `name` = %s", [*values.values(), doc.name]
		)
	if values:
		doc.update(values)
	return values


def insert_rows(doctype: str, columns: list[str], rows: list[list]) -> None:
	"""One multi-row INSERT (the hot path: cheaper to build than ``frappe.db.bulk_insert``).

	NULLs, integers and naive datetimes are written into the statement as the driver would escape them
	(escaping a parameter costs more than the INSERT's other Python work); strings and floats are parameters.
	"""
	values = []
	row_sqls = []
	for row in rows:
		parts = [
			"NULL"
			if value is None
			else str(value)
			if type(value) is int
			else _datetime_literal(value)
			if type(value) is datetime and value.tzinfo is None
			else "%s"
			for value in row
		]
		values.extend([value for value, part in zip(row, parts, strict=True) if part == "%s"])
		row_sqls.append("(" + ", ".join(parts) + ")")
	frappe.db.sql(
		f"INSERT INTO `tab{doctype}` ({', '.join(f'`{c}`' for c in columns)}) VALUES " + ", ".join(row_sqls),
		values,
	)


def _datetime_literal(value: datetime) -> str:
	"""A naive datetime as an SQL literal, exactly as PyMySQL's ``escape_datetime`` writes it."""
	if value.microsecond:
		return (
			f"'{value.year:04}-{value.month:02}-{value.day:02} "
			f"{value.hour:02}:{value.minute:02}:{value.second:02}.{value.microsecond:06}'"
		)
	return f"'{value.year:04}-{value.month:02}-{value.day:02} {value.hour:02}:{value.minute:02}:{value.second:02}'"
