"""Benchmark of the yearly KPI in the pure core (engine/attainment.py) against a plain Python loop.

Run ``python benchmarks/bench_attainment.py`` (1,000,000 timers) or ``--quick`` (a short smoke run for
CI that checks results, asserting nothing about speed); ``--strict`` exits 1 when the target is missed.
The baseline is measured in the same run, on the same timers; each side runs ``--repeat`` times,
interleaved, and the medians are printed with their ratio.

Input: timers of 2,000 agreements in 500 projects (2 metrics, 4 priorities, 20 service items), statuses
Met 70 % / Breached 10 % / Running 8 % / Paused 2 % / Cancelled 10 %, ends spread over Dec 2025 – Jan
2027 (so some fall outside the year), as :class:`TimerColumns` (what a GROUP BY-less read of the timer
columns gives). The engine: ``project_counts`` over the year (``count_targets`` per key is timed
as well), ``kpi``. Baseline: one
loop over the same timers as tuples applying the counting rule per timer, dicts per key and project,
then the mean of the rates. Results are checked equal. Target (issue 13): the live KPI of a year over
1,000,000 timers ≤ 10 s — the pure core's share of it is printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sla_management.engine.attainment import (
	BREACHED,
	MET,
	STATUSES,
	TimerColumns,
	count_targets,
	kpi,
	project_counts,
	project_rates,
)

YEAR_START, YEAR_END = datetime(2026, 1, 1), datetime(2027, 1, 1)
TARGET_S = 10.0


def make_columns(n: int, seed: int = 13) -> TimerColumns:
	rng = np.random.default_rng(seed)
	n_agreements, n_projects = 2000, 500
	agreement = rng.integers(0, n_agreements, n)
	project = agreement % n_projects  # an agreement belongs to one project
	t0 = np.datetime64("2025-12-01T00:00:00", "us")
	span = int((np.datetime64("2027-01-31", "us") - t0) / np.timedelta64(1, "us"))
	status = rng.choice(len(STATUSES), n, p=[0.08, 0.02, 0.70, 0.10, 0.10]).astype(np.int8)
	ends = t0 + rng.integers(0, span, n).astype("timedelta64[us]")
	nat = np.datetime64("NaT", "us")
	stop = np.where(np.isin(status, [2, 3, 4]), ends, nat)  # met, breached (stopped), cancelled
	breach = np.where(status == 3, ends - np.timedelta64(3600, "s"), nat)
	return TimerColumns(
		agreement=agreement,
		project=project,
		metric=rng.integers(0, 2, n),
		priority=rng.integers(0, 4, n),
		service_item=rng.integers(0, 20, n),
		status=status,
		stop=stop,
		breach_at=breach,
		labels={
			"agreement": [f"SLA-AGR-{i:05d}" for i in range(n_agreements)],
			"project": [f"Project {i:03d}" for i in range(n_projects)],
			"metric": ["Response", "Resolution"],
			"priority": ["P1", "P2", "P3", "P4"],
			"service_item": [f"Item {i:02d}" for i in range(20)],
		},
	)


def as_rows(c: TimerColumns) -> list[tuple]:
	lab = c.labels
	cols = [
		[lab["agreement"][i] for i in c.agreement.tolist()],
		[lab["project"][i] for i in c.project.tolist()],
		[lab["metric"][i] for i in c.metric.tolist()],
		[lab["priority"][i] for i in c.priority.tolist()],
		[lab["service_item"][i] for i in c.service_item.tolist()],
		[STATUSES[i] for i in c.status.tolist()],
		[None if np.isnat(x) else x.astype(datetime) for x in c.stop],
		[None if np.isnat(x) else x.astype(datetime) for x in c.breach_at],
	]
	return list(zip(*cols, strict=True))


def engine_kpi(cols: TimerColumns):
	return kpi(project_counts(cols, YEAR_START, YEAR_END), 0.95)


def baseline_kpi(rows: list[tuple]) -> tuple[float, dict]:
	"""A plain loop: the counting rule per timer, met/measured per key, then per project, then the mean."""
	per_key: dict[tuple, list[int]] = {}
	for agreement, project, metric, priority, item, status, stop, breach_at in rows:
		if status == MET:
			if stop is None or not (YEAR_START <= stop < YEAR_END):
				continue
			ok = 1
		elif status == BREACHED:
			if breach_at is None or not (YEAR_START <= breach_at < YEAR_END):
				continue
			ok = 0
		else:
			continue
		c = per_key.setdefault((agreement, project, metric, priority, item), [0, 0])
		c[0] += ok
		c[1] += 1
	per_project: dict[str, list[int]] = {}
	for key, (met, n) in per_key.items():
		p = per_project.setdefault(key[1], [0, 0])
		p[0] += met
		p[1] += n
	rates = [met / n for met, n in per_project.values() if n]
	return sum(rates) / len(rates), per_project


def main(argv: list[str] | None = None) -> int:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--quick", action="store_true", help="short smoke run (CI): checks results, not speed")
	ap.add_argument("--strict", action="store_true", help="exit 1 when the speed target is missed")
	ap.add_argument("--timers", type=int, default=1_000_000)
	ap.add_argument("--repeat", type=int, default=3)
	args = ap.parse_args(argv)
	n = 20_000 if args.quick else args.timers
	repeat = 1 if args.quick else max(1, args.repeat)

	t = time.perf_counter()
	cols = make_columns(n)
	rows = as_rows(cols)
	print(f"timers: {n:,} ({time.perf_counter() - t:.1f} s to generate)")

	eng, base = [], []
	for _i in range(repeat):  # interleaved
		t = time.perf_counter()
		result = engine_kpi(cols)
		eng.append(time.perf_counter() - t)
		t = time.perf_counter()
		value, per_project = baseline_kpi(rows)
		base.append(time.perf_counter() - t)
	t = time.perf_counter()
	per_key = count_targets(cols, YEAR_START, YEAR_END)
	keyed = time.perf_counter() - t
	t = time.perf_counter()
	from_rows = TimerColumns.from_rows(rows)
	convert = time.perf_counter() - t
	t = time.perf_counter()
	engine_kpi(from_rows)
	after_convert = time.perf_counter() - t

	# the same figures
	assert abs(result.value - value) < 1e-12, (result.value, value)
	assert {p: tuple(c) for p, c in per_project.items()} == {
		p: tuple(c) for p, c in project_rates(per_key).items()
	}
	e, b = statistics.median(eng), statistics.median(base)
	print(
		f"KPI {result.value:.4%} over {len(result.rates)} projects "
		f"({result.measured:,} measured targets, weighted share {result.weighted_share:.4%}, "
		f"{len(result.below)} below 95 %)"
	)
	print(f"engine (columns):        {e:8.3f} s  median of {repeat}")
	print(f"baseline (Python loop):  {b:8.3f} s  median of {repeat}")
	print(f"ratio baseline/engine:   {b / e:8.1f} x")
	print(f"count_targets per key:   {keyed:8.3f} s  ({len(per_key):,} keys)")
	print(f"rows -> columns once:    {convert:8.3f} s  (then the engine {after_convert:.3f} s)")
	print(f"target: <= {TARGET_S:.0f} s for the live year KPI: {'met' if e <= TARGET_S else 'MISSED'}")
	return 1 if args.strict and not args.quick and e > TARGET_S else 0


if __name__ == "__main__":
	sys.exit(main())
