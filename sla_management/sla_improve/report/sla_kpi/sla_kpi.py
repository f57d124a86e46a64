# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The yearly ITSS KPI (§7, issue 13): SLA attainment rate = Σ(each service project's rate) ÷ number of
service projects × 100 %, target ≥ 95 % (SLA Settings' KPI target), assessed yearly.

Per service project the caller may read: targets measured, met, breached and the rate; the KPI is the
mean of the per-project rates of the projects with measured targets (``engine.attainment.kpi``; projects
without any are listed, not counted). Served from the submitted yearly SLA Period Results when the year
is closed (frozen results exist for it), live from the timers otherwise (``sla_improve.kpi``: counted by
the database, permission-aware); the message and a summary card say which. On ERPNext sites the company
filter narrows it to the service projects of one company (their ``company`` field, as it is now).
"""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.sla_improve import kpi

FROZEN, LIVE = "frozen", "live"


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	year = validate_filters(filters)
	projects = kpi.company_projects(filters.get("company"))
	target = kpi.kpi_target()
	results, source, months = kpi.project_results(year, filters.get("project"), projects=projects)
	data = get_data(results, target)
	result = kpi.kpi_result(results, target)
	return (
		get_columns(),
		data,
		get_message(year, source, result, months),
		get_chart(data, target),
		get_summary(result, source),
	)


def validate_filters(filters) -> int:
	year = kpi.validate_year(filters.get("year"))
	if filters.get("project") and not frappe.db.exists(kpi.PROJECT, filters.project):
		frappe.throw(
			_("Unknown service project {0}.").format(frappe.utils.escape_html(str(filters.project))),
			exc=frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	return year


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "project",
			"label": _("Service Project"),
			"fieldtype": "Link",
			"options": kpi.PROJECT,
			"width": 220,
		},
		{"fieldname": "measured", "label": _("Measured"), "fieldtype": "Int", "width": 100},
		{"fieldname": "met", "label": _("Met"), "fieldtype": "Int", "width": 90},
		{"fieldname": "breached", "label": _("Not Met"), "fieldtype": "Int", "width": 90},
		{"fieldname": "rate", "label": _("SLA Attainment Rate %"), "fieldtype": "Percent", "width": 160},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 140},
	]


def get_data(results: list[dict], target: float) -> list[dict]:
	rows = []
	for r in results:
		if r["rate"] is None:
			status = _("Not Measured")
		elif r["rate"] < target:
			status = _("Below Target")
		else:
			status = _("On Target")
		rows.append(
			{**r, "status": status, "below_target": int(r["rate"] is not None and r["rate"] < target)}
		)
	return rows


def get_message(year: int, source: str, result, months: int = 0) -> str:
	if source == FROZEN:
		where = _("Source: the frozen yearly results of {0} (the year is closed).").format(year)
	elif months:
		where = _(
			"Source: live; the months the freeze job closed ({0} to {1}) from their frozen monthly results, "
			"the rest from the SLA timers."
		).format(f"{year}-01", f"{year}-{months:02d}")
	else:
		where = _("Source: live, from the SLA timers of {0} (the year has no frozen results yet).").format(
			year
		)
	parts = [
		_(
			"The KPI is the mean of the service projects' attainment rates (each project's met ÷ measured), "
			"not the share of all measured targets."
		),
		where,
	]
	if result.unmeasured:
		parts.append(
			_("Projects without measured targets (not counted): {0}.").format(
				", ".join(frappe.utils.escape_html(str(p)) for p in result.unmeasured)
			)
		)
	return " ".join(parts)


def get_chart(data: list[dict], target: float) -> dict | None:
	"""The rate per project (bar) against the target (line)."""
	if not data:
		return None
	return {
		"data": {
			"labels": [r["project"] for r in data],
			"datasets": [
				{
					"name": _("SLA Attainment Rate %"),
					"values": [r["rate"] or 0 for r in data],
				},
			],
			# the target as a line across the chart
			"yMarkers": [{"label": _("Target Value %"), "value": target, "options": {"labelPos": "left"}}],
		},
		"type": "bar",
		"colors": ["#2490ef"],
		"fieldtype": "Percent",
	}


def _pct(value: float | None) -> float | None:
	return None if value is None else round(100.0 * value, 4)


def get_summary(result, source: str) -> list[dict]:
	value = _pct(result.value)
	return [
		{
			"label": _("KPI (SLA Attainment Rate)"),
			"value": value,
			"datatype": "Percent",
			"indicator": "gray" if value is None else ("green" if result.on_target else "red"),
		},
		{
			"label": _("Projects Below Target"),
			"value": len(result.below),
			"datatype": "Int",
			"indicator": "red" if result.below else "green",
		},
		{"label": _("Targets Measured"), "value": result.measured, "datatype": "Int", "indicator": "blue"},
		{
			"label": _("Met ÷ Measured (not the KPI)"),
			"value": _pct(result.weighted_share),
			"datatype": "Percent",
			"indicator": "gray",
		},
		{
			"label": _("Source"),
			"value": _("Frozen Results (Year Closed)") if source == FROZEN else _("Live"),
			"datatype": "Data",
			"indicator": "blue" if source == FROZEN else "orange",
		},
	]
