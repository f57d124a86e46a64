# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""SLA attainment of a period (§5.3, §7, issue 13): by service project → agreement → service item, priority
and metric, the timers measured, met and breached, and the rate (met ÷ measured).

The counting rule is ``sla_management.sla_improve.kpi``'s (a timer counts in the period in which it ended:
met by its stop, breached by its breach instant; running unbreached timers are not measured yet; cancelled
ones never), counted by the database through ``frappe.get_list`` GROUP BY queries, so only the timers the
caller may read are counted (a project manager: their projects). Each figure opens the SLA Timer list with
the timers behind it; the Tickets column opens their tickets. The availability and failure limits of
the agreements count too (one target per limit, service item and month, as the freeze job measures
them: ``kpi.limit_check_lines``), as rows of their metric without a priority; their figures open the SLA
Service Availability report. On ERPNext sites the company filter narrows it to the service projects of one
company (their ``company`` field).
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.utils import cint, getdate

from sla_management.engine.attainment import METRICS
from sla_management.engine.vocabulary import TIMER_METRICS
from sla_management.sla_improve import kpi

MAX_DAYS = 5 * 366 + 1  # a period of at most five years
TICKET_LIMIT = 500  # tickets opened from one figure


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	period = validate_filters(filters)
	data = get_data(filters, period)
	return get_columns(), data, get_message(period), get_chart(data), get_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "project",
			"label": _("Service Project"),
			"fieldtype": "Link",
			"options": "SLA Service Project",
			"width": 200,
		},
		{
			"fieldname": "agreement",
			"label": _("Agreement"),
			"fieldtype": "Link",
			"options": "SLA Agreement",
			"width": 160,
		},
		{
			"fieldname": "service_item",
			"label": _("Service Item"),
			"fieldtype": "Link",
			"options": "SLA Service Item",
			"width": 150,
		},
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 80},
		{"fieldname": "metric", "label": _("Metric"), "fieldtype": "Data", "width": 100},
		{"fieldname": "measured", "label": _("Measured"), "fieldtype": "Int", "width": 90},
		{"fieldname": "met", "label": _("Met"), "fieldtype": "Int", "width": 80},
		{"fieldname": "breached", "label": _("Breached"), "fieldtype": "Int", "width": 90},
		{"fieldname": "rate", "label": _("SLA Attainment Rate %"), "fieldtype": "Percent", "width": 150},
		{"fieldname": "tickets", "label": _("Tickets"), "fieldtype": "Data", "width": 90},
	]


# -- filters ---------------------------------------------------------------------------------------------


def _invalid(message: str):
	frappe.throw(message, exc=frappe.ValidationError, title=_("Invalid Filter"))


def _date(value, label: str) -> date:
	try:
		return getdate(value)
	except Exception:
		_invalid(_("{0} is not a date: {1}.").format(label, frappe.utils.escape_html(str(value))))


def validate_filters(filters) -> tuple[date, date]:
	"""The period [from, to] (whole days): from/to date, else year (and month), else this year so far.
	Bad dates, an inverted or too long range, unknown names and metrics are a clear error (HTTP 417)."""
	if filters.get("from_date") or filters.get("to_date"):
		if not (filters.get("from_date") and filters.get("to_date")):
			_invalid(_("Give both a from date and a to date, or neither."))
		first = _date(filters.from_date, _("From Date"))
		last = _date(filters.to_date, _("To Date"))
	else:
		year = kpi.validate_year(filters.get("year"))
		month = filters.get("month")
		if month not in (None, ""):
			if not str(month).strip().isdigit() or not 1 <= cint(month) <= 12:
				_invalid(
					_("The month must be a whole number from 1 to 12, not {0}.").format(
						frappe.utils.escape_html(str(month))
					)
				)
			first, last = kpi.month_bounds(year, cint(month))
		else:
			first, last = kpi.year_bounds(year)
	if first > last:
		_invalid(_("The from date {0} is after the to date {1}.").format(first, last))
	if (last - first).days > MAX_DAYS:
		_invalid(_("The period may be at most five years long."))
	if not (kpi.MIN_YEAR <= first.year and last.year <= kpi.MAX_YEAR):
		_invalid(_("The period must lie between the years {0} and {1}.").format(kpi.MIN_YEAR, kpi.MAX_YEAR))
	for field, doctype, message in (
		("project", "SLA Service Project", _("Unknown service project {0}.")),
		("agreement", "SLA Agreement", _("Unknown agreement {0}.")),
		("service_item", "SLA Service Item", _("Unknown service item {0}.")),
	):
		value = filters.get(field)
		if value and not frappe.db.exists(doctype, value):
			_invalid(message.format(frappe.utils.escape_html(str(value))))
	if filters.get("metric") and filters.metric not in METRICS:
		_invalid(
			_("Unknown metric {0}: use {1}.").format(
				frappe.utils.escape_html(str(filters.metric)), ", ".join(_(m) for m in METRICS)
			)
		)
	return first, last


def timer_filters(filters) -> list[list]:
	return [[f, "=", filters[f]] for f in kpi.GROUP_FIELDS if filters.get(f)]


# -- data ------------------------------------------------------------------------------------------------


def get_data(filters, period: tuple[date, date]) -> list[dict]:
	"""Tree rows: project (indent 0) → agreement (1) → item, priority and metric (2), each with its counts."""
	first, last = period
	metric = filters.get("metric")
	projects = kpi.company_projects(filters.get("company"))
	if projects is not None and not projects:
		return []  # a company without service projects
	leaves = {}
	if not metric or metric in TIMER_METRICS:
		leaves = kpi.timer_counts(
			first, last, kpi.GROUP_FIELDS, kpi.in_projects(timer_filters(filters), projects)
		)
	if not filters.get("priority") and metric not in TIMER_METRICS:
		# availability and failure limit checks: one target per limit, service item and month
		agreements = kpi.readable_agreements(
			first, last, filters.get("project"), filters.get("agreement"), projects=projects
		)
		for key, (met, measured) in kpi.limit_check_lines([a.name for a in agreements], first, last).items():
			if (filters.get("service_item") and key[2] != filters.service_item) or (
				metric and key[4] != metric
			):
				continue
			leaves[key] = {**kpi.counts(met, measured - met), "is_check": 1}
		leaves = dict(sorted(leaves.items(), key=lambda kv: tuple(str(v or "") for v in kv[0])))
	rows: list[dict] = []
	totals: dict[tuple, dict] = {}
	for key, c in leaves.items():
		for depth in (1, 2):
			total = totals.setdefault(key[:depth], {"met": 0, "breached": 0})
			total["met"] += c["met"]
			total["breached"] += c["breached"]
	done = set()
	for key, c in leaves.items():
		for depth in (1, 2):
			if key[:depth] not in done:
				done.add(key[:depth])
				t = totals[key[:depth]]
				rows.append(row_of(key[:depth], kpi.counts(t["met"], t["breached"]), period))
		rows.append(row_of(key, c, period))
	return rows


def row_of(key: tuple, c: dict, period: tuple[date, date]) -> dict:
	values = dict(zip(kpi.GROUP_FIELDS, key, strict=False))
	first, last = period
	if c.get("is_check"):
		# a limit check: its figures open the SLA Service Availability report of the agreement and item
		return {
			**values,
			"indent": 2,
			"is_total": 0,
			**c,
			"tickets": None,
			"drill": {
				"report": "SLA Service Availability",
				"filters": {"agreement": key[1], "service_item": key[2], "year": first.year},
			},
		}
	return {
		**dict.fromkeys(kpi.GROUP_FIELDS),
		**values,
		"indent": len(key) - 1 if len(key) < len(kpi.GROUP_FIELDS) else 2,
		"is_total": int(len(key) < len(kpi.GROUP_FIELDS)),
		**c,
		"tickets": _("Tickets") if c["measured"] else None,
		# what the figures' links open (the desk's list filters of SLA Timer)
		"drill": {
			"group": {f: v for f, v in values.items()},
			"met": drill_filters(values, "met", first, last),
			"breached": drill_filters(values, "breached", first, last),
			"from_date": str(first),
			"to_date": str(last),
		},
	}


def drill_filters(values: dict, kind: str, first: date, last: date) -> dict:
	"""The SLA Timer list filters (route options) of the timers behind a row's met or breached figure."""
	out = {f: (v if v not in (None, "") else ["is", "not set"]) for f, v in values.items()}
	for field, op, value in (
		kpi.met_filters(first, last) if kind == "met" else kpi.breached_filters(first, last)
	):
		out[field] = value if op == "=" else [op, value]
	return out


@frappe.whitelist()
def ticket_route(group: str | dict, from_date: str, to_date: str) -> dict:
	"""The tickets behind a row (its measured timers): {"doctype", "names"} of the first ticket DocType, at
	most TICKET_LIMIT names; only the timers the caller may read."""
	group = frappe.parse_json(group) or {}
	first, last = validate_filters(frappe._dict(from_date=from_date, to_date=to_date))
	base = [
		[f, "=", v] if v not in (None, "") else [f, "is", "not set"]
		for f, v in group.items()
		if f in kpi.GROUP_FIELDS
	]
	tickets: dict[str, list[str]] = {}
	for ended in (kpi.met_filters(first, last), kpi.breached_filters(first, last)):
		for r in frappe.get_list(
			kpi.TIMER,
			filters=[*base, *ended],
			fields=["ticket_doctype", "ticket"],
			distinct=True,
			order_by="ticket_doctype asc",
			limit_page_length=TICKET_LIMIT,
		):
			names = tickets.setdefault(r.ticket_doctype, [])
			if r.ticket not in names and len(names) < TICKET_LIMIT:
				names.append(r.ticket)
	if not tickets:
		return {}
	doctype = sorted(tickets)[0]
	return {"doctype": doctype, "names": tickets[doctype]}


# -- message, chart, summary -------------------------------------------------------------------------------


def get_message(period: tuple[date, date]) -> str:
	first, last = period
	return _(
		"Timers that ended from {0} to {1}: a timer is met when it stopped in time in the period, breached when "
		"its deadline passed in the period; running timers not yet breached are not measured yet, cancelled "
		"timers never."
	).format(frappe.utils.formatdate(first), frappe.utils.formatdate(last))


def get_chart(data: list[dict]) -> dict | None:
	"""The rate per service project (bar) against the KPI target (line)."""
	projects = [r for r in data if r["indent"] == 0]
	if not projects:
		return None
	target = kpi.kpi_target()
	return {
		"data": {
			"labels": [r["project"] or _("No Project") for r in projects],
			"datasets": [
				{
					"name": _("SLA Attainment Rate %"),
					"values": [r["rate"] for r in projects],
				},
			],
			# the target as a line across the chart
			"yMarkers": [{"label": _("Target Value %"), "value": target, "options": {"labelPos": "left"}}],
		},
		"type": "bar",
		"colors": ["#2490ef"],
		"fieldtype": "Percent",
	}


def get_summary(data: list[dict]) -> list[dict]:
	projects = [r for r in data if r["indent"] == 0]
	met = sum(r["met"] for r in projects)
	breached = sum(r["breached"] for r in projects)
	measured = met + breached
	share = kpi.rate(met, measured)
	return [
		{"label": _("Measured"), "value": measured, "datatype": "Int", "indicator": "blue"},
		{"label": _("Met"), "value": met, "datatype": "Int", "indicator": "green"},
		{
			"label": _("Breached"),
			"value": breached,
			"datatype": "Int",
			"indicator": "red" if breached else "green",
		},
		{
			"label": _("SLA Attainment Rate %"),
			"value": share,
			"datatype": "Percent",
			"indicator": "green" if share is not None and share >= kpi.kpi_target() else "orange",
		},
	]
