"""Read a ticket through its SLA Ticket Type: the facts SLA processing needs, from any ticket DocType."""

from __future__ import annotations

from datetime import date, datetime, time

import frappe
from frappe.model import default_fields, numeric_fieldtypes
from frappe.utils import get_time

from sla_management.engine.ticket_cycle import Ticket
from sla_management.engine.ticket_timer import as_datetime
from sla_management.sla_check.tickets.stamp import STAMP_FIELDS

# the ticket type's fields that SLA processing reads
FIELD_KEYS = (
	"customer_field",
	"project_field",
	"service_item_field",
	"priority_field",
	"status_field",
	"opening_field",
	"opening_time_field",
)


def read_ticket(doc, cfg: dict) -> Ticket:
	def get(key):
		fieldname = cfg.get(key)
		return (doc.get(fieldname) or None) if fieldname else None

	return Ticket(
		doctype=doc.doctype,
		name=doc.name,
		customer_type=cfg.get("customer_doctype"),
		customer=get("customer_field"),
		project=get("project_field"),
		service_item=get("service_item_field"),
		priority=get("priority_field"),
		status=doc.get(cfg.get("status_field") or "status"),
		opening=opening_of(doc, cfg),
	)


def opening_of(doc, cfg: dict) -> datetime:
	"""The ticket's opening instant (naive, system time zone); falls back to ``creation``.

	A bare Date field (Issue's ``opening_date``) is completed by the opening time field, else by the
	creation time when the ticket was created that day, else midnight.
	"""
	value = doc.get(cfg.get("opening_field") or "creation")
	if not value:
		return as_datetime(doc.creation)
	if isinstance(value, datetime) or (isinstance(value, str) and len(value) > 10):
		return as_datetime(value)
	day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
	time_field = cfg.get("opening_time_field")
	clock = doc.get(time_field) if time_field else None
	if clock:
		return datetime.combine(day, as_time(clock))
	created = as_datetime(doc.creation) if doc.creation else None
	if created and created.date() == day:
		return created
	return datetime.combine(day, datetime.min.time())


def as_time(value) -> time:
	"""A time from a Time field's value (``timedelta`` from the database, or a string), parsed cheaply."""
	if isinstance(value, time):
		return value
	if isinstance(value, str):
		try:
			return time.fromisoformat(value)
		except ValueError:
			pass
	return get_time(value)


def lock_ticket(doctype: str, name: str, cfg: dict):
	"""The ticket, read with a locking read (its row lock first: the app's one lock order; and its latest
	committed state), as a light document: only the fields SLA processing reads and stamps (``doctype``,
	``name``, ``creation``, the ticket type's fields, the SLA fields present, ``meta``). None when the ticket
	does not exist.

	Falls back to the full document (``frappe.get_doc(..., for_update=True)``) when a field is not a plain
	column read as stored (virtual, numeric).
	"""
	meta = frappe.get_meta(doctype)
	wanted = {"name", "creation", cfg.get("status_field") or "status"}
	wanted.update(cfg[key] for key in FIELD_KEYS if cfg.get(key))
	columns = []
	for fieldname in sorted(wanted):
		if fieldname in default_fields:
			columns.append(fieldname)
			continue
		field = meta.get_field(fieldname)
		if field is None or field.is_virtual or field.fieldtype in numeric_fieldtypes:
			try:
				return frappe.get_doc(doctype, name, for_update=True)
			except frappe.DoesNotExistError:
				return None
		columns.append(fieldname)
	columns.extend(f for f in STAMP_FIELDS if meta.has_field(f))
	rows = frappe.db.sql(
		f"SELECT {', '.join(f'`{c}`' for c in columns)} FROM `tab{doctype}` WHERE `name` = %s FOR UPDATE",
		(name,),
		as_dict=True,
	)
	if not rows:
		return None
	doc = rows[0]
	doc.doctype = doctype
	doc.meta = meta
	doc.flags = frappe._dict()
	return doc
