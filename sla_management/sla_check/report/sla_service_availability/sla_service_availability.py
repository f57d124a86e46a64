# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Availability of the agreed services (§5.1.1, issue 12): per service item of an agreement and month.

The submitted agreements the caller may read (``frappe.get_list``, so the row rules apply: a project
manager sees the agreements and outages of their projects) that are valid in the year, each service item
of them, and the SLA Outage rows of the year the caller may read. The pure core
(``engine.availability.availability_batch``) measures each month in the agreement's service calendar:
service time (minus planned maintenance), downtime within the service hours, availability, failures, the
longest failure and MTTR, each against the item's limits (``sla_check.limits.limits_for``: the item's row
of the agreement's limits per service item, else the agreement's "Availability and Quality Standards").
Months after now are not shown; the current month is measured up to now. ``from_month``/``to_month``
narrow the year to some of its months.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate

from sla_management.engine import availability as av
from sla_management.engine.errors import EngineError
from sla_management.engine.ticket_timer import to_aware
from sla_management.sla_check.limits import DEFAULT_FIELDS, agreement_limits, limits_for
from sla_management.sla_check.tickets.sync import system_tz
from sla_management.sla_implement.doctype.sla_service_calendar.sla_service_calendar import (
	get_engine_calendar,
)

AGREEMENT = "SLA Agreement"
OUTAGE = "SLA Outage"
HOUR = 3600.0
MIN_YEAR, MAX_YEAR = 2000, 2060
LIMIT = 100_000
AGREEMENT_FIELDS = (*DEFAULT_FIELDS, "project", "calendar", "valid_from", "valid_to")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	rows = get_data(filters)
	return get_columns(), rows, None, get_chart(rows), get_summary(rows)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "agreement",
			"label": _("Agreement"),
			"fieldtype": "Link",
			"options": AGREEMENT,
			"width": 170,
		},
		{
			"fieldname": "service_item",
			"label": _("Service Item"),
			"fieldtype": "Link",
			"options": "SLA Service Item",
			"width": 150,
		},
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 80},
		{"fieldname": "service_hours", "label": _("Service Hours"), "fieldtype": "Float", "width": 110},
		{"fieldname": "downtime_hours", "label": _("Downtime Hours"), "fieldtype": "Float", "width": 120},
		{"fieldname": "availability", "label": _("Availability %"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "target", "label": _("Target %"), "fieldtype": "Percent", "width": 90},
		{"fieldname": "failures", "label": _("Failures"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "longest_failure_hours",
			"label": _("Longest Failure (h)"),
			"fieldtype": "Float",
			"width": 130,
		},
		{"fieldname": "mttr_hours", "label": _("MTTR (h)"), "fieldtype": "Float", "width": 90},
		{"fieldname": "status", "label": _("Met"), "fieldtype": "Data", "width": 100},
	]


def validate_filters(filters) -> int:
	"""The year of the report (this year by default) and its months; unknown names are a clear error, not an
	empty report."""
	year = filters.get("year") or frappe.utils.now_datetime().year
	if not str(year).strip().isdigit() or not MIN_YEAR <= cint(year) <= MAX_YEAR:
		frappe.throw(
			_("The year must be a whole number between {0} and {1}, not {2}.").format(
				MIN_YEAR, MAX_YEAR, frappe.utils.escape_html(str(year))
			),
			exc=frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	first, last = month_range(filters)
	if first > last:
		frappe.throw(
			_("The from month ({0}) cannot be after the to month ({1}).").format(first, last),
			exc=frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	for field, doctype, message in (
		("agreement", AGREEMENT, _("Unknown agreement {0}.")),
		("project", "SLA Service Project", _("Unknown service project {0}.")),
		("service_item", "SLA Service Item", _("Unknown service item {0}.")),
	):
		value = filters.get(field)
		if value and not frappe.db.exists(doctype, value):
			frappe.throw(
				message.format(frappe.utils.escape_html(str(value))),
				exc=frappe.ValidationError,
				title=_("Invalid Filter"),
			)
	return cint(year)


def month_range(filters) -> tuple[int, int]:
	"""The months of the year the report shows (``from_month``/``to_month``, 1–12; all by default)."""
	out = []
	for field, default in (("from_month", 1), ("to_month", 12)):
		value = filters.get(field)
		if value in (None, ""):
			out.append(default)
			continue
		if not str(value).strip().isdigit() or not 1 <= cint(value) <= 12:
			frappe.throw(
				_("The month must be a whole number from 1 to 12, not {0}.").format(
					frappe.utils.escape_html(str(value))
				),
				exc=frappe.ValidationError,
				title=_("Invalid Filter"),
			)
		out.append(cint(value))
	return out[0], out[1]


def months_of(
	year: int, zone, now: datetime, first: int = 1, last: int = 12
) -> list[tuple[int, datetime, datetime]]:
	"""(month, start, end) of the year's months ``first``–``last`` in ``zone`` up to ``now`` (the current
	month ends at now)."""
	out = []
	for month in range(first, last + 1):
		start = datetime(year, month, 1, tzinfo=zone)
		end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
		if start >= now:
			break
		out.append((month, start, min(end, now)))
	return out


def get_data(filters) -> list[dict]:
	year = validate_filters(filters)
	first_month, last_month = month_range(filters)
	first, last = getdate(f"{year}-01-01"), getdate(f"{year}-12-31")
	conditions = [["docstatus", "=", 1], ["valid_from", "<=", last], ["valid_to", ">=", first]]
	if filters.get("agreement"):
		conditions.append(["name", "=", filters.agreement])
	if filters.get("project"):
		conditions.append(["project", "=", filters.project])
	agreements = {
		a.name: a
		for a in frappe.get_list(
			AGREEMENT, filters=conditions, fields=list(AGREEMENT_FIELDS), order_by="name asc"
		)
		if a.calendar
	}
	if not agreements:
		return []
	# the items of agreements the caller may read (their parents were filtered above)
	item_filters = {"parent": ("in", list(agreements)), "parenttype": AGREEMENT, "parentfield": "items"}
	if filters.get("service_item"):
		item_filters["service_item"] = filters.service_item
	keys = {
		(i.parent, i.service_item)
		for i in frappe.get_all("SLA Agreement Item", filters=item_filters, fields=["parent", "service_item"])
	}
	item_limits = limits_for(list(agreements.values()))

	tz = system_tz()
	now = frappe.utils.now_datetime().replace(tzinfo=tz)
	year_start = datetime(year, 1, 1, tzinfo=tz) - timedelta(days=2)  # the calendars' zones may differ
	year_end = datetime(year + 1, 1, 1, tzinfo=tz) + timedelta(days=2)
	naive = lambda dt: dt.astimezone(tz).replace(tzinfo=None)  # noqa: E731
	outage_filters = [
		["agreement", "in", list(agreements)],
		["start", "<", naive(year_end)],
		["kind", "in", list(av.KINDS)],
	]
	if filters.get("service_item"):
		outage_filters.append(["service_item", "=", filters.service_item])
	outages = []
	for o in frappe.get_list(
		OUTAGE,
		filters=outage_filters,
		or_filters=[["end", "is", "not set"], ["end", ">", naive(year_start)]],
		fields=["agreement", "service_item", "kind", "start", "end"],
		order_by="start asc",
		limit_page_length=LIMIT,
	):
		if not o.service_item:
			continue
		key = (o.agreement, o.service_item)
		keys.add(key)
		outages.append((key, to_aware(o.start, tz), to_aware(o.end, tz), o.kind))

	# one batch per calendar: the months are those of the calendar's zone
	by_calendar: dict[str, list] = {}
	for key in keys:
		by_calendar.setdefault(agreements[key[0]].calendar, []).append(key)
	rows = []
	for calendar_name, cal_keys in by_calendar.items():
		cal = get_engine_calendar(calendar_name)
		months = months_of(year, cal.zone, now, first_month, last_month)
		if not months:
			continue
		wanted = set(cal_keys)
		limits = {k: item_limits.get(k) or agreement_limits(agreements[k[0]]) for k in cal_keys}
		try:
			result = av.availability_batch(
				[o for o in outages if o[0] in wanted],
				{k: cal for k in cal_keys},
				[(a, b) for _m, a, b in months],
				now=now,
				limits=limits,
			)
		except EngineError as exc:
			frappe.throw(str(exc), exc=frappe.ValidationError, title=_("Cannot Measure Availability"))
		for key in cal_keys:
			agreement = agreements[key[0]]
			for (month, start, end), m in zip(months, result[key], strict=True):
				# only the months in which the agreement is valid (``end`` is the first instant after one)
				last_day = (end - timedelta(microseconds=1)).date()
				if getdate(agreement.valid_from) > last_day or getdate(agreement.valid_to) < start.date():
					continue
				rows.append(row_of(agreement, key[1], year, month, m, limits[key]))
	rows.sort(key=lambda r: (r["agreement"], r["service_item"], r["month"]))
	return rows


def row_of(
	agreement, service_item: str, year: int, month: int, m: av.Metrics, limits: av.Limits | None = None
) -> dict:
	met = m.met
	return {
		"agreement": agreement.name,
		"project": agreement.project,
		"service_item": service_item,
		"month": f"{year}-{month:02d}",
		"service_hours": round(m.service_seconds / HOUR, 4),
		"downtime_hours": round(m.downtime_seconds / HOUR, 4),
		"availability": None if m.availability_pct is None else round(m.availability_pct, 4),
		"target": limits.availability_pct if limits else flt(agreement.availability_target) or None,
		"failures": m.failures,
		"longest_failure_hours": round(m.longest_failure_seconds / HOUR, 4),
		"mttr_hours": None if m.mttr_seconds is None else round(m.mttr_seconds / HOUR, 4),
		"met": None if met is None else int(met),
		"status": _("No Limits") if met is None and not m.checks else _status(met),
	}


def _status(met: bool | None) -> str:
	if met is None:
		return _("Not Measurable")
	return _("Met") if met else _("Not Met")


def get_chart(rows: list[dict]) -> dict | None:
	"""Availability per month (the mean over the shown items) against the target line."""
	if not rows:
		return None
	months = sorted({r["month"] for r in rows})
	values = []
	targets = []
	for month in months:
		of_month = [r for r in rows if r["month"] == month]
		measured = [r["availability"] for r in of_month if r["availability"] is not None]
		values.append(round(sum(measured) / len(measured), 4) if measured else None)
		goals = [r["target"] for r in of_month if r["target"]]
		targets.append(max(goals) if goals else None)
	datasets = [{"name": _("Availability %"), "values": values, "chartType": "line"}]
	if any(t is not None for t in targets):
		datasets.append({"name": _("Target %"), "values": targets, "chartType": "line"})
	return {
		"data": {"labels": months, "datasets": datasets},
		"type": "line",
		"colors": ["#2490ef", "#e24c4c"],
		"lineOptions": {"dotSize": 4},
	}


def get_summary(rows: list[dict]) -> list[dict]:
	measured = [r["availability"] for r in rows if r["availability"] is not None]
	average = round(sum(measured) / len(measured), 4) if measured else None
	below = sum(
		1 for r in rows if r["target"] and r["availability"] is not None and r["availability"] < r["target"]
	)
	failures = sum(r["failures"] for r in rows)
	return [
		{
			"label": _("Average Availability"),
			"value": average,
			"datatype": "Percent",
			"indicator": "blue",
		},
		{
			"label": _("Months Below Target"),
			"value": below,
			"datatype": "Int",
			"indicator": "red" if below else "green",
		},
		{
			"label": _("Failures"),
			"value": failures,
			"datatype": "Int",
			"indicator": "orange" if failures else "green",
		},
	]
