"""Benchmark of the working-time engine against a day-by-day loop (the approach of ERPNext v15).

Run ``python benchmarks/bench_engine.py`` (full) or ``--quick`` (a short smoke run for CI that
exercises the code and checks results, asserting nothing about speed). ``--strict`` exits 1 when
a speed target is missed. Every ratio is measured in the same run, on the same inputs.

Targets (from the issue): a deadline costs <= 10 µs per call at 4, 40, 160 and 480 business
hours on a 5x8 calendar with 15 holidays a year; >= 40x faster than the day loop at 480 h;
bulk >= 1,000,000 deadlines per second.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sla_management.engine import WorkingCalendar, add_bulk, calendar as engine_calendar

ZONE = "Asia/Shanghai"
HORIZON = (2000, 2060)
WEEKLY = {d: [("09:00", "17:00")] for d in range(5)}
LENGTHS_H = (4, 40, 160, 480)
TARGET_US_PER_CALL = 10.0
TARGET_RATIO_480 = 40.0
TARGET_BULK_PER_S = 1_000_000


def make_holidays(seed: int = 15) -> list[date]:
	"""15 weekday holidays in every year of the horizon (fixed seed)."""
	rng = random.Random(seed)
	out: list[date] = []
	for year in range(HORIZON[0], HORIZON[1] + 1):
		days = [date(year, 1, 1) + timedelta(days=i) for i in range(365)]
		out += rng.sample([d for d in days if d.weekday() < 5], 15)
	return sorted(out)


class DayLoop:
	"""A lean day loop: walk day by day from the start, with a holiday set and stdlib arithmetic.

	Each day: skip holidays and non-working weekdays; else, per window, take min(remaining, working
	time left today) and subtract; then go on to the next day at midnight.
	"""

	def __init__(self, zone: str, weekly: dict, holidays: list[date]) -> None:
		self.zone = ZoneInfo(zone)
		self.holidays = set(holidays)
		self.weekly = {
			d: [(datetime.strptime(s, "%H:%M").time(), datetime.strptime(e, "%H:%M").time()) for s, e in ws]
			for d, ws in weekly.items()
		}

	def add(self, start: datetime, seconds: float) -> datetime:
		current = start.astimezone(self.zone).replace(tzinfo=None)
		remaining = timedelta(seconds=seconds)
		if not remaining:
			return start.astimezone(self.zone)
		while True:
			day = current.date()
			if day not in self.holidays:
				for ws, we in self.weekly.get(day.weekday(), ()):
					window_end = datetime.combine(day, we)
					if current >= window_end:
						continue
					begin = max(current, datetime.combine(day, ws))
					left_today = window_end - begin
					if remaining <= left_today:
						return (begin + remaining).replace(tzinfo=self.zone)
					remaining -= left_today
			current = datetime.combine(day + timedelta(days=1), datetime.min.time())


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class ErpnextStyleLoop:
	"""The day loop shaped like ERPNext v15's ``get_expected_time_for``, in plain Python (no Frappe).

	Per day, as there: weekday name lookup in the support days, ``date in holiday_list`` (a list of
	the Holiday List's dates, here the two years a 2026 start can reach), start/end times as
	timedeltas, time left today in seconds, and ``add_to_date(days=1)`` (a relativedelta).
	"""

	def __init__(self, zone: str, weekly: dict, holidays: list[date], years: tuple[int, int]) -> None:
		from dateutil.relativedelta import relativedelta

		self.one_day = relativedelta(days=1)
		self.zone = ZoneInfo(zone)
		self.holidays = [d for d in holidays if years[0] <= d.year <= years[1]]
		self.support_days = {}
		for d, ((s, e),) in weekly.items():
			hs, ms = map(int, s.split(":"))
			he, me = map(int, e.split(":"))
			self.support_days[WEEKDAYS[d]] = (
				timedelta(hours=hs, minutes=ms),
				timedelta(hours=he, minutes=me),
			)

	def add(self, start: datetime, seconds: float) -> datetime:
		start_date_time = start.astimezone(self.zone).replace(tzinfo=None)
		current = start_date_time
		allotted = seconds
		while True:
			weekday = WEEKDAYS[current.weekday()]
			if current.date() not in self.holidays and weekday in self.support_days:
				start_time, end_time = self.support_days[weekday]
				midnight = datetime.combine(current.date(), datetime.min.time())
				if current.date() == start_date_time.date() and current - midnight > start_time:
					start_time = current - midnight
				time_left_today = (end_time - start_time).total_seconds()
				if time_left_today > 0:
					if time_left_today >= allotted:
						return (midnight + start_time + timedelta(seconds=allotted)).replace(tzinfo=self.zone)
					allotted -= time_left_today
			current = current + self.one_day


def best_per_call(fn, args: list, repeats: int) -> float:
	"""Best-of-``repeats`` mean seconds per call of ``fn(*a)`` over ``args`` (timeit style)."""
	best = float("inf")
	for _ in range(repeats):
		gc.disable()
		t0 = time.perf_counter()
		for a in args:
			fn(*a)
		dt = time.perf_counter() - t0
		gc.enable()
		best = min(best, dt / len(args))
	return best


def random_starts(n: int, year: int = 2026, seed: int = 1) -> list[datetime]:
	rng = random.Random(seed)
	t0 = datetime(year, 1, 1, tzinfo=ZoneInfo(ZONE)).timestamp()
	zone = ZoneInfo(ZONE)
	return [datetime.fromtimestamp(t0 + rng.randrange(365 * 86400), zone) for _ in range(n)]


def construction(holidays: list[date], repeats: int) -> list[tuple[str, float, int, int]]:
	"""(label, best seconds, table bytes, intervals) for calendars over the 61-year horizon."""
	rows = []
	cases = [
		("5x8 Asia/Shanghai, 15 holidays/yr", ZONE, WEEKLY, holidays),
		(
			"2 windows/day Europe/Berlin (DST)",
			"Europe/Berlin",
			{d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)},
			holidays,
		),
		("7x24 America/New_York (DST)", "America/New_York", {d: [("00:00", "24:00")] for d in range(7)}, []),
	]
	for label, zone, weekly, hol in cases:
		best = float("inf")
		for _ in range(repeats):
			engine_calendar.clear_caches()
			t0 = time.perf_counter()
			c = WorkingCalendar(timezone=zone, weekly=weekly, holidays=hol, horizon=HORIZON)
			best = min(best, time.perf_counter() - t0)
		rows.append((label, best, c.memory_bytes, len(c.starts_us)))
	return rows


def main(argv: list[str] | None = None) -> int:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--quick", action="store_true", help="short smoke run (CI): checks results, not speed")
	ap.add_argument("--strict", action="store_true", help="exit 1 when a speed target is missed")
	args = ap.parse_args(argv)
	quick = args.quick
	n_engine, n_base, repeats = (300, 30, 1) if quick else (20_000, 1_000, 5)
	n_bulk = 20_000 if quick else 1_000_000

	holidays = make_holidays()
	print(
		f"python {sys.version.split()[0]}, numpy {np.__version__}; calendar: {ZONE}, Mon-Fri 09:00-17:00, "
		f"15 holidays/yr, horizon {HORIZON[0]}-{HORIZON[1]}{'  [--quick: smoke run]' if quick else ''}"
	)

	rows = construction(holidays, 1 if quick else 5)
	print("\nconstruction (cold: zone transitions found anew each time)")
	print(f"  {'calendar':40s} {'ms':>8s} {'intervals':>10s} {'table KiB':>10s}")
	for label, secs, nbytes, n in rows:
		print(f"  {label:40s} {secs * 1e3:8.1f} {n:10d} {nbytes / 1024:10.0f}")

	cal = WorkingCalendar(timezone=ZONE, weekly=WEEKLY, holidays=holidays, horizon=HORIZON)
	tracemalloc.start()
	before = tracemalloc.get_traced_memory()[0]
	cal_mem = WorkingCalendar(timezone=ZONE, weekly=WEEKLY, holidays=holidays, horizon=HORIZON)
	retained = tracemalloc.get_traced_memory()[0] - before
	tracemalloc.stop()
	del cal_mem
	print(f"  retained by one 5x8 calendar (tracemalloc, incl. holiday set): {retained / 1024:.0f} KiB")

	lean = DayLoop(ZONE, WEEKLY, holidays)
	erp = ErpnextStyleLoop(ZONE, WEEKLY, holidays, (2026, 2027))
	results = []
	ok = True
	print(
		f"\ndeadline per call, µs (engine: {n_engine} calls, day loops: {n_base} calls, best of {repeats}); "
		"same inputs, starts over 2026"
	)
	print(
		f"  {'target':>8s} {'engine':>8s} {'ERPNext-style':>14s} {'ratio':>7s} {'lean loop':>10s} {'ratio':>7s}"
		f"  {'engine<=10µs':>12s}"
	)
	best_per_call(cal.add, [(s, 3600.0) for s in random_starts(n_engine, seed=0)], 1)  # warm-up
	for hours in LENGTHS_H:
		secs = hours * 3600.0
		starts = random_starts(n_engine, seed=hours)
		base_args = [(s, secs) for s in starts[:n_base]]
		for s, x in base_args:  # all three must agree exactly
			want = cal.add(s, x)
			if not want == lean.add(s, x) == erp.add(s, x):
				print(f"MISMATCH at {s} + {hours} h: engine {want}, loops {lean.add(s, x)} {erp.add(s, x)}")
				return 2
		t_engine = best_per_call(cal.add, [(s, secs) for s in starts], repeats) * 1e6
		t_erp = best_per_call(erp.add, base_args, repeats) * 1e6
		t_lean = best_per_call(lean.add, base_args, repeats) * 1e6
		passed = t_engine <= TARGET_US_PER_CALL
		ok &= passed
		results.append((hours, t_engine, t_erp, t_erp / t_engine, t_lean / t_engine))
		print(
			f"  {hours:6d} h {t_engine:8.2f} {t_erp:14.1f} {t_erp / t_engine:6.1f}x {t_lean:10.1f} "
			f"{t_lean / t_engine:6.1f}x  {'PASS' if passed else 'FAIL':>12s}"
		)
	ratio_480, lean_480 = results[-1][3], results[-1][4]
	pass_ratio = ratio_480 >= TARGET_RATIO_480
	ok &= pass_ratio

	rng = np.random.default_rng(3)
	t0 = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
	f_starts = t0 + rng.integers(0, 365 * 86400 * 10**6, n_bulk) / 1e6
	f_secs = rng.integers(0, 480 * 3600, n_bulk).astype(np.float64)
	d64 = (f_starts * 1e6).round().astype(np.int64).astype("datetime64[us]")
	add_bulk(cal, f_starts[:10], f_secs[:10])  # builds the bulk table once
	bulk = {}
	for label, starts in (("float POSIX seconds", f_starts), ("datetime64", d64)):
		best = float("inf")
		for _ in range(1 if quick else 3):
			t1 = time.perf_counter()
			out = add_bulk(cal, starts, f_secs)
			best = min(best, time.perf_counter() - t1)
		bulk[label] = n_bulk / best
		check = np.random.default_rng(4).integers(0, n_bulk, 200)
		for i in check.tolist():
			start = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(
				microseconds=round(f_starts[i] * 1e6)
			)
			exp = cal.add(start, float(f_secs[i]))
			got = (
				out[i]
				if label.startswith("float")
				else out[i].astype("datetime64[us]").astype(np.int64) / 1e6
			)
			if got != exp.timestamp():
				print(f"BULK MISMATCH at {start} + {f_secs[i]} s: {got} != {exp.timestamp()}")
				return 2
	pass_bulk = min(bulk.values()) >= TARGET_BULK_PER_S
	ok &= pass_bulk
	print(f"\nbulk add_bulk, {n_bulk:,} deadlines (targets 0-480 h, starts over a year)")
	for label, rate in bulk.items():
		print(f"  {label:22s} {rate:14,.0f} deadlines/s")

	print("\ntargets")
	print(
		f"  engine <= {TARGET_US_PER_CALL:g} µs/call at every length: "
		f"{'PASS' if all(r[1] <= TARGET_US_PER_CALL for r in results) else 'FAIL'} "
		f"(max {max(r[1] for r in results):.2f} µs)"
	)
	print(
		f"  >= {TARGET_RATIO_480:g}x the ERPNext-style day loop at 480 h: {'PASS' if pass_ratio else 'FAIL'} "
		f"({ratio_480:.1f}x; the lean day loop: {lean_480:.1f}x, reported, not a target)"
	)
	print(
		f"  bulk >= {TARGET_BULK_PER_S:,}/s:                  {'PASS' if pass_bulk else 'FAIL'} "
		f"({min(bulk.values()):,.0f}/s)"
	)
	print("  results identical (engine == both day loops, bulk == scalar): PASS")
	if quick:
		print("  (--quick: timings from a short run are indicative only)")
	return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
	sys.exit(main())
