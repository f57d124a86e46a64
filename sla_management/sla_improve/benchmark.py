# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Benchmark of the SLA KPI report over a year of 1,000,000 timers (issue 13), run on a bench site:

	bench --site SITE execute sla_management.sla_improve.benchmark.run
	kwargs: timers (1_000_000), projects (200), sample (100_000: the Python baseline's rows), runs (3)

1. Set-up: ``timers`` synthetic SLA Timer rows of the year ``YEAR`` (a year no real data uses), spread
   over ``projects`` projects and four agreements each — 80 % met, 10 % breached (half of them still
   running), 5 % running, 5 % cancelled — bulk inserted (parameterised multi-row INSERTs of 10,000 rows), and the
   submitted yearly SLA Period Results of that year (one per project, one per agreement) plus the monthly
   ones (12 per agreement), as the freeze job writes them.
2. Live: the SLA KPI report of the year as it runs when the year is not closed (the frozen rows are
   hidden by running it for the year before they exist); the database counts (two GROUP BY queries).
   Baseline: a Python loop over ``frappe.get_all`` timer rows applying the counting rule, on ``sample``
   rows, extrapolated linearly to ``timers`` (said so in the output).
3. An open year whose January to November the freeze job closed (submitted monthly project results):
   the report takes those months from them and counts December's timers live.
4. Frozen: the same report once the year is closed (the submitted yearly results), against both the live
   report and the baseline.
Each figure is the median of ``runs`` runs, live and frozen interleaved. Live is measured with SLA
Timer's attainment indexes (``ATTAINMENT_INDEXES``; added for the run on a site that lacks them, dropped
after) and, with ``without_index=True``, once more without them (dropped for that run, then put back).
The rows are committed in chunks and deleted at the end (also on failure): the site keeps no benchmark
data.
"""

from __future__ import annotations

import itertools
import statistics
import time
from datetime import datetime, timedelta

import frappe

from sla_management.sla_check.doctype.sla_timer.sla_timer import ATTAINMENT_INDEXES
from sla_management.sla_improve import kpi
from sla_management.sla_improve.report.sla_kpi import sla_kpi

YEAR = 2019
CHUNK = 10_000
META = ("creation", "modified", "owner", "modified_by", "docstatus", "idx")
TIMER_COLUMNS = (
	"name",
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
	"target_seconds",
	"start",
)
RESULT_COLUMNS = (
	"name",
	"period_type",
	"period_start",
	"period_end",
	"scope",
	"project",
	"agreement",
	"measured",
	"met",
	"rate",
	"revision",
	"result_key",
)


# SLA Timer's indexes of the counting rule (status and end instant as the range, project for the group)
PROPOSED_INDEXES = ATTAINMENT_INDEXES


def run(
	timers: int = 1_000_000,
	projects: int = 200,
	sample: int = 100_000,
	runs: int = 3,
	keep: bool = False,
	without_index: bool = False,
) -> dict:
	"""Insert, measure, delete. The rows are committed in chunks (a million uncommitted rows make every
	other writer of the table wait) and deleted at the end, also on failure (``keep``: leave them)."""
	frappe.db.rollback()
	frappe.set_user("Administrator")
	made_indexes: list[str] = []
	try:
		_delete_rows()
		t0 = time.perf_counter()
		_insert_timers(timers, projects)
		insert_s = time.perf_counter() - t0
		frappe.db.commit()
		without = [None]
		if without_index:  # one run with SLA Timer's attainment indexes dropped: it reads the whole table
			dropped = _drop_indexes()
			without = [_timed(lambda: _report(frozen=False))]
		t0 = time.perf_counter()
		# the site's own indexes (dropped above) come back and stay; ones the site lacked are dropped after
		made_indexes = [name for name in _add_indexes() if not without_index or name not in dropped]
		index_s = time.perf_counter() - t0
		live = [_timed(lambda: _report(frozen=False)) for _i in range(runs)]
		# an open year in December: January to November closed by the freeze job (monthly results)
		_insert_results(projects, "Month")
		frappe.db.commit()
		open_year = [_timed(lambda: _report(frozen=False, months=11)) for _i in range(runs)]
		_insert_results(projects, "Year")
		frappe.db.commit()
		frozen = []
		for _i in range(runs):
			frozen.append(_timed(lambda: _report(frozen=True)))
			live.append(_timed(_live_only))
		baseline_s, counted = _baseline(sample)
		figures = {
			"timers": timers,
			"projects": projects,
			"insert_s": round(insert_s, 1),
			"index_s": round(index_s, 1),
			"indexes_added": made_indexes,
			"live_without_index_s": None if without[0] is None else round(without[0], 2),
			"live_s": round(statistics.median(live), 3),
			"frozen_s": round(statistics.median(frozen), 4),
			"open_year_s": round(statistics.median(open_year), 3),
			"baseline_sample_rows": counted,
			"baseline_sample_s": round(baseline_s, 3),
			"baseline_s": round(baseline_s * timers / max(counted, 1), 2),
		}
	finally:
		frappe.db.rollback()
		if not keep:
			_delete_rows()
			for name in made_indexes:
				frappe.db.sql_ddl(f"alter table `tab{kpi.TIMER}` drop index `{name}`")
	_print(figures)
	return figures


def _drop_indexes() -> list[str]:
	"""Drop SLA Timer's attainment indexes for the comparison run (``_add_indexes`` puts them back)."""
	existing = {r.Key_name for r in frappe.db.sql(f"show index from `tab{kpi.TIMER}`", as_dict=True)}
	dropped = [name for name in PROPOSED_INDEXES if name in existing]
	for name in dropped:
		frappe.db.sql_ddl(f"alter table `tab{kpi.TIMER}` drop index `{name}`")
	return dropped


def _add_indexes() -> list[str]:
	"""The attainment indexes this site's SLA Timer lacks (DDL: commits); returns those added."""
	existing = {r.Key_name for r in frappe.db.sql(f"show index from `tab{kpi.TIMER}`", as_dict=True)}
	added = []
	for name, columns in PROPOSED_INDEXES.items():
		if name not in existing:
			cols = ", ".join(f"`{c}`" for c in columns)
			frappe.db.sql_ddl(f"alter table `tab{kpi.TIMER}` add index `{name}` ({cols})")
			added.append(name)
	return added


def _delete_rows() -> None:
	"""Delete the benchmark's rows in chunks, committing each."""
	for doctype, prefix in ((kpi.TIMER, "benchkpi"), (kpi.PERIOD_RESULT, "BENCH-KPI-R")):
		while names := frappe.db.sql_list(
			f"select name from `tab{doctype}` where name like %s limit 50000", (f"{prefix}%",)
		):
			frappe.db.sql(f"delete from `tab{doctype}` where name in %(names)s", {"names": names})
			frappe.db.commit()


def _timed(fn) -> float:
	t0 = time.perf_counter()
	fn()
	return time.perf_counter() - t0


def _report(frozen: bool, months: int = 0):
	_columns, rows, message, _chart, summary = sla_kpi.execute({"year": YEAR})
	source = next(s["value"] for s in summary if s["label"] == "Source")
	expected = "Frozen Results (Year Closed)" if frozen else "Live"
	assert source == expected, (source, expected)
	assert not months or f"{YEAR}-{months:02d}" in message, message
	assert rows, "no rows"
	return rows


def _live_only():
	"""The live path of the report (the timers counted by the database) once frozen results exist."""
	first, last = kpi.year_bounds(YEAR)
	results = kpi.live_project_results(first, last)
	return kpi.kpi_result(results, kpi.kpi_target())


def _insert_timers(total: int, projects: int) -> None:
	now = frappe.utils.now_datetime()
	user = frappe.session.user
	start = datetime(YEAR, 1, 1)
	seconds = 365 * 86400 - 7200

	def rows():
		for i in range(total):
			project = f"BENCH-KPI-P{i % projects:04d}"
			agreement = f"BENCH-KPI-A{i % (projects * 4):05d}"
			opened = start + timedelta(seconds=(i * 7919) % seconds)
			deadline = opened + timedelta(hours=4)
			kind = i % 20
			stop = breach_at = None
			breached = 0
			if kind < 16:  # met
				status, stop = "Met", opened + timedelta(hours=2)
			elif kind < 18:  # breached, stopped late or still running
				status, breached, breach_at = "Breached", 1, deadline
				stop = opened + timedelta(hours=6) if kind == 16 else None
			elif kind == 18:
				status = "Running"
			else:
				status, stop = "Cancelled", opened + timedelta(hours=1)
			yield (
				f"benchkpi{i:08d}",
				"Issue",
				f"BENCH-KPI-{i:08d}",
				"Response" if i % 2 else "Resolution",
				1,
				status,
				breached,
				breach_at,
				deadline,
				stop,
				agreement,
				1,
				project,
				"BENCH-KPI-ITEM",
				f"P{i % 4 + 1}",
				14400,
				opened,
				now,
				now,
				user,
				user,
				0,
				0,
			)

	_multi_row_insert(kpi.TIMER, [*TIMER_COLUMNS, *META], rows())


def _insert_results(projects: int, period_type: str) -> None:
	"""Submitted period results of YEAR as the freeze job writes them, per project and per agreement:
	"Month": January to November; "Year": the year."""
	now = frappe.utils.now_datetime()
	user = frappe.session.user
	rows = []

	def add(period_type, first, last, scope, project, agreement):
		reference = agreement or project
		rows.append(
			(
				f"BENCH-KPI-R{period_type[0]}{len(rows):07d}",
				period_type,
				first,
				last,
				scope,
				project,
				agreement,
				1000,
				950,
				95.0,
				1,
				f"{period_type}|{first}|{scope}|{reference}|1",
				now,
				now,
				user,
				user,
				1,
				0,
			)
		)

	if period_type == "Year":
		periods = [(f"{YEAR}-01-01", f"{YEAR}-12-31")]
	else:
		periods = [tuple(str(d) for d in kpi.month_bounds(YEAR, month)) for month in range(1, 12)]
	for p in range(projects):
		project = f"BENCH-KPI-P{p:04d}"
		for first, last in periods:
			add(period_type, first, last, "Project", project, None)
			for a in range(p, projects * 4, projects):
				add(period_type, first, last, "Agreement", project, f"BENCH-KPI-A{a:05d}")
	_multi_row_insert(kpi.PERIOD_RESULT, [*RESULT_COLUMNS, *META], rows)


def _multi_row_insert(doctype: str, columns: list[str], rows) -> None:
	"""Multi-row INSERTs of CHUNK rows each, parameterised (pymysql escapes the values; frappe.db.bulk_insert
	builds the same statement through pypika, several times slower for a million rows)."""
	head = f"insert into `tab{doctype}` ({', '.join(f'`{c}`' for c in columns)}) values "
	one = "(" + ", ".join(["%s"] * len(columns)) + ")"
	iterator = iter(rows)
	while chunk := list(itertools.islice(iterator, CHUNK)):
		frappe.db.sql(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])
		frappe.db.commit()


def _baseline(sample: int) -> tuple[float, int]:
	"""The counting rule as a Python loop over ``frappe.get_all`` rows (``sample`` of them)."""
	first = datetime(YEAR, 1, 1)
	end = datetime(YEAR + 1, 1, 1)
	t0 = time.perf_counter()
	rows = frappe.get_all(
		kpi.TIMER,
		filters={"name": ("like", "benchkpi%")},
		fields=["project", "status", "stop", "breach_at"],
		limit_page_length=sample,
	)
	per: dict[str, list[int]] = {}
	for r in rows:
		c = per.setdefault(r.project, [0, 0])
		if r.status == "Met" and r.stop and first <= r.stop < end:
			c[0] += 1
			c[1] += 1
		elif r.status == "Breached" and r.breach_at and first <= r.breach_at < end:
			c[1] += 1
	rates = [m / n for m, n in per.values() if n]
	_kpi = sum(rates) / len(rates) if rates else None
	return time.perf_counter() - t0, len(rows)


def _print(f: dict) -> None:
	print(f"SLA KPI report, year {YEAR}, {f['timers']:,} timers, {f['projects']} projects")
	print(
		f"  set-up: bulk insert {f['insert_s']} s; attainment indexes added for the run "
		f"{f['indexes_added']} {f['index_s']} s"
	)
	if f["live_without_index_s"] is not None:
		print(f"  live without SLA Timer's attainment indexes: {f['live_without_index_s']} s (one run)")
	print(
		f"  baseline (Python loop over frappe.get_all rows): {f['baseline_sample_s']} s for "
		f"{f['baseline_sample_rows']:,} rows, extrapolated linearly to {f['timers']:,}: {f['baseline_s']} s"
	)
	print(
		f"  live (database GROUP BY, with SLA Timer's attainment indexes): {f['live_s']} s (limit 10 s) — "
		f"{round(f['baseline_s'] / f['live_s'], 1) if f['live_s'] else '-'}x faster than the baseline"
	)
	print(
		f"  open year, January to November frozen (monthly results), December live: {f['open_year_s']} s — "
		f"{round(f['baseline_s'] / f['open_year_s'], 1) if f['open_year_s'] else '-'}x faster than the baseline"
	)
	print(
		f"  frozen (submitted yearly results): {f['frozen_s']} s (limit 1 s) — "
		f"{round(f['live_s'] / f['frozen_s'], 1) if f['frozen_s'] else '-'}x faster than live, "
		f"{round(f['baseline_s'] / f['frozen_s'], 1) if f['frozen_s'] else '-'}x than the baseline"
	)
