# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Test data of the attainment and KPI bench tests (not used by the product): a small year built by hand.

Project A (PM): 10 timers measured in 2026, 9 met → 90 %; project B (OTHER_PM): 2 measured, 1 met → 50 %.
The KPI is the mean of the per-project rates, (90 + 50) / 2 = 70 %, not the ticket-weighted share of met
timers, 10 / 12 = 83.33 %. Around them: timers that do not count in 2026 (running unbreached, cancelled,
ended in 2025 or 2027, breached in 2025 and stopped in 2026), and running timers for the at-risk card.
Now is frozen at 2026-03-20 12:00 (system time).
"""

from __future__ import annotations

import frappe

from sla_management.tests.factories.agreements import ITEMS, agreement_doc, sign, stored

NOW = ("2026-03-20", "12:00:00")
EMAIL = ITEMS[0]
_counter = {"n": 0}


def make_timer(project: str, agreement: str, metric: str, status: str, **values) -> str:
	"""One SLA Timer row as the ticket handler leaves it (stamped with its agreement and project)."""
	_counter["n"] += 1
	n = _counter["n"]
	doc = frappe.get_doc(
		{
			"doctype": "SLA Timer",
			"ticket_doctype": "Issue",
			"ticket": f"KPI-TEST-{n:04d}",
			"metric": metric,
			"cycle": 1,
			"status": status,
			"breached": 1 if status == "Breached" else 0,
			"agreement": agreement,
			"agreement_version": 1,
			"project": project,
			"service_item": EMAIL,
			"priority": "P1",
			"target_seconds": 3600,
			"start": "2026-01-05 09:00:00",
			**values,
		}
	)
	doc.flags.ignore_links = True
	doc.insert(ignore_permissions=True)
	return doc.name


def clear_other_rows() -> None:
	"""Inside the test's savepoint: no timers, agreements or period results but the test's own (the site may
	hold other tests' rows; the rollback restores them)."""
	for doctype in ("SLA Timer", "SLA Agreement", "SLA Period Result"):
		if frappe.db.exists("DocType", doctype):
			frappe.db.delete(doctype)


def build_year(world) -> frappe._dict:
	clear_other_rows()
	a = sign(agreement_doc(world, project=world.project_a).insert()).name
	b = sign(agreement_doc(world, project=world.project_b).insert()).name
	pa, pb = world.project_a, world.project_b
	met = lambda project, agreement, metric, stop, **v: make_timer(  # noqa: E731
		project, agreement, metric, "Met", stop=stop, deadline=stop, **v
	)
	# project A: 9 met, 1 breached (still running) → 90 %
	for day in ("2026-01-10", "2026-01-11", "2026-01-12"):
		met(pa, a, "Response", f"{day} 10:00:00")
	for day in ("2026-03-02", "2026-03-03"):
		met(pa, a, "Response", f"{day} 10:00:00")
	for day in ("2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09"):
		met(pa, a, "Resolution", f"{day} 10:00:00")
	make_timer(
		pa,
		a,
		"Resolution",
		"Breached",
		priority="P2",
		deadline="2026-03-10 10:00:00",
		breach_at="2026-03-10 10:00:00",
	)
	# project B: 1 met, 1 breached (stopped late) → 50 %
	met(pb, b, "Response", "2026-03-05 11:00:00")
	make_timer(
		pb,
		b,
		"Resolution",
		"Breached",
		deadline="2026-03-05 12:00:00",
		breach_at="2026-03-05 12:00:00",
		stop="2026-03-06 09:00:00",
	)
	# not measured in 2026
	met(pa, a, "Response", "2025-12-31 23:00:00")  # ended in 2025
	make_timer(  # breached in 2025, stopped in 2026: counts in 2025
		pa,
		a,
		"Resolution",
		"Breached",
		deadline="2025-12-30 10:00:00",
		breach_at="2025-12-30 10:00:00",
		stop="2026-01-02 10:00:00",
	)
	make_timer(pa, a, "Response", "Cancelled", stop="2026-02-01 10:00:00")  # cancelled: never
	make_timer(  # cancelled after its breach: never
		pa,
		a,
		"Resolution",
		"Cancelled",
		breached=1,
		breach_at="2026-02-02 10:00:00",
		deadline="2026-02-02 10:00:00",
	)
	# running, not breached: not measured; at risk when due within the hour or past an escalation level
	make_timer(pa, a, "Resolution", "Running", deadline="2026-03-20 12:30:00")  # at risk
	make_timer(pb, b, "Resolution", "Running", deadline="2026-04-30 10:00:00", last_level=1)  # at risk
	make_timer(pa, a, "Resolution", "Running", deadline="2026-04-30 10:00:00")  # not at risk
	make_timer(pa, a, "Resolution", "Paused", deadline="2026-03-20 12:10:00")  # paused: not at risk
	return frappe._dict(agreement_a=a, agreement_b=b)


def february_failure(world, year) -> None:
	"""Agreement A promises 99 % availability of its item: one check per month up to now (January, February,
	March so far); a 4-hour failure on 10 February breaks February's."""
	frappe.db.set_value("SLA Agreement", year.agreement_a, "availability_target", 99)
	frappe.get_doc(
		{
			"doctype": "SLA Outage",
			"service_item": EMAIL,
			"project": world.project_a,
			"agreement": year.agreement_a,
			"kind": "Down",
			"found_by": "Manual",
			"start": stored("2026-02-10 10:00:00"),
			"end": stored("2026-02-10 14:00:00"),
		}
	).insert(ignore_permissions=True)


def set_kpi_target(value) -> None:
	"""Inside the test's savepoint: SLA Settings' KPI target (if the field exists yet)."""
	if frappe.get_meta("SLA Settings").has_field("kpi_target"):
		frappe.db.set_single_value("SLA Settings", "kpi_target", value)
