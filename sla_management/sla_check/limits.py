# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The availability and failure limits of agreements, per service item, as the pure core's ``Limits``.

An agreement states its "Availability and Quality Standards" once (``availability_target``,
``max_failures`` per report period, ``failure_frequency_limit`` per month, ``max_failure_duration``) and
may override them per service item (table ``service_limits``, SLA Agreement Service Limit: availability
target, max failures per month, longest single failure, MTTR). For a (agreement, service item):

- each field of the item's row wins when it is set (not 0/empty);
- a field the row leaves empty, and every field of an item without a row, is the agreement's default;
- MTTR has no agreement-level default: only a row sets it.

Callers pass agreements they have already read with the caller's permissions (``frappe.get_list``);
this module reads their items and limit rows without permission checks, in one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import frappe
from frappe.utils import cint, flt

from sla_management.engine.availability import Limits
from sla_management.engine.credits import Step

AGREEMENT = "SLA Agreement"
ITEM = "SLA Agreement Item"
LIMIT = "SLA Agreement Service Limit"
CREDIT = "SLA Agreement Service Credit"
# the agreement-level fields the defaults are made of
DEFAULT_FIELDS = (
	"name",
	"availability_target",
	"max_failures",
	"failure_frequency_limit",
	"max_failure_duration",
	"report_period",
)
# "Max Failures per Period": months of the agreement's report period (none given: a month)
MONTHS_PER_PERIOD = {"Weekly": 12 / 52.1775, "Monthly": 1, "Quarterly": 3, "Half-yearly": 6, "Yearly": 12}


def agreement_limits(agreement: Mapping) -> Limits:
	"""The agreement-level standards as the core's limits (0 or empty: no limit of that kind).

	``max_failures`` is per report period, converted to a month; with ``failure_frequency_limit`` (per
	month) as well, the stricter of the two applies.
	"""
	per_month = []
	if flt(agreement.get("failure_frequency_limit")):
		per_month.append(flt(agreement.get("failure_frequency_limit")))
	if cint(agreement.get("max_failures")):
		months = MONTHS_PER_PERIOD.get(agreement.get("report_period") or "Monthly", 1)
		per_month.append(cint(agreement.get("max_failures")) / months)
	return Limits(
		availability_pct=flt(agreement.get("availability_target")) or None,
		max_failures_per_month=min(per_month) if per_month else None,
		max_failure_seconds=flt(agreement.get("max_failure_duration")) or None,
	)


def item_limits(default: Limits, row: Mapping | None) -> Limits:
	"""``default`` with the fields the item's limit row sets (0/empty fields keep the default)."""
	if not row:
		return default
	return Limits(
		availability_pct=flt(row.get("availability_target")) or default.availability_pct,
		max_failures_per_month=cint(row.get("max_failures")) or default.max_failures_per_month,
		max_failure_seconds=flt(row.get("max_failure_duration")) or default.max_failure_seconds,
		max_mttr_seconds=flt(row.get("max_mttr")) or default.max_mttr_seconds,
	)


def limits_for(agreements: list[dict]) -> dict[tuple[str, str], Limits]:
	"""``{(agreement, service_item): Limits}`` for every service item of the given agreements.

	``agreements`` are dicts (or names) of agreements; a dict carrying the DEFAULT_FIELDS is used as it
	is, the others are read. Items come from the agreement's ``items`` and its ``service_limits`` rows
	(one query for both); the item's row wins, field by field, else the agreement's defaults.
	An item outside these keys (e.g. an outage of an item the agreement no longer lists) should use
	``agreement_limits(agreement)``.
	"""
	given = [a if isinstance(a, Mapping) else {"name": a} for a in agreements or []]
	if not given:
		return {}
	complete = {a["name"]: a for a in given if all(f in a for f in DEFAULT_FIELDS)}
	missing = [a["name"] for a in given if a["name"] not in complete]
	if missing:
		for row in frappe.get_all(AGREEMENT, filters={"name": ("in", missing)}, fields=list(DEFAULT_FIELDS)):
			complete[row.name] = row
	defaults = {name: agreement_limits(a) for name, a in complete.items()}
	out: dict[tuple[str, str], Limits] = {}
	for row in _items_and_limits(list(defaults)):
		key = (row.parent, row.service_item)
		if row.source == "limit" or key not in out:
			out[key] = item_limits(defaults[row.parent], row if row.source == "limit" else None)
	return out


def _items_and_limits(names: Iterable[str]) -> list:
	"""The agreements' item rows and limit rows in one query (limit rows after the items)."""
	names = list(names)
	if not names:
		return []
	return frappe.db.sql(
		f"""
		select parent, service_item, 'item' as source, 0 as availability_target, 0 as max_failures,
			0 as max_failure_duration, 0 as max_mttr, 0 as idx
		from `tab{ITEM}`
		where parenttype = %(parenttype)s and parentfield = 'items' and parent in %(names)s
			and ifnull(service_item, '') != ''
		union all
		select parent, service_item, 'limit' as source, availability_target, max_failures,
			max_failure_duration, max_mttr, idx
		from `tab{LIMIT}`
		where parenttype = %(parenttype)s and parentfield = 'service_limits' and parent in %(names)s
			and ifnull(service_item, '') != ''
		order by source, idx
		""",
		{"parenttype": AGREEMENT, "names": names},
		as_dict=True,
	)


def credits_for(agreements: list) -> dict[str, tuple[float, list[Step]]]:
	"""``{agreement: (monthly_fee, [credit steps])}`` of the given agreements (names or dicts), for
	``engine.credits.credit_owed``; agreements without a schedule map to ``(fee, [])``."""
	names = [a["name"] if isinstance(a, Mapping) else a for a in agreements or []]
	if not names:
		return {}
	fees = dict(
		frappe.get_all(
			AGREEMENT, filters={"name": ("in", names)}, fields=["name", "monthly_fee"], as_list=True
		)
	)
	out = {name: (flt(fees.get(name)), []) for name in names if name in fees}
	for row in frappe.get_all(
		CREDIT,
		filters={"parent": ("in", list(out)), "parenttype": AGREEMENT, "parentfield": "service_credits"},
		fields=["parent", "availability_below", "credit_percent", "service_item"],
		order_by="parent asc, idx asc",
	):
		out[row.parent][1].append(
			Step(flt(row.availability_below), flt(row.credit_percent), row.service_item or None)
		)
	return out
