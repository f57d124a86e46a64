# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Traceability of service levels (§5.1 → §5.2 → §5.3): requested → agreed → achieved, per requirement line.

Each measurable standard of an SLA Requirement is shown with the agreement target or limit that answers
it (agreement, version, target row or row of the limits per service item). Lines nothing answers are
flagged. The achieved column shows what was measured (``achieved``): the attainment of the line's ended
timers (met ÷ measured) for response and resolution lines, the figure of the agreement's validity up to
now for availability and failure lines; "—" while nothing is measured.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt

from sla_management.engine import agreement_rules as rules
from sla_management.engine.durations import format_business_seconds
from sla_management.sla_check.tickets.sync import system_tz
from sla_management.sla_implement.doctype.sla_agreement import service_limits
from sla_management.sla_implement.report.sla_requirement_traceability import achieved

NOT_MEASURED = "—"
# Agreements that answer a requirement now or are being prepared to (not Superseded/Expired/Cancelled).
CURRENT_STATUSES = (rules.DRAFT, rules.IN_REVIEW, rules.APPROVED, rules.SIGNED, rules.ACTIVE)


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	rows = get_data(filters)
	if filters.get("only_unanswered"):
		rows = [r for r in rows if not r["answered"]]
	return get_columns(), rows, None, None, get_summary(rows)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "requirement",
			"label": _("Requirement"),
			"fieldtype": "Link",
			"options": "SLA Requirement",
			"width": 160,
		},
		{
			"fieldname": "project",
			"label": _("Service Project"),
			"fieldtype": "Link",
			"options": "SLA Service Project",
			"width": 150,
		},
		{"fieldname": "metric", "label": _("Metric"), "fieldtype": "Data", "width": 150},
		{
			"fieldname": "service_item",
			"label": _("Service Item"),
			"fieldtype": "Link",
			"options": "SLA Service Item",
			"width": 140,
		},
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 80},
		{"fieldname": "requested", "label": _("Requested"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "agreement",
			"label": _("Agreement"),
			"fieldtype": "Link",
			"options": "SLA Agreement",
			"width": 170,
		},
		{"fieldname": "version", "label": _("Version"), "fieldtype": "Int", "width": 70},
		{"fieldname": "agreement_status", "label": _("Agreement Status"), "fieldtype": "Data", "width": 110},
		{"fieldname": "target_row", "label": _("Target Row"), "fieldtype": "Int", "width": 90},
		{"fieldname": "limit_row", "label": _("Limit Row"), "fieldtype": "Int", "width": 80},
		{"fieldname": "agreed", "label": _("Agreed"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "achieved",
			"label": _("Achieved"),
			"fieldtype": "Data",
			"width": 170,
			"description": _(
				"Response and resolution: met ÷ measured of the line's ended timers (stopped or breached; "
				"running timers not yet, cancelled never). Availability and failures: the figure of the "
				"signed agreement's validity up to now. — while nothing is measured"
			),
		},
		{"fieldname": "met", "label": _("Met"), "fieldtype": "Int", "width": 60},
		{"fieldname": "measured", "label": _("Measured"), "fieldtype": "Int", "width": 80},
		{"fieldname": "answered", "label": _("Answered"), "fieldtype": "Check", "width": 80},
	]


def get_data(filters) -> list[dict]:
	requirement_filters = {k: filters[k] for k in ("project", "requirement") if filters.get(k)}
	if "requirement" in requirement_filters:
		requirement_filters["name"] = requirement_filters.pop("requirement")
	requirements = frappe.get_list(
		"SLA Requirement", filters=requirement_filters, fields=["name", "project"], order_by="name asc"
	)
	if not requirements:
		return []
	names = [r.name for r in requirements]
	project_of = {r.name: r.project for r in requirements}
	lines = frappe.get_all(
		"SLA Requirement Metric",
		filters={"parent": ("in", names), "parenttype": "SLA Requirement"},
		fields=["name", "parent", "metric", "service_item", "priority", "target_value", "unit"],
		order_by="parent asc, idx asc",
	)
	agreements = _agreements_answering(names)
	docs = [d for of_requirement in agreements.values() for d in of_requirement]
	timers = achieved.timer_counts([d.name for d in docs if d.docstatus == 1])
	figures = {}
	if any(line.metric in achieved.LIMIT_METRICS for line in lines):
		tz = system_tz()
		figures = achieved.limit_metrics(docs, frappe.utils.now_datetime().replace(tzinfo=tz), tz)
	rows = []
	for line in lines:
		metric = rules.Metric(line.name, line.metric, line.service_item or None, line.priority or None)
		base = {
			"requirement": line.parent,
			"project": project_of.get(line.parent),
			"metric": _(line.metric),
			"service_item": line.service_item,
			"priority": line.priority,
			"requested": _requested(line),
		}
		answering = agreements.get(line.parent) or [None]
		for doc in answering:
			answer = (
				rules.answer(metric, doc.engine_targets(), doc.as_dict(), service_limits.engine_limits(doc))
				if doc
				else None
			)
			rows.append(
				{
					**base,
					"agreement": doc.name if doc else None,
					"version": doc.version if doc else None,
					"agreement_status": _(doc.status) if doc else None,
					"target_row": answer.target_idx if answer else None,
					"limit_row": answer.limit_idx if answer else None,
					"agreed": _agreed(answer) if answer else None,
					"answered": 1 if answer else 0,
					**_achieved(line, doc, answer, timers, figures),
				}
			)
	return rows


def _agreements_answering(requirements: list[str]) -> dict[str, list]:
	"""Current agreements per requirement, newest version first."""
	names = frappe.get_list(
		"SLA Agreement",
		filters={
			"requirement": ("in", requirements),
			"status": ("in", CURRENT_STATUSES),
			"docstatus": ("<", 2),
		},
		pluck="name",
		order_by="version desc",
	)
	out: dict[str, list] = {}
	for name in names:
		doc = frappe.get_doc("SLA Agreement", name)
		out.setdefault(doc.requirement, []).append(doc)
	return out


def _achieved(line, doc, answer, timers: dict, figures: dict) -> dict:
	"""The achieved figure of one answered line: ``achieved`` (text), ``met`` and ``measured`` (timers)."""
	out = {"achieved": NOT_MEASURED, "met": None, "measured": None}
	if not doc or not answer or doc.docstatus != 1:
		return out
	if line.metric in achieved.TIMER_METRIC and answer.target_idx:
		target = next((t for t in doc.targets if t.idx == answer.target_idx), None)
		key = (
			doc.name,
			(target.requirement_metric if target else None) or "",
			achieved.TIMER_METRIC[line.metric],
		)
		met, measured = timers.get(key, (0, 0))
		if measured:
			out.update(achieved=achieved.format_attainment(met, measured), met=met, measured=measured)
		return out
	if line.metric in achieved.LIMIT_METRICS:
		items = [line.service_item] if line.service_item else [i.service_item for i in doc.items]
		measured = [figures[(doc.name, i)] for i in items if (doc.name, i) in figures]
		out["achieved"] = achieved.limit_achieved(line.metric, measured) or NOT_MEASURED
	return out


def _requested(line) -> str:
	if line.target_value in (None, ""):
		return ""
	return f"{flt(line.target_value):g} {_(line.unit or '')}".strip()


def _agreed(answer: rules.Answer) -> str:
	if answer.fieldname in ("response_time", "resolution_time"):
		# business time of the agreement's calendar: "24 h (business)", not "1d"
		return format_business_seconds(flt(answer.value), business=True)
	if answer.fieldname == "max_failure_duration":
		return format_business_seconds(flt(answer.value))
	if answer.fieldname == "availability_target":
		return f"{flt(answer.value):g}%"
	if answer.fieldname == "failure_frequency_limit" or (
		answer.limit_idx and answer.fieldname == "max_failures"
	):
		return _("{0} per month").format(f"{flt(answer.value):g}")
	return str(answer.value)


def get_summary(rows: list[dict]) -> list[dict]:
	unanswered = sum(1 for r in rows if not r["answered"])
	return [
		{"label": _("Requirement Lines"), "value": len(rows), "datatype": "Int", "indicator": "blue"},
		{
			"label": _("Unanswered"),
			"value": unanswered,
			"datatype": "Int",
			"indicator": "red" if unanswered else "green",
		},
	]
