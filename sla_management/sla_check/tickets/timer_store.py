"""SLA Timer and SLA Timer Pause rows in the database: read a ticket's timers, write what changed.

The hot path of every ticket save: new timers and pauses go in as one multi-row INSERT each; existing
rows get an UPDATE of their changed fields only.
"""

from __future__ import annotations

from datetime import datetime

import frappe

from sla_management.engine.ticket_timer import PAUSE_FIELDS, TIMER_FIELDS, Timer

TIMER = "SLA Timer"
TIMER_PAUSE = "SLA Timer Pause"
_TIMER_COLUMNS = ", ".join(f"`{f}`" for f in TIMER_FIELDS)


def load_timers(doctype: str, name: str, for_update: bool = False) -> list[Timer]:
	"""The ticket's timers. ``for_update``: a locking read, which sees the latest committed rows (a plain
	read sees the transaction's snapshot, possibly older than the ticket lock the caller holds) and keeps
	them locked until the transaction ends."""
	rows = frappe.db.sql(
		f"SELECT {_TIMER_COLUMNS} FROM `tab{TIMER}` WHERE ticket_doctype = %s AND ticket = %s "
		f"ORDER BY cycle ASC, metric DESC{' FOR UPDATE' if for_update else ''}",
		(doctype, name),
		as_dict=True,
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
		t.mark_saved()
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
