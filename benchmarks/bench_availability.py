"""Benchmark of the availability metrics (engine/availability.py) against a per-outage scalar loop.

Run ``python benchmarks/bench_availability.py`` (full) or ``--quick`` (a short smoke run for CI that
exercises the code and checks results, asserting nothing about speed). ``--strict`` exits 1 when
the speed target is missed. The baseline is measured in the same run, on the same inputs.

Target (from issue 12): metrics for 1,000 agreements × 12 months with 100,000 outages <= 1 s in the
pure core. Input is plain data, as the Frappe layer will pass it: a list of ``(key, start, end,
kind)`` tuples of aware datetimes, one calendar per agreement (10 shared calendar definitions), the
12 months of 2026, limits for every agreement; output: one Metrics per agreement and month.

Baseline: a straightforward loop per outage over the calendar's scalar calls — per agreement sort and
merge the outages, then per merged failure and per month cut it to the month and call
``WorkingCalendar.between`` for the piece and for each maintenance window it meets. It is timed on
all agreements (a few seconds); ``--baseline-agreements N`` times it on the first N and extrapolates
linearly, and the output says so. Its figures are checked against the engine's.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

from sla_management.engine import WorkingCalendar
from sla_management.engine.availability import (
	DEGRADED,
	DOWN,
	MAINTENANCE,
	Limits,
	availability_batch,
)

YEAR = 2026
HORIZON = (2025, 2027)
TARGET_S = 1.0


def make_calendars(n: int) -> list[WorkingCalendar]:
	"""``n`` calendar definitions: 5x8 / 5x12 / 7x24 in three zones, with 15 holidays a year."""
	zones = ["Asia/Shanghai", "Europe/Berlin", "America/New_York"]
	shapes = [
		{d: [("09:00", "17:00")] for d in range(5)},
		{d: [("08:00", "12:00"), ("13:00", "20:00")] for d in range(5)},
		{d: [("00:00", "24:00")] for d in range(7)},
	]
	rng = random.Random(7)
	out = []
	for i in range(n):
		days = [date(YEAR, 1, 1) + timedelta(days=k) for k in range(365)]
		hol = sorted(rng.sample([d for d in days if d.weekday() < 5], 15)) if i % 3 != 2 else []
		out.append(WorkingCalendar(zones[i % 3], shapes[i % 3], holidays=hol, horizon=HORIZON))
	return out


def make_outages(n_keys: int, n_out: int, seed: int = 1) -> list[tuple[int, datetime, datetime | None, str]]:
	"""Outages over 2026 (a few from late 2025): lognormal durations, 5% degraded, 3% maintenance, 1% open."""
	rng = np.random.default_rng(seed)
	zone = ZoneInfo("UTC")
	t0 = datetime(YEAR, 1, 1, tzinfo=zone).timestamp() - 3 * 86400
	span = 368 * 86400
	keys = rng.integers(0, n_keys, n_out).tolist()
	starts = (t0 + rng.integers(0, span * 10**6, n_out) / 1e6).tolist()
	durs = np.minimum(rng.lognormal(math.log(1800), 1.3, n_out), 5 * 86400).round().tolist()
	kinds = rng.choice([DOWN, DEGRADED, MAINTENANCE], n_out, p=[0.92, 0.05, 0.03]).tolist()
	open_ = (rng.random(n_out) < 0.01).tolist()
	out = []
	for k, s, d, kind, op in zip(keys, starts, durs, kinds, open_, strict=True):
		start = datetime.fromtimestamp(s, zone)
		out.append((k, start, None if op else start + timedelta(seconds=d), str(kind)))
	return out


def months() -> list[tuple[datetime, datetime]]:
	z = ZoneInfo("Asia/Shanghai")
	b = [datetime(YEAR + m // 12, m % 12 + 1, 1, tzinfo=z) for m in range(13)]
	return list(itertools.pairwise(b))


def baseline(outages, calendars, periods, now) -> dict[int, list[tuple[float, float, int]]]:
	"""(service, downtime, failures) per key and period, by scalar calls per outage and period."""
	by_key: dict[int, list] = {k: [] for k in calendars}
	for o in outages:
		by_key[o[0]].append(o)
	out = {}
	for key, rows in by_key.items():
		cal = calendars[key]
		fails, maint = [], []
		for _k, s, e, kind in rows:
			e = now if e is None else e
			if e <= s:
				continue
			(maint if kind == MAINTENANCE else fails if kind == DOWN else []).append((s, e))
		merged = []
		for s, e in sorted(fails):
			if merged and s <= merged[-1][1]:
				merged[-1] = (merged[-1][0], max(merged[-1][1], e))
			else:
				merged.append((s, e))
		mmerged = []
		for s, e in sorted(maint):
			if mmerged and s <= mmerged[-1][1]:
				mmerged[-1] = (mmerged[-1][0], max(mmerged[-1][1], e))
			else:
				mmerged.append((s, e))

		def bus_minus_maint(a, b, mm=mmerged, cal=cal):
			x = cal.between(a, b)
			for ms, me in mm:
				lo, hi = max(a, ms), min(b, me)
				if hi > lo:
					x -= cal.between(lo, hi)
			return x

		res = []
		for pa, pb in periods:
			service = bus_minus_maint(pa, pb)
			down = 0.0
			n = 0
			for s, e in merged:
				lo, hi = max(s, pa), min(e, pb)
				if hi > lo:
					down += bus_minus_maint(lo, hi)
				if pa <= s < pb and bus_minus_maint(s, e) > 0:
					n += 1
			res.append((service, down, n))
		out[key] = res
	return out


def timed(fn, repeats: int) -> tuple[float, object]:
	best, result = float("inf"), None
	for _ in range(repeats):
		gc.collect()
		gc.disable()
		t0 = time.perf_counter()
		result = fn()
		best = min(best, time.perf_counter() - t0)
		gc.enable()
	return best, result


def main(argv: list[str] | None = None) -> int:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--quick", action="store_true", help="short smoke run (CI): checks results, not speed")
	ap.add_argument("--strict", action="store_true", help="exit 1 when the speed target is missed")
	ap.add_argument(
		"--baseline-agreements",
		type=int,
		default=0,
		help="time the baseline on this many agreements and extrapolate (default: all of them)",
	)
	args = ap.parse_args(argv)
	quick = args.quick
	n_keys, n_out, n_cal, repeats = (50, 5_000, 4, 1) if quick else (1_000, 100_000, 10, 5)
	base_keys = min(args.baseline_agreements, n_keys) if args.baseline_agreements > 0 else n_keys

	cals = make_calendars(n_cal)
	calendars = {k: cals[k % n_cal] for k in range(n_keys)}
	limits = {k: Limits(99.5, 4, 4 * 3600, 2 * 3600) for k in range(n_keys)}
	outages = make_outages(n_keys, n_out)
	periods = months()
	now = periods[-1][1] - timedelta(days=10)
	print(
		f"python {sys.version.split()[0]}, numpy {np.__version__}; {n_keys:,} agreements × {len(periods)} months, "
		f"{n_out:,} outages, {n_cal} calendar definitions{'  [--quick: smoke run]' if quick else ''}"
	)

	def engine():
		return availability_batch(outages, calendars, periods, now=now, limits=limits)

	engine()  # warm-up (numpy tables of the calendars)
	t_engine, res = timed(engine, repeats)

	sub = [o for o in outages if o[0] < base_keys]
	sub_cals = {k: calendars[k] for k in range(base_keys)}
	t_base, base = timed(lambda: baseline(sub, sub_cals, periods, now), 1)
	scale = n_keys / base_keys
	t_base_full = t_base * scale

	mismatches = 0
	for k, rows in base.items():
		for m, (service, down, n) in zip(res[k], rows, strict=True):
			if not (
				math.isclose(m.service_seconds, service, abs_tol=1e-6)
				and math.isclose(m.downtime_seconds, down, abs_tol=1e-6)
				and m.failures == n
			):
				mismatches += 1
	rows_out = sum(len(v) for v in res.values())
	print(
		f"\n  engine (availability_batch), best of {repeats}: {t_engine * 1e3:9.1f} ms  ({rows_out:,} Metrics)"
	)
	if scale != 1:
		print(
			f"  baseline, per-outage scalar loop:  {t_base_full * 1e3:9.1f} ms  (extrapolated ×{scale:g} from "
			f"{base_keys} agreements, {len(sub):,} outages: {t_base * 1e3:.1f} ms measured)"
		)
	else:
		print(
			f"  baseline, per-outage scalar loop:  {t_base_full * 1e3:9.1f} ms  (measured on the full input)"
		)
	print(f"  ratio baseline / engine:           {t_base_full / t_engine:9.1f}x")
	print(
		f"  results (service, downtime, failures) engine == baseline on {len(base)} agreements: "
		f"{'PASS' if not mismatches else f'FAIL ({mismatches} rows differ)'}"
	)
	passed = t_engine <= TARGET_S
	if quick:
		print("\ntarget (<= 1 s for the full input): not measured in --quick; timings are indicative only")
	else:
		print(
			f"\ntarget: <= {TARGET_S:g} s for the full input: {'PASS' if passed else 'FAIL'} ({t_engine:.3f} s)"
		)
	if mismatches:
		return 2
	return 1 if (args.strict and not passed) else 0


if __name__ == "__main__":
	sys.exit(main())
