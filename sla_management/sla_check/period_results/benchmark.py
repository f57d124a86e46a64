# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Benchmark: freezing one month for 1,000 agreements (issue 13: ≤ 60 s of worker time).

  bench --site SITE execute sla_management.sla_check.period_results.benchmark.run
  bench --site SITE execute sla_management.sla_check.period_results.benchmark.run --kwargs "{'agreements': 100}"

Inside one transaction that is rolled back at the end (nothing stays on the site): bulk-inserts
synthetic service projects (10 agreements each), submitted agreements with one service item, their
limits and a credit schedule, 150 timers per agreement (100 ending in June 2030, the rest in May/July:
met, breached, running, cancelled) and 2 outages per agreement in June. Then it times

- **engine**: the worker path, ``freeze_chunk`` over chunks of 50 agreements and then of the projects
  (one GROUP BY of timers per chunk, one availability batch per calendar), writing and submitting one
  SLA Period Result per agreement and per project;
- **baseline**: the same results the straightforward way — per agreement a ``frappe.get_all`` of its
  timers counted in a Python loop and its own availability call, then the same document writes.

Both write the same documents; their figures are checked equal. Printed: seconds and ratio.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import now_datetime

from sla_management.engine import attainment as att
from sla_management.sla_check.period_results import freeze as fz

PERIOD = ("Month", date(2030, 6, 1))
PREFIX = "_Bench PR"
TARGET_S = 60.0


def _base(name: str, now: datetime) -> list:
	return [name, now, now, "Administrator", "Administrator"]


BASE_FIELDS = ["name", "creation", "modified", "owner", "modified_by"]


def _make_world(n: int) -> list[str]:
	now = now_datetime()
	calendar = f"{PREFIX} 5x8"
	if not frappe.db.exists("SLA Service Calendar", calendar):
		frappe.get_doc(
			{
				"doctype": "SLA Service Calendar",
				"calendar_name": calendar,
				"timezone": "Asia/Shanghai",
				"windows": [
					{"weekday": d, "start_time": "09:00:00", "end_time": "18:00:00"}
					for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
				],
			}
		).insert(ignore_permissions=True)
	item = f"{PREFIX} Item"
	if not frappe.db.exists("SLA Service Item", item):
		frappe.get_doc({"doctype": "SLA Service Item", "item_name": item}).insert(ignore_permissions=True)
	projects = [f"{PREFIX} Project {i:04d}" for i in range((n + 9) // 10)]
	frappe.db.bulk_insert(
		"SLA Service Project",
		[*BASE_FIELDS, "project_name", "status"],
		[[*_base(p, now), p, "Active"] for p in projects],
	)
	names = [f"{PREFIX}-AGR-{i:05d}" for i in range(n)]
	has_fee = frappe.get_meta("SLA Agreement").has_field("monthly_fee")
	fields = [
		*BASE_FIELDS,
		"docstatus",
		"status",
		"agreement_title",
		"project",
		"calendar",
		"version",
		"valid_from",
		"valid_to",
		"availability_target",
		"max_failures",
		"max_failure_duration",
		*(["monthly_fee"] if has_fee else []),
	]
	frappe.db.bulk_insert(
		"SLA Agreement",
		fields,
		[
			[
				*_base(a, now),
				1,
				"Active",
				a,
				projects[i // 10],
				calendar,
				1,
				"2030-01-01",
				"2030-12-31",
				99.5,
				2,
				4 * 3600,
				*([10000] if has_fee else []),
			]
			for i, a in enumerate(names)
		],
	)
	child = [*BASE_FIELDS, "parent", "parenttype", "parentfield", "idx"]
	frappe.db.bulk_insert(
		"SLA Agreement Item",
		[*child, "service_item"],
		[[*_base(f"{a}-i", now), a, "SLA Agreement", "items", 1, item] for a in names],
	)
	if frappe.db.exists("DocType", fz.CREDIT):
		frappe.db.bulk_insert(
			fz.CREDIT,
			[*child, "availability_below", "credit_percent"],
			[
				[*_base(f"{a}-c{k}", now), a, "SLA Agreement", "service_credits", k, below, pct]
				for a in names
				for k, (below, pct) in enumerate(((99.5, 5), (99, 10)), 1)
			],
		)
	# timers: 100 ending in June (70 met, 20 breached, 10 running/cancelled), 50 in May or July
	rows = []
	statuses = ["Met"] * 7 + ["Breached"] * 2 + ["Running", "Cancelled"]
	n_timer = 0
	for i, a in enumerate(names):
		for k in range(150):
			n_timer += 1
			day = (
				datetime(2030, 6, 1) + timedelta(hours=(k * 7 + i) % 700)
				if k < 100
				else datetime(2030, 5 if k % 2 else 7, 15, k % 24)
			)
			status = statuses[(k + i) % len(statuses)] if k < 110 else "Met"
			rows.append(
				[
					*_base(f"{PREFIX}-T-{n_timer:08d}", now),
					"Issue",
					f"{PREFIX}-ISS-{n_timer:08d}",
					"Response" if k % 2 else "Resolution",
					1,
					status,
					1 if status == "Breached" else 0,
					day if status == "Breached" else None,
					day,
					None if status == "Running" else day,
					a,
					1,
					projects[i // 10],
					item,
					f"P{k % 3 + 1}",
				]
			)
	frappe.db.bulk_insert(
		"SLA Timer",
		[
			*BASE_FIELDS,
			"ticket_doctype",
			"ticket",
			"metric",
			"cycle",
			"status",
			"breached",
			"breach_at",
			"deadline",
			"stop",
			"agreement",
			"agreement_version",
			"project",
			"service_item",
			"priority",
		],
		rows,
	)
	outages = []
	for i, a in enumerate(names):
		for k in range(2):
			start = datetime(2030, 6, 3 + k * 10 + i % 5, 2 + i % 6)
			outages.append(
				[
					*_base(f"{PREFIX}-OUT-{i:05d}-{k}", now),
					item,
					projects[i // 10],
					a,
					"Down",
					"Manual",
					start,
					start + timedelta(minutes=20 + (i * 7 + k * 13) % 200),
				]
			)
	frappe.db.bulk_insert(
		"SLA Outage",
		[*BASE_FIELDS, "service_item", "project", "agreement", "kind", "found_by", "start", "end"],
		outages,
	)
	return names


def _without_timers(name: str, start: date, end: date):
	"""``figures_of`` of one agreement with its availability and credit but no timer query."""
	real = fz._timer_lines
	fz._timer_lines = lambda *_a: {}
	try:
		return fz.figures_of([name], start, end)[name]
	finally:
		fz._timer_lines = real


def _baseline(names: list[str], start: date, end: date) -> int:
	"""Per agreement: get_all its timers, count them in Python, its own availability; the same writes."""
	s, e = datetime.combine(start, datetime.min.time()), datetime.combine(end, datetime.min.time())
	target = fz.kpi_target()
	written = 0
	by_project: dict[str, list] = {}
	for name in names:
		fig = _without_timers(name, start, end)
		lines: dict[tuple, list[int]] = {}
		for t in frappe.get_all(
			"SLA Timer",
			filters={"agreement": name},
			fields=["metric", "priority", "service_item", "status", "stop", "breach_at", "deadline"],
			limit_page_length=0,
		):
			outcome = att.timer_outcome(t.status, t.stop, t.breach_at or t.deadline, s, e)
			if outcome is None:
				continue
			c = lines.setdefault((t.metric, t.priority or "", t.service_item), [0, 0])
			c[0] += outcome
			c[1] += 1
		fig.lines = [
			{
				"metric": m,
				"priority": p,
				"service_item": i,
				"agreement": name,
				"met": met,
				"measured": n,
			}
			for (m, p, i), (met, n) in sorted(lines.items())
		] + fig.lines
		by_project.setdefault(fig.agreement.project, []).append(fig)
		doc = fz._result_doc(*PERIOD, end, "Agreement", name, fig, target=target)
		written += fz._insert(doc, commit=False)
	for project, figs in by_project.items():
		doc = fz._result_doc(*PERIOD, end, "Project", project, fz._project_figures(figs), target=target)
		written += fz._insert(doc, commit=False)
	return written


def _engine(names: list[str], projects: list[str]) -> int:
	written = 0
	for i in range(0, len(names), fz.CHUNK):
		written += fz.freeze_chunk(*PERIOD, agreements=names[i : i + fz.CHUNK], commit=False)
	for i in range(0, len(projects), fz.CHUNK):
		written += fz.freeze_chunk(*PERIOD, projects=projects[i : i + fz.CHUNK], commit=False)
	return written


def _figures(names) -> dict:
	return {
		(r.scope, r.agreement or r.project): (r.measured, r.met, round(r.availability_pct or 0, 6))
		for r in frappe.get_all(
			fz.RESULT,
			filters={"period_type": PERIOD[0], "period_start": PERIOD[1], "docstatus": 1},
			fields=["scope", "agreement", "project", "measured", "met", "availability_pct"],
			limit_page_length=0,
		)
	}


def run(agreements: int = 1000, baseline: int = 1) -> dict:
	"""Build, time engine and baseline on the same data, print, roll everything back."""
	frappe.db.rollback()
	start, end = att.period_bounds(*PERIOD)
	out = {}
	try:
		t = time.perf_counter()
		names = _make_world(int(agreements))
		projects = sorted(
			{n for n in frappe.get_all("SLA Agreement", {"name": ("in", names)}, pluck="project")}
		)
		n_timers = frappe.db.count("SLA Timer", {"agreement": ("in", names)})
		print(f"world: {len(names)} agreements, {len(projects)} projects, {n_timers:,} timers "
			  f"({time.perf_counter() - t:.1f} s to insert)")  # fmt: skip

		frappe.db.savepoint("bench_pr")
		t = time.perf_counter()
		written = _engine(names, projects)
		engine_s = time.perf_counter() - t
		engine_figs = _figures(names)
		out["engine_s"], out["written"] = round(engine_s, 2), written
		print(f"engine   (chunks of {fz.CHUNK}, GROUP BY): {engine_s:7.2f} s, {written} results written")

		if int(baseline):
			frappe.db.rollback(save_point="bench_pr")
			t = time.perf_counter()
			base_written = _baseline(names, start, end)
			base_s = time.perf_counter() - t
			base_figs = _figures(names)
			assert base_written == written, (base_written, written)
			assert base_figs == engine_figs, "baseline and engine figures differ"
			out["baseline_s"] = round(base_s, 2)
			print(f"baseline (per-agreement get_all loop): {base_s:7.2f} s, {base_written} results written")
			print(f"ratio baseline/engine: {base_s / engine_s:.2f} x (figures equal)")
		print(f"target: <= {TARGET_S:.0f} s of worker time: {'met' if engine_s <= TARGET_S else 'MISSED'}")
	finally:
		frappe.db.rollback()
	return out
