"""SLA Timer and SLA Timer Pause rows in the database: read a ticket's timers, write what changed.

The hot path of every ticket save. Reading: none — the ticket's row keeps its current cycle's timers
(``timer_state``), read with the row Frappe locks for the save; the table is read only when the row has
no (valid) state. Writing: new timers and pauses go in as one multi-row INSERT each; existing timers get
one UPDATE of their changed columns (all changed timers in one statement), and so do ended pauses.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import frappe

from sla_management.engine.ticket_timer import PAUSE_FIELDS, TIMER_FIELDS, Timer, as_datetime

TIMER = "SLA Timer"
TIMER_PAUSE = "SLA Timer Pause"
_TIMER_COLUMNS = ", ".join(f"`{f}`" for f in TIMER_FIELDS)
_DATETIME_FIELDS = ("start", "stop", "deadline", "breach_at", "next_check")


STATE_FIELD = "sla_mgmt_timer_state"
_STATE_VERSION = 1


def load_timers(doctype: str, name: str, for_update: bool = False, state=None) -> list[Timer]:
	"""The ticket's timers (by cycle, the response timer first), with the pauses of the open ones.

	``state``: the ticket's ``sla_mgmt_timer_state`` as its locked row holds it (see ``timer_state``): the
	timers of its current cycle come from it, without a query; None (not kept, or cleared after an error):
	they are read from the database.

	``for_update``: a locking read of the timer rows, which sees the latest committed rows (a plain read
	sees the transaction's snapshot, possibly older than the ticket lock the caller holds) and keeps them
	locked until the transaction ends. Pauses are read plainly: they are only written under the ticket's
	lock, and a locking read of their index would take gap locks that new pauses of other tickets would
	wait for.
	"""
	if state:
		timers = timers_from_state(state, doctype, name)
		if timers is not None:
			return timers
	rows = frappe.db.sql(
		f"SELECT {_TIMER_COLUMNS} FROM `tab{TIMER}` WHERE ticket_doctype = %s AND ticket = %s "
		f"ORDER BY cycle ASC, metric DESC{' FOR UPDATE' if for_update else ''}",
		(doctype, name),
		as_dict=True,
	)
	return attach_pauses(rows)


def timer_state(timers: list[Timer]) -> str:
	"""The ticket's ``sla_mgmt_timer_state``: its current cycle's timers and their open pauses, as JSON.

	Kept on the ticket's row, so that a save finds its timers in the row Frappe reads for update anyway
	(one lock, no timer read); written in the same transaction as the SLA Timer rows, which stay the
	record (reports, the sweep, the ticket's SLA Timers list read them). Anything else that writes timer
	rows updates or clears it (the sweep; SLA Timer's own doc events), and an error clears it: then the
	next save reads the timers from the table.
	"""
	cycle = max((int(t.data.cycle or 1) for t in timers), default=0)
	rows = []
	for t in timers:
		if int(t.data.cycle or 1) != cycle:
			continue
		data = {f: t.data.get(f) for f in TIMER_FIELDS}
		for field in _DATETIME_FIELDS:
			if data[field] is not None:
				data[field] = as_datetime(data[field]).isoformat()
		data["pauses"] = (
			[]
			if t.data.stop
			else [
				[
					p.name,
					as_datetime(p.pause_start).isoformat() if p.pause_start else None,
					as_datetime(p.pause_end).isoformat() if p.pause_end else None,
					p.ticket_status,
				]
				for p in t.pauses
			]
		)
		rows.append(data)
	return json.dumps({"v": _STATE_VERSION, "timers": rows}, separators=(",", ":"), default=_json_value)


def _json_value(value):
	if isinstance(value, Decimal):
		return float(value)
	return str(value)


def timers_from_state(state: str, doctype: str, name: str) -> list[Timer] | None:
	"""The timers a ticket's ``sla_mgmt_timer_state`` holds; None when it cannot be read."""
	try:
		value = json.loads(state)
	except (TypeError, ValueError):
		return None
	if not isinstance(value, dict) or value.get("v") != _STATE_VERSION:
		return None
	timers = []
	for data in value.get("timers") or ():
		pauses = data.pop("pauses", None) or ()
		for field in _DATETIME_FIELDS:
			if data[field] is not None:
				data[field] = datetime.fromisoformat(data[field])
		data["ticket_doctype"], data["ticket"] = doctype, str(name)  # also after a rename
		parent = data["name"]
		timers.append(
			Timer(
				data,
				[
					{
						"name": p_name,
						"parent": parent,
						"pause_start": datetime.fromisoformat(start) if start else None,
						"pause_end": datetime.fromisoformat(end) if end else None,
						"ticket_status": status,
					}
					for p_name, start, end, status in pauses
				],
			)
		)
	return timers


def _pause_order(pause: dict) -> datetime:
	return pause["pause_start"] or datetime.min


def attach_pauses(rows: list[dict]) -> list[Timer]:
	"""Timers of the given timer rows, with the pauses of the open ones (one query)."""
	open_names = [r["name"] for r in rows if not r.get("stop")]
	by_parent: dict[str, list] = {}
	if open_names:
		for p in frappe.db.sql(
			f"SELECT {', '.join(f'`{f}`' for f in PAUSE_FIELDS)} FROM `tab{TIMER_PAUSE}` "
			f"WHERE parenttype = %s AND parent IN %s ORDER BY pause_start ASC",
			(TIMER, open_names),
			as_dict=True,
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
	changed: dict[str, dict] = {}
	ended: dict[str, datetime | None] = {}
	for t in timers:
		if not t.new:
			diff = t.changes()
			if diff:
				changed[t.data.name] = {**diff, "modified": now, "modified_by": user}
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
				ended[p.name] = {"pause_end": p.pause_end}
		t.mark_saved()
	# a resume: two single-table statements (measured cheaper than one multiple-table UPDATE)
	if changed:
		update_rows(TIMER, changed)
	if ended:
		update_rows(TIMER_PAUSE, ended)
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


def update_rows(doctype: str, changes: dict[str, dict]) -> None:
	"""One UPDATE for all rows: ``changes`` maps a row's name to its changed columns → new values.

	A value shared by every row is set plainly; a column with different values, or changed in some rows
	only, is set with ``CASE name WHEN ... END`` (the others keep theirs). Values are written as
	``insert_rows`` writes them. No hooks, no document cache (nothing caches timer documents).
	"""
	values: list = []
	assignments = []
	if len(changes) == 1:
		((_name, diff),) = changes.items()
		assignments = [f"`{column}` = {_part(value, values)}" for column, value in diff.items()]
	else:
		columns: dict[str, None] = {}
		for diff in changes.values():
			columns.update(dict.fromkeys(diff))
		for column in columns:
			first = next(iter(changes.values())).get(column, _MISSING)
			if first is not _MISSING and all(
				diff.get(column, _MISSING) == first and type(diff[column]) is type(first)
				for diff in changes.values()
			):
				# the same value in every row (the save's instant, a status): no CASE
				assignments.append(f"`{column}` = {_part(first, values)}")
				continue
			cases = []
			for name, diff in changes.items():
				if column in diff:
					values.append(name)
					cases.append(f"WHEN %s THEN {_part(diff[column], values)}")
			assignments.append(f"`{column}` = CASE `name` {' '.join(cases)} ELSE `{column}` END")
	values.extend(changes)
	frappe.db.sql(
		f"UPDATE `tab{doctype}` SET {', '.join(assignments)} "
		f"WHERE `name` IN ({', '.join(['%s'] * len(changes))})",
		values,
	)


_MISSING = object()


def _part(value, values: list) -> str:
	"""``value`` in a statement as ``insert_rows`` writes it: a literal, or ``%s`` appended to ``values``."""
	if value is None:
		return "NULL"
	if type(value) is int:
		return str(value)
	if type(value) is datetime and value.tzinfo is None:
		return _datetime_literal(value)
	values.append(value)
	return "%s"


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
