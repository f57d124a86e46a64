"""The demo year's inspections and frozen period results (§5.3), where those DocTypes exist.

Inspections: a monthly plan per project, each month's inspection created by the scheduler's own step
(``inspections.jobs``, on the day its period starts) and completed (submitted) by the project manager,
mostly before its due day, sometimes late; the current month's is still open. Period results: every month
(and quarter, and the year) that ended before the data ends is frozen for the demo's agreements and
projects through ``period_results.freeze.freeze_chunk``, as the daily job would the morning after.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import getdate

from sla_management.demo import year_data as Y
from sla_management.demo.users import PM, as_user
from sla_management.demo.year_tickets import fast

PLAN = "SLA Inspection Plan"
INSPECTION = "SLA Inspection"
RESULT = "SLA Period Result"
CHECKS = (
	("Backups of last night restored on the test host", "Restore succeeds"),
	("Free disk space on every server", "Above 20%"),
	("Alarms of the month reviewed and closed", "No alarm left open"),
)
LATE = 0.1  # share of inspections completed after their due day


def inspections_available() -> bool:
	return bool(frappe.db.exists("DocType", PLAN) and frappe.db.exists("DocType", INSPECTION))


def period_results_available() -> bool:
	if not frappe.db.exists("DocType", RESULT):
		return False
	try:
		from sla_management.sla_check.period_results import freeze  # noqa: F401
	except ImportError:
		return False
	return True


def plan_title(customer) -> str:
	return f"{customer.project}: monthly inspection"


def make_inspections(clock, year: int, seed: int, end: datetime, agreements: dict[str, str]) -> int:
	"""The monthly inspections of each project up to ``end``; returns how many were added."""
	if not inspections_available():
		return 0
	from sla_management.sla_check.inspections import jobs

	added = 0
	for customer in Y.CUSTOMERS:
		rng = random.Random(f"{seed}:{year}:{customer.project}:inspections")
		plan = ensure_plan(clock, customer, year, agreements[customer.name])
		while True:
			next_due = frappe.db.get_value(PLAN, plan, "next_due")
			period = getdate(next_due) if next_due else None
			if period is None or datetime.combine(period, datetime.min.time()) > end:
				break
			clock.set(datetime.combine(period, datetime.min.time()) + timedelta(hours=1))
			name = jobs._create_for_plan(plan, period, period)  # the scheduler's step, on that day
			if not name:
				continue
			added += 1
			complete(clock, name, rng, end)
	return added


def ensure_plan(clock, customer, year: int, agreement: str) -> str:
	name = frappe.db.get_value(PLAN, {"plan_title": plan_title(customer), "project": customer.project})
	if name:
		return name
	clock.set(datetime(year, 1, 1, 8, 0))
	doc = frappe.get_doc(
		{
			"doctype": PLAN,
			"plan_title": plan_title(customer),
			"project": customer.project,
			"agreement": agreement,
			"service_item": customer.items[0],
			"frequency": "Monthly",
			"start_date": date(year, 1, 1),
			"assignee": PM,
			"checks": [{"check": check, "expected": expected} for check, expected in CHECKS],
		}
	)
	fast(doc)
	return doc.insert(ignore_permissions=True).name


def complete(clock, name: str, rng: random.Random, end: datetime) -> None:
	"""Record every line and submit, on a day of the period (or after its due day, sometimes)."""
	doc = frappe.get_doc(INSPECTION, name)
	due = datetime.combine(getdate(doc.due_on), datetime.min.time()) + timedelta(hours=17)
	start = datetime.combine(getdate(doc.period_start), datetime.min.time()) + timedelta(hours=10)
	at = (
		due + timedelta(days=rng.uniform(1, 6))
		if rng.random() < LATE
		else start + (due - start) * rng.uniform(0.3, 0.95)
	)
	if at > end:
		return  # still open (or overdue) at the end of the data
	clock.set(at)
	for row in doc.results:
		passed = rng.random() > 0.05
		row.passed = "Pass" if passed else "Fail"
		row.result = row.expected if passed else "Not as expected; followed up"
	fast(doc)
	with as_user(PM):  # the assignee completes it
		doc.submit()


def freeze_results(clock, year: int, end: datetime, agreements: list[str], projects: list[str]) -> int:
	"""Results of every month, quarter (and the year) that ended before ``end``; returns how many were
	written now."""
	if not period_results_available():
		return 0
	from sla_management.engine import attainment as att
	from sla_management.sla_check.period_results.freeze import freeze_chunk

	periods = [(att.MONTH, date(year, m, 1), next_start(year, m, 1)) for m in range(1, 13)]
	periods += [(att.QUARTER, date(year, m, 1), next_start(year, m, 3)) for m in (1, 4, 7, 10)]
	periods.append((att.YEAR, date(year, 1, 1), date(year + 1, 1, 1)))
	written = 0
	for period_type, start, following in periods:
		frozen_at = datetime.combine(following, datetime.min.time()) + timedelta(hours=2)
		if frozen_at > end:
			continue
		clock.set(frozen_at)  # the morning after the period, as the daily job
		written += freeze_chunk(period_type, start, agreements=agreements, projects=projects)
	return written


def next_start(year: int, month: int, months: int) -> date:
	"""The first day of the month ``months`` after ``month`` of ``year``."""
	m = month - 1 + months
	return date(year + m // 12, m % 12 + 1, 1)
