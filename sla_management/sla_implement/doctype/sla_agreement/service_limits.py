# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The agreement's limits per service item (table ``service_limits``) and its service credit schedule
(``service_credits``, ``monthly_fee``): validation, traceability to requirement lines, "fill from
requirement". The rules are pure (``engine.agreement_rules``); this module turns them into messages.

Both tables are content of the agreement: they are part of the approval's digest, frozen once the
agreement is signed (submitted), and copied into a new version like the targets.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, flt

from sla_management.engine import agreement_rules as rules, plan_rules

DURATION_FIELDS = ("max_failure_duration", "max_mttr")
# seconds per unit of a failure duration line
_SECONDS = {plan_rules.HOURS: 3600.0, plan_rules.MINUTES: 60.0}


def validate(doc) -> None:
	"""Convert the durations, check the rows, and name the requirement line each row answers."""
	convert_durations(doc)
	items = [i.service_item for i in doc.items]
	problems = rules.limit_problems(engine_limits(doc), items)
	problems += rules.credit_problems(engine_credits(doc), items, flt(doc.monthly_fee))
	if problems:
		frappe.throw(
			"<br>".join(_message(p) for p in problems),
			exc=frappe.ValidationError,
			title=_("Invalid Service Limits"),
		)
	set_requirement_lines(doc)


def convert_durations(doc) -> None:
	errors = []
	for row in doc.get("service_limits") or []:
		for fieldname in DURATION_FIELDS:
			try:
				row.set(fieldname, rules.target_seconds(row.get(fieldname)))
			except ValueError:
				errors.append(
					_("Service limit row {0}: the {1} must be a number of seconds, not {2}.").format(
						row.idx,
						_(row.meta.get_label(fieldname)),
						frappe.bold(frappe.utils.escape_html(str(row.get(fieldname)))),
					)
				)
	if errors:
		frappe.throw("<br>".join(errors), exc=frappe.ValidationError, title=_("Invalid Service Limits"))


def engine_limits(doc) -> list[rules.ServiceLimit]:
	return [
		rules.ServiceLimit(
			idx=row.idx,
			service_item=row.service_item or None,
			availability_target=flt(row.availability_target),
			max_failures=cint(row.max_failures),
			max_failure_duration=flt(row.max_failure_duration),
			max_mttr=flt(row.max_mttr),
			requirement_metric=row.requirement_metric or None,
		)
		for row in doc.get("service_limits") or []
	]


def engine_credits(doc) -> list[rules.CreditStep]:
	return [
		rules.CreditStep(
			idx=row.idx,
			availability_below=flt(row.availability_below),
			credit_percent=flt(row.credit_percent),
			service_item=row.service_item or None,
		)
		for row in doc.get("service_credits") or []
	]


def set_requirement_lines(doc) -> None:
	"""A limit answers an availability/failure line of the agreement's own requirement."""
	from sla_management.sla_implement.doctype.sla_agreement.sla_agreement import (
		_metric_label,
		requirement_metrics,
	)

	chosen = [r for r in doc.get("service_limits") or [] if r.requirement_metric]
	lines = {m.name: m for m in requirement_metrics(doc.requirement)} if doc.requirement and chosen else {}
	wrong = [
		r
		for r in chosen
		if r.requirement_metric not in lines or lines[r.requirement_metric].metric not in rules.LIMIT_FIELDS
	]
	if wrong:
		frappe.throw(
			"<br>".join(
				_("Service limit row {0}: {1} is not an availability or failure line of {2}.").format(
					r.idx,
					frappe.bold(r.requirement_metric),
					frappe.bold(doc.requirement) if doc.requirement else _("the agreement's requirement"),
				)
				for r in wrong
			),
			exc=frappe.ValidationError,
			title=_("Invalid Service Limits"),
		)
	for row in doc.get("service_limits") or []:
		row.requirement_line = (
			_metric_label(lines[row.requirement_metric]) if row.requirement_metric else None
		)


def drop_items(doc, dropped: set[str]) -> None:
	"""A new version without some items: their limits and credit steps go with them."""
	doc.service_limits = [r for r in doc.get("service_limits") or [] if r.service_item not in dropped]
	doc.service_credits = [r for r in doc.get("service_credits") or [] if r.service_item not in dropped]


def _message(p: rules.Problem) -> str:
	if p.kind == rules.LIMIT_ITEM_REQUIRED:
		return _("Service limit row {0}: choose the service item the limits are for.").format(p.idx)
	if p.kind == rules.LIMIT_ITEM_NOT_IN_AGREEMENT:
		return _("Service limit row {0}: service item {1} is not one of the agreement's items.").format(
			p.idx, frappe.bold(p.values[0])
		)
	if p.kind == rules.DUPLICATE_LIMIT:
		return _(
			"Service limit row {0}: row {1} already has the limits of {2}: one row per service item."
		).format(p.idx, p.values[0], frappe.bold(p.values[1]))
	if p.kind == rules.PERCENT_OUT_OF_RANGE:
		return _("Service limit row {0}: the availability target must lie between 0 and 100%.").format(p.idx)
	if p.kind == rules.NEGATIVE_LIMIT:
		return _("Service limit row {0}: failures and durations cannot be negative.").format(p.idx)
	if p.kind == rules.EMPTY_LIMIT:
		return _("Service limit row {0}: set at least one limit, or remove the row.").format(p.idx)
	if p.kind == rules.CREDIT_ITEM_NOT_IN_AGREEMENT:
		return _("Credit step {0}: service item {1} is not one of the agreement's items.").format(
			p.idx, frappe.bold(p.values[0])
		)
	if p.kind == rules.DUPLICATE_CREDIT:
		return _("Credit step {0}: step {1} already has the same service item and threshold.").format(
			p.idx, p.values[0]
		)
	if p.kind == rules.CREDIT_OUT_OF_RANGE:
		if p.values[0] == "availability_below":
			return _("Credit step {0}: the availability threshold must lie above 0 and at most 100%.").format(
				p.idx
			)
		return _("Credit step {0}: the credit must lie between 0 and 100% of the monthly fee.").format(p.idx)
	return _("The monthly fee cannot be negative.")


@frappe.whitelist()
def limits_from_requirement(requirement: str) -> list[dict]:
	"""Limit rows answering the availability and failure lines of ``requirement`` that name a service
	item: one row per item, naming the first line it answers (for the form's button). Lines without an
	item are answered by the agreement-level standards; failure frequencies per year are left to them."""
	from sla_management.sla_implement.doctype.sla_agreement.sla_agreement import _metric_label

	doc = frappe.get_doc("SLA Requirement", requirement)
	doc.check_permission("read")
	rows: dict[str, dict] = {}
	for line in doc.metrics:
		fieldname = rules.LIMIT_FIELDS.get(line.metric)
		if not fieldname or not line.service_item or line.target_value in (None, ""):
			continue
		if fieldname == "max_failure_duration":
			if line.unit not in _SECONDS:
				continue
			value = flt(line.target_value) * _SECONDS[line.unit]
		elif line.metric == plan_rules.FAILURE_FREQUENCY and line.unit != plan_rules.COUNT_PER_MONTH:
			continue
		elif fieldname == "max_failures":
			value = cint(line.target_value)
		else:
			value = flt(line.target_value)
		row = rows.setdefault(
			line.service_item,
			{
				"service_item": line.service_item,
				"requirement_metric": line.name,
				"requirement_line": _metric_label(
					rules.Metric(line.name, line.metric, line.service_item, line.priority or None)
				),
			},
		)
		row.setdefault(fieldname, value)
	return list(rows.values())
