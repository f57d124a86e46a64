"""Read a ticket through its SLA Ticket Type and find the agreement version and targets that cover it.

The candidate agreements of a customer or project valid on a date come from one indexed query, cached in
Redis per (party, date) until an SLA Agreement or SLA Service Calendar changes (``on_agreement_change``,
hooked in hooks.py: ``on_change`` also runs for ``db_set``, e.g. the daily lifecycle's status changes).
The terms of a submitted agreement (items, targets, pause statuses, calendar) never change, so they are
cached per process by (site, name, modified).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import frappe
from frappe import _
from frappe.utils import get_datetime, get_time

from sla_management.engine import selection

AGREEMENT = "SLA Agreement"
# Redis hash: "<customer|project>\x1f<party>\x1f<date>" → candidate rows; dropped on any agreement or
# calendar change, and expires a while after it was created so that old dates do not pile up.
CANDIDATES_CACHE = "sla_management:agreement_candidates"
CANDIDATES_TTL = 6 * 3600
# set while the current transaction has changed agreements or calendars (until commit/rollback): the
# candidates are then read from the database and not cached, so the cache never holds uncommitted rows
CHANGED_FLAG = "sla_mgmt_agreements_changed"
_terms_cache: dict[tuple, dict] = {}
_CACHE_SIZE = 256


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


def as_datetime(value) -> datetime:
	"""A naive datetime from a datetime, an ISO string or a date, without the slow generic parser."""
	if isinstance(value, datetime):
		return value
	if isinstance(value, str):
		try:
			return datetime.fromisoformat(value)
		except ValueError:
			return get_datetime(value)
	if isinstance(value, date):
		return datetime.combine(value, datetime.min.time())
	return get_datetime(value)


# Few columns on purpose: the immutable rest (project, customer, version, calendar) comes from the
# cached terms of the submitted agreement.
CANDIDATES_SQL = """
	SELECT a.name, a.modified, a.status, a.valid_from, a.valid_to, c.modified AS calendar_modified
	FROM `tabSLA Agreement` a
	LEFT JOIN `tabSLA Service Calendar` c ON c.name = a.calendar
	WHERE a.docstatus = 1 AND a.status IN %(statuses)s
		AND a.valid_from <= %(on)s AND a.valid_to >= %(on)s
		AND {party}
	ORDER BY a.valid_from DESC
"""


def candidate_agreements(ticket: Ticket) -> list[dict]:
	"""Eligible agreements of the ticket's project (or customer) valid on its opening date, with terms.

	The rows come from the Redis cache, else from one query (the customer and project columns are
	indexed) that also reads each calendar's ``modified`` so that the cached engine calendar can be reused
	without another query.
	"""
	if not ticket.project and not ticket.customer:
		return []
	kind, party = ("project", ticket.project) if ticket.project else ("customer", ticket.customer)
	rows = candidate_rows(kind, party, ticket.opening.date())
	return [{**agreement_terms(row["name"], row["modified"]), **row} for row in rows]


def candidate_rows(kind: str, party: str, on: date) -> list[dict]:
	if frappe.flags.get(CHANGED_FLAG):
		return query_candidates(kind, party, on)
	field = f"{kind}\x1f{party}\x1f{on.isoformat()}"
	rows = frappe.cache.hget(CANDIDATES_CACHE, field)
	if rows is None:
		rows = query_candidates(kind, party, on)
		frappe.cache.hset(CANDIDATES_CACHE, field, rows)
		_expire_candidates_cache()
	return rows


def query_candidates(kind: str, party: str, on: date) -> list[dict]:
	rows = frappe.db.sql(
		CANDIDATES_SQL.format(
			party="a.project = %(party)s" if kind == "project" else "a.customer = %(party)s"
		),
		{"statuses": selection.ELIGIBLE_STATUSES, "on": on, "party": party},
		as_dict=True,
	)
	return [dict(row) for row in rows]


def _expire_candidates_cache() -> None:
	"""Give the hash an expiry when it has none yet (once after it was created)."""
	try:
		key = frappe.cache.make_key(CANDIDATES_CACHE)
		if frappe.cache.ttl(key) == -1:
			frappe.cache.expire(key, CANDIDATES_TTL)
	except Exception:
		pass  # Redis down: nothing is cached either


def clear_candidates_cache() -> None:
	frappe.cache.delete_value(CANDIDATES_CACHE)


def on_agreement_change(doc=None, method=None, *args, **kwargs):
	"""doc_events of SLA Agreement and SLA Service Calendar (save, submit, cancel, ``db_set``, delete).

	Drops the cached candidates now, and again when the transaction ends: another request may have cached
	the old rows in between. Until then this request reads candidates from the database.
	"""
	clear_candidates_cache()
	if not frappe.flags.get(CHANGED_FLAG):
		frappe.flags[CHANGED_FLAG] = True
		frappe.db.after_commit.add(_end_of_change)
		frappe.db.after_rollback.add(_end_of_change)


def _end_of_change() -> None:
	frappe.flags[CHANGED_FLAG] = False
	clear_candidates_cache()


def agreement_terms(name: str, modified=None) -> dict:
	"""Items, targets and pause statuses of a submitted agreement (immutable), cached per process."""
	if modified is None:
		modified = frappe.db.get_value(AGREEMENT, name, "modified")
	key = (frappe.local.site, name, str(modified))
	terms = _terms_cache.get(key)
	if terms is None:
		doc = frappe.get_doc(AGREEMENT, name)
		terms = {
			"items": [row.service_item for row in doc.get("items") or [] if row.service_item],
			"targets": [
				{
					"service_item": row.service_item,
					"priority": row.priority,
					"response_time": row.response_time,
					"resolution_time": row.resolution_time,
					"requirement_metric": row.requirement_metric,
					"default_target": row.default_target,
				}
				for row in doc.get("targets") or []
			],
			"pause_statuses": frozenset(row.status for row in doc.get("pause_statuses") or [] if row.status),
			"calendar": doc.calendar,
			"version": doc.version,
			"project": doc.project,
			"customer_type": doc.customer_type,
			"customer": doc.customer,
		}
		if len(_terms_cache) >= _CACHE_SIZE:
			_terms_cache.clear()
		_terms_cache[key] = terms
	return terms


def select(ticket: Ticket) -> selection.Selection:
	return selection.select_agreement(ticket.as_selection_input(), candidate_agreements(ticket))


def reason_text(result: selection.Selection) -> str:
	"""The translated note shown on a ticket that no agreement covers."""
	params = result.params or {}
	if result.reason == selection.NO_PARTY:
		return _("No SLA applied: the ticket has no customer or service project.")
	if result.reason == selection.NO_ITEM:
		return _("No SLA applied: no agreement covers service item {0}.").format(params.get("service_item"))
	if result.reason == selection.NO_TARGET:
		return _("No SLA applied: agreement {0} has no target for priority {1}.").format(
			params.get("agreement"), params.get("priority") or _("(none)")
		)
	return _("No SLA applied: no signed or active agreement covers this ticket on {0}.").format(
		frappe.format(params.get("date"), {"fieldtype": "Date"}) if params.get("date") else ""
	)
