"""Targets of agreements made before 0.3 name their requirement line by its row id only: give them the
line's summary ("Response Time (P1)") that the targets grid shows, as saving the agreement now does."""

import frappe

from sla_management.sla_implement.doctype.sla_agreement.sla_agreement import (
	_metric_label,
	requirement_metrics,
)

TARGET = "SLA Agreement Target"


def execute():
	rows = frappe.get_all(
		TARGET,
		filters={
			"parenttype": "SLA Agreement",
			"requirement_metric": ("is", "set"),
			"requirement_line": ("is", "not set"),
		},
		fields=["name", "parent", "requirement_metric"],
	)
	requirements = (
		dict(
			frappe.get_all(
				"SLA Agreement",
				filters={"name": ("in", list({r.parent for r in rows}))},
				fields=["name", "requirement"],
				as_list=True,
			)
		)
		if rows
		else {}
	)
	lines: dict[str, dict] = {}
	for row in rows:
		requirement = requirements.get(row.parent)
		if not requirement:
			continue
		if requirement not in lines:
			lines[requirement] = {m.name: m for m in requirement_metrics(requirement)}
		if metric := lines[requirement].get(row.requirement_metric):
			frappe.db.set_value(
				TARGET, row.name, "requirement_line", _metric_label(metric), update_modified=False
			)
