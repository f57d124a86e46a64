# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Dashboard chart source "SLA Monthly Attainment": per month of a year (this year by default, up to this
month), the mean of the service projects' attainment rates (the KPI's formula on one month) and the KPI
target; counted by the database over the timers the caller may read (``sla_improve.kpi``)."""

import frappe

from sla_management.sla_improve import kpi


@frappe.whitelist()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
):
	filters = frappe.parse_json(filters) or {}
	year = kpi.validate_year(filters.get("year") if isinstance(filters, dict) else None)
	data = kpi.monthly_attainment(year, kpi.today())
	return {
		"labels": data["labels"],
		"datasets": data["datasets"],
		"yMarkers": data["yMarkers"],
		"type": "bar",
		"fieldtype": "Percent",
	}
