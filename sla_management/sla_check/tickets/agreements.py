"""Which agreement version covers a ticket: candidates, terms and calendar, cached; the ports of the cycle.

The candidate agreements of a customer or project valid on a date come from one indexed query, cached in
Redis per (party, date) until an SLA Agreement or SLA Service Calendar changes (``on_agreement_change``,
hooked in hooks.py: ``on_change`` also runs for ``db_set``, e.g. the daily lifecycle's status changes).
The terms of a submitted agreement (items, targets, pause statuses, calendar) never change, so they are
cached per process by (site, name, modified); so are the engine calendars.
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _

from sla_management.common.cache import SiteCache
from sla_management.engine import selection
from sla_management.engine.ticket_cycle import Ports, Ticket
from sla_management.sla_check.tickets import config

AGREEMENT = "SLA Agreement"
# Redis hash: "<customer|project>\x1f<party>\x1f<date>" → candidate rows; dropped on any agreement or
# calendar change, and expires a while after it was created so that old dates do not pile up.
CANDIDATES_CACHE = "sla_management:agreement_candidates"
CANDIDATES_TTL = 6 * 3600
# set while the current transaction has changed agreements or calendars (until commit/rollback): the
# candidates are then read from the database and not cached, so the cache never holds uncommitted rows
CHANGED_FLAG = "sla_mgmt_agreements_changed"
_terms_cache: SiteCache[dict] = SiteCache(256)


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
	rows = ticket_candidate_rows(ticket)
	return [{**agreement_terms(row["name"], row["modified"]), **row} for row in rows]


def ticket_candidate_rows(ticket: Ticket) -> list[dict]:
	"""The candidate rows of the ticket's project (or, without one, its customer) on its opening date."""
	kind, party = ("project", ticket.project) if ticket.project else ("customer", ticket.customer)
	return candidate_rows(kind, party, ticket.opening.date())


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
	return _terms_cache.get((name, str(modified)), lambda: _read_terms(name))


def _read_terms(name: str) -> dict:
	doc = frappe.get_doc(AGREEMENT, name)
	return {
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
		"agreement_code": doc.agreement_code,
		"version": doc.version,
		"project": doc.project,
		"customer_type": doc.customer_type,
		"customer": doc.customer,
	}


def calendar_for(calendar_name: str | None, modified=None):
	"""The engine calendar of an agreement (the settings' default calendar when it names none); with the
	calendar's ``modified`` known (read with the agreement), no query."""
	from sla_management.sla_implement.doctype.sla_service_calendar.sla_service_calendar import (
		get_engine_calendar,
	)

	name = calendar_name or config.settings_value("default_calendar")
	if not name:
		raise NoCalendar
	return get_engine_calendar(name, modified)


class NoCalendar(Exception):
	pass


def select(ticket: Ticket) -> selection.Selection:
	return selection.select_agreement(ticket.as_selection_input(), candidate_agreements(ticket))


def reason_text(result: selection.Selection) -> str:
	"""The translated note shown on a ticket that no agreement covers."""
	params = result.params or {}
	if result.reason == selection.NO_PARTY:
		return _("No SLA applied: the ticket has no customer or service project.")
	if result.reason == selection.NO_ITEM:
		return _("No SLA applied: no agreement covers service item {0}.").format(params.get("service_item"))
	if result.reason == selection.PROJECT_OF_OTHER_CUSTOMER:
		return _(
			"No SLA applied: service project {0} belongs to customer {1}, not to the ticket's customer {2}. "
			"Choose a project of {2} or correct the customer."
		).format(params.get("project"), params.get("project_customer"), params.get("customer"))
	if result.reason == selection.CHOOSE_SERVICE_ITEM:
		return _(
			"No SLA applied: choose the ticket's service item. Several agreements cover this customer ({0}), "
			"and which one applies depends on the service."
		).format(", ".join(params.get("agreements") or []))
	if result.reason == selection.NO_TARGET:
		return _("No SLA applied: agreement {0} has no target for priority {1}.").format(
			params.get("agreement"), params.get("priority") or _("(none)")
		)
	return _("No SLA applied: no signed or active agreement covers this ticket on {0}.").format(
		frappe.format(params.get("date"), {"fieldtype": "Date"}) if params.get("date") else ""
	)


def known_modified(ticket: Ticket, agreement_names) -> tuple[dict, dict]:
	"""The ``modified`` of the named agreements and of their calendars as the cached candidates of the
	ticket's party and opening date hold them (agreement name → modified, calendar name → modified), so that
	a saved ticket's agreement terms and calendar come from the caches without a query; names that are
	not candidates (any more) are left out and read from the database as before."""
	names = set(agreement_names)
	if not names or (not ticket.project and not ticket.customer):
		return {}, {}
	agreement_modified, calendar_modified = {}, {}
	for row in ticket_candidate_rows(ticket):
		if row["name"] in names:
			agreement_modified[row["name"]] = row["modified"]
			calendar = agreement_terms(row["name"], row["modified"])["calendar"]
			if calendar and row.get("calendar_modified") is not None:
				calendar_modified[calendar] = row["calendar_modified"]
	return agreement_modified, calendar_modified


def ports(agreement_modified: dict | None = None, calendar_modified: dict | None = None) -> Ports:
	"""What the pure ticket cycle asks of the database (looked up at each call, so tests can patch).

	``agreement_modified`` / ``calendar_modified``: name → ``modified`` as already known
	(``known_modified``), so that the cached terms and calendars are found without a query.
	"""
	if not agreement_modified and not calendar_modified:
		return Ports(select=select, terms=agreement_terms, calendar=calendar_for, reason=reason_text)
	agreement_modified = agreement_modified or {}
	calendar_modified = calendar_modified or {}

	def terms(name: str, modified=None) -> dict:
		return agreement_terms(name, modified if modified is not None else agreement_modified.get(name))

	def calendar(name: str | None, modified=None):
		if modified is None and name:
			modified = calendar_modified.get(name)
		return calendar_for(name, modified)

	return Ports(select=select, terms=terms, calendar=calendar, reason=reason_text)
