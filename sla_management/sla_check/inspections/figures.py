"""Inspection completion per period (§5.3.1, issue 12): a figure the reports and the KPI use.

``inspection_completion`` reads no permissions: the caller (a report) has already narrowed ``projects`` to
what its user may read.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import frappe

INSPECTION = "SLA Inspection"


class Completion(NamedTuple):
	"""Inspections due in a period: how many, how many completed by their due day, how many after it."""

	due: int
	completed_on_time: int
	completed_late: int


def inspection_completion(projects: list[str] | None, start: date, end: date) -> dict[str, Completion]:
	"""Per service project: the inspections due from ``start`` to ``end`` (both included, by ``due_on``).

	``due`` counts every inspection not cancelled (open, overdue or completed; an amended copy replaces its
	cancelled original); ``completed_on_time``: submitted on or before the due day; ``completed_late``:
	submitted after it. ``projects`` None: every project with an inspection due in the period; a list: those
	projects, each in the result (zeros when none was due). One GROUP BY query.
	"""
	if projects is not None and not projects:
		return {}
	conditions = ["docstatus < 2", "due_on BETWEEN %(start)s AND %(end)s"]
	values = {"start": start, "end": end}
	if projects is not None:
		conditions.append("project IN %(projects)s")
		values["projects"] = tuple(projects)
	rows = frappe.db.sql(
		f"""
		SELECT project,
			COUNT(*),
			SUM(docstatus = 1 AND DATE(completed_on) <= due_on),
			SUM(docstatus = 1 AND (completed_on IS NULL OR DATE(completed_on) > due_on))
		FROM `tab{INSPECTION}`
		WHERE {" AND ".join(conditions)}
		GROUP BY project
		""",
		values,
	)
	out = {project: Completion(0, 0, 0) for project in projects or ()}
	for project, due, on_time, late in rows:
		out[project] = Completion(int(due or 0), int(on_time or 0), int(late or 0))
	return out
