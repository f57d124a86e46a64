"""Brute-force oracle: step minute by minute in UTC and read each minute's local wall time.

A minute [m, m + 60) counts as working when the local wall time at m lies in one of the windows of
its local date (holiday: none; make-up workday: its windows; else the weekday's). Windows and
instants in the tests are minute-aligned, so this agrees exactly with the engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import HealthCheck, settings, strategies as st

from sla_management.engine import WorkingCalendar
from sla_management.engine.vocabulary import BREACHED, MET, PAUSED, RUNNING

UTC = timezone.utc
_HEALTH = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
# profiles: "engine" (default, keeps the suite well under a minute) and "engine-thorough" (nightly);
# choose with ENGINE_PROFILE, or override the count with ENGINE_EXAMPLES
settings.register_profile("engine", max_examples=40, deadline=None, suppress_health_check=_HEALTH)
settings.register_profile("engine-thorough", max_examples=500, deadline=None, suppress_health_check=_HEALTH)
_profile = settings.get_profile(os.environ.get("ENGINE_PROFILE", "engine"))
# CI runs are derandomized (reproducible); local runs explore new examples each time
PROPERTY = settings(
	_profile,
	max_examples=int(os.environ.get("ENGINE_EXAMPLES", _profile.max_examples)),
	derandomize=bool(os.environ.get("CI")),
)
ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]
# local dates of DST transitions (and a few plain dates) to start near
HOT_DATES = {
	"UTC": [date(2024, 2, 29), date(2024, 12, 31)],
	"Asia/Shanghai": [date(2024, 9, 29), date(2024, 10, 1), date(2024, 12, 31)],
	"America/New_York": [date(2024, 3, 10), date(2024, 11, 3), date(2025, 3, 9)],
	"Europe/Berlin": [date(2024, 3, 31), date(2024, 10, 27), date(2025, 3, 30)],
	"Australia/Lord_Howe": [date(2024, 4, 7), date(2024, 10, 6), date(2025, 4, 6)],
}
MINUTE = 60
SPAN_DAYS = 6


@dataclass
class Spec:
	"""A calendar definition in plain ints (seconds from local midnight), shared by engine and oracle."""

	zone: str
	weekly: dict[int, list[tuple[int, int]]]
	holidays: set[date] = field(default_factory=set)
	workdays: dict[date, list[tuple[int, int]]] = field(default_factory=dict)

	def calendar(self, horizon: tuple[int, int] = (2023, 2026)) -> WorkingCalendar:
		return WorkingCalendar(
			timezone=self.zone,
			weekly=self.weekly,
			holidays=sorted(self.holidays),
			workdays=self.workdays,
			horizon=horizon,
		)

	def windows(self, d: date) -> list[tuple[int, int]]:
		if d in self.holidays:
			return []
		if d in self.workdays:
			return self.workdays[d]
		return self.weekly.get(d.weekday(), [])

	def is_working(self, t: int, zone: ZoneInfo | None = None) -> bool:
		local = datetime.fromtimestamp(t, zone or ZoneInfo(self.zone))
		sec = local.hour * 3600 + local.minute * 60 + local.second
		return any(s <= sec < e for s, e in self.windows(local.date()))


class Oracle:
	"""Per-minute working flags over a span [t0, t0 + n minutes) of UTC seconds."""

	def __init__(self, spec: Spec, t0: int, minutes: int) -> None:
		self.spec, self.t0, self.n = spec, t0, minutes
		zone = ZoneInfo(spec.zone)
		self.flags = np.array([spec.is_working(t0 + i * MINUTE, zone) for i in range(minutes)], dtype=bool)
		self.cum = np.concatenate(([0], np.cumsum(self.flags)))

	def t(self, i: int) -> int:
		return self.t0 + i * MINUTE

	def dt(self, i: int) -> datetime:
		return datetime.fromtimestamp(self.t(i), UTC)

	def between(self, i: int, j: int) -> int:
		"""Working minutes in [i, j)."""
		return int(self.cum[j] - self.cum[i])

	def add(self, i: int, k: int) -> int | None:
		"""Index of the first minute boundary j >= i with k working minutes in [i, j)."""
		if k == 0:
			return i
		j = int(np.searchsorted(self.cum, self.cum[i] + k, side="left"))
		return j if j <= self.n else None

	def next_working(self, i: int) -> int | None:
		nz = np.nonzero(self.flags[i:])[0]
		return i + int(nz[0]) if len(nz) else None

	def timer(
		self, start: int, target: int, pauses: list[tuple[int, int | None]], at: int, stop: int | None
	) -> dict:
		"""Minute-stepping SLA timer: dict of deadline index, elapsed/paused minutes, state."""
		stopped = stop is not None and stop <= at
		cut = max(stop if stopped else at, start)
		paused_mask = np.zeros(self.n, dtype=bool)
		paused_now = False
		for b, e in pauses:
			if e is not None and e < b:
				raise AssertionError("bad test input")
			if not stopped and max(b, start) <= at and (e is None or at < e) and (e is None or e > start):
				paused_now = True
			lo, hi = max(b, start), min(cut if e is None else e, cut)
			if hi > lo:
				paused_mask[lo:hi] = True
		counting = self.flags & ~paused_mask
		elapsed = int(counting[start:cut].sum())
		paused = int((self.flags & paused_mask)[start:cut].sum())
		deadline = None
		if target == 0:
			deadline = start
		else:
			c = np.cumsum(counting[start:])
			hit = np.nonzero(c >= target)[0]
			if len(hit):
				deadline = start + int(hit[0]) + 1
		if elapsed > target:
			state = BREACHED
		elif stopped:
			state = MET
		else:
			state = PAUSED if paused_now else RUNNING
		return {"deadline": deadline, "elapsed": elapsed, "paused": paused, "state": state}


# strategies -----------------------------------------------------------------------------------

GRID = 15 * 60  # window edges on a 15-minute grid, so they meet DST transitions exactly


@st.composite
def day_windows(draw, min_windows: int = 0, max_windows: int = 3) -> list[tuple[int, int]]:
	k = draw(st.integers(min_windows, max_windows))
	points = sorted(draw(st.sets(st.integers(0, 96), min_size=2 * k, max_size=2 * k)))
	return [(points[2 * i] * GRID, points[2 * i + 1] * GRID) for i in range(k)]


@st.composite
def specs(draw, zone: str | None = None, base: date | None = None) -> tuple[Spec, date]:
	zone = zone or draw(st.sampled_from(ZONES))
	if base is None:
		if draw(st.booleans()):
			base = draw(st.sampled_from(HOT_DATES[zone]))
		else:
			base = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
	if draw(st.integers(0, 9)) == 0:
		weekly = {d: [(0, 86400)] for d in range(7)}
	else:
		weekly = {}
		for d in range(7):
			w = draw(day_windows())
			if w:
				weekly[d] = w
	near = [base + timedelta(days=i) for i in range(-2, SPAN_DAYS + 1)]
	holidays = set(draw(st.lists(st.sampled_from(near), max_size=3)))
	workdays = {}
	for d in draw(st.lists(st.sampled_from(near), max_size=2)):
		if d not in holidays:
			workdays[d] = draw(day_windows(min_windows=1))
	if not weekly and not workdays:
		weekly = {0: [(9 * 3600, 17 * 3600)]}
	return Spec(zone, weekly, holidays, workdays), base


def span_start(spec: Spec, base: date) -> int:
	"""UTC seconds of local midnight of the day before ``base``, floored to the minute."""
	d = base - timedelta(days=1)
	t = int(datetime(d.year, d.month, d.day, tzinfo=ZoneInfo(spec.zone)).timestamp())
	return t - t % MINUTE
