"""Read a ticket through its SLA Ticket Type and find the agreement version and targets that cover it.

One indexed query per selection (candidate agreements of the customer or project valid on the opening
date); the terms of a submitted agreement (items, targets, pause statuses, calendar) never change, so they
are cached per process by (site, name, modified).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import frappe
from frappe import _
from frappe.utils import get_datetime, get_time

from sla_management.engine import selection

AGREEMENT = "SLA Agreement"
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
		return datetime.combine(day, get_time(clock))
	created = as_datetime(doc.creation) if doc.creation else None
	if created and created.date() == day:
		return created
	return datetime.combine(day, datetime.min.time())


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

	One query (the customer column is indexed); it also reads each calendar's ``modified`` so that the
	cached engine calendar can be reused without another query.
	"""
	if not ticket.project and not ticket.customer:
		return []
	party = "a.project = %(party)s" if ticket.project else "a.customer = %(party)s"
	rows = frappe.db.sql(
		CANDIDATES_SQL.format(party=party),
		{
			"statuses": selection.ELIGIBLE_STATUSES,
			"on": ticket.opening.date(),
			"party": ticket.project or ticket.customer,
		},
		as_dict=True,
	)
	return [{**agreement_terms(row.name, row.modified), **row} for row in rows]


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
