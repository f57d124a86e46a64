"""Business calendars: weekly windows, holidays, make-up workdays and an IANA zone.

At construction the calendar is flattened into a sorted table of working intervals in UTC
(integer microseconds since the POSIX epoch) with the cumulative working time at each interval
start. Working time up to an instant is then one bisection, and a deadline is two, whatever the
target length.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from .errors import (
	CalendarError,
	EngineError,
	NaiveDatetimeError,
	NoWorkingTimeError,
	OutOfRangeError,
	_,
)

US = 1_000_000  # microseconds per second
DAY_S = 86_400
DAY_US = DAY_S * US
UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
MIN_YEAR, MAX_YEAR, MAX_SPAN = 1900, 2200, 200
DEFAULT_HORIZON = (2000, 2060)
_SENTINEL = 2**62
# UTC offsets are sampled this far apart and each change is located to the second by bisection.
# Two changes that cancel out within one step would be missed: checked against daily sampling
# for every zone of tzdata 2026 over 1900-2200, none has such a pair closer than 14 days.
_SAMPLE_STEP_S = 7 * DAY_S

WindowSpec = tuple[Any, Any]


def _fmt(v: Any) -> str:
	return repr(v)


def parse_time_of_day(value: Any, *, end: bool = False) -> int:
	"""Seconds from midnight of ``"HH:MM[:SS]"``, ``time``, ``timedelta`` or int seconds; 24:00 only as an end."""
	if isinstance(value, bool):
		raise CalendarError(_("Invalid time of day: {0}").format(_fmt(value)))
	if isinstance(value, time):
		if value.tzinfo is not None:
			raise CalendarError(_("A window time must not carry a time zone: {0}").format(_fmt(value)))
		if value.microsecond:
			raise CalendarError(_("A window time must be whole seconds: {0}").format(_fmt(value)))
		secs = value.hour * 3600 + value.minute * 60 + value.second
	elif isinstance(value, timedelta):  # Frappe returns Time fields as timedelta
		if value % timedelta(seconds=1):
			raise CalendarError(_("A window time must be whole seconds: {0}").format(_fmt(value)))
		secs = value // timedelta(seconds=1)
	elif isinstance(value, int | np.integer):
		secs = int(value)
	elif isinstance(value, float) and value.is_integer():
		secs = int(value)
	elif isinstance(value, str):
		text = value.strip()
		if "." in text:  # "09:00:00.000000" as Frappe may format a Time
			text, _dot, frac = text.partition(".")
			if not frac.isdigit() or int(frac):
				raise CalendarError(_("A window time must be whole seconds: {0}").format(_fmt(value)))
		parts = text.split(":")
		if len(parts) not in (2, 3) or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
			raise CalendarError(_("Invalid time of day {0}: use HH:MM or HH:MM:SS").format(_fmt(value)))
		h, m = int(parts[0]), int(parts[1])
		s = int(parts[2]) if len(parts) == 3 else 0
		if m > 59 or s > 59 or h > 24 or (h == 24 and (m or s)):
			raise CalendarError(_("Time of day out of range: {0}").format(_fmt(value)))
		secs = h * 3600 + m * 60 + s
	else:
		raise CalendarError(_("Invalid time of day: {0}").format(_fmt(value)))
	if secs < 0 or secs > DAY_S or (secs == DAY_S and not end):
		raise CalendarError(_("Time of day out of range: {0}").format(_fmt(value)))
	return secs


def parse_windows(windows: Any, where: str) -> list[tuple[int, int]]:
	"""Validate one day's windows; returns sorted, adjacent-merged ``(start, end)`` seconds."""
	if windows is None:
		return []
	if isinstance(windows, str | bytes) or not isinstance(windows, Iterable):
		raise CalendarError(_("Windows of {0} must be a list of (start, end) pairs").format(where))
	out: list[tuple[int, int]] = []
	for w in windows:
		if isinstance(w, str | bytes) or not isinstance(w, Sequence) or len(w) != 2:
			raise CalendarError(_("Window {0} of {1} must be a (start, end) pair").format(_fmt(w), where))
		s = parse_time_of_day(w[0])
		e = parse_time_of_day(w[1], end=True)
		if e <= s:
			raise CalendarError(
				_("Window {0} of {1} has its end at or before its start").format(_fmt(tuple(w)), where)
			)
		out.append((s, e))
	out.sort()
	merged: list[tuple[int, int]] = []
	for s, e in out:
		if merged and s < merged[-1][1]:
			raise CalendarError(_("Windows of {0} overlap").format(where))
		if merged and s == merged[-1][1]:
			merged[-1] = (merged[-1][0], e)
		else:
			merged.append((s, e))
	return merged


def _as_date(value: Any, what: str) -> date:
	if isinstance(value, datetime):
		raise CalendarError(_("{0} must be dates, not datetimes: {1}").format(what, _fmt(value)))
	if isinstance(value, date):
		return value
	if isinstance(value, str):
		try:
			return date.fromisoformat(value)
		except ValueError:
			pass
	raise CalendarError(_("{0} must be dates: {1}").format(what, _fmt(value)))


def load_zone(tz: Any) -> ZoneInfo:
	"""The ZoneInfo for an IANA key (or a ZoneInfo); CalendarError when unknown."""
	if isinstance(tz, ZoneInfo):
		return tz
	if not isinstance(tz, str) or not tz.strip():
		raise CalendarError(_("Unknown time zone: {0}").format(_fmt(tz)))
	try:
		return ZoneInfo(tz.strip())
	except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
		raise CalendarError(_("Unknown time zone: {0}").format(_fmt(tz))) from None


def _offset_s(zone: ZoneInfo, ts: int) -> int:
	off = datetime.fromtimestamp(ts, zone).utcoffset()
	return off.days * DAY_S + off.seconds


def offset_transitions(zone: ZoneInfo, lo_s: int, hi_s: int) -> tuple[list[int], list[int]]:
	"""UTC offset changes in ``[lo_s, hi_s]``: (transition instants, offsets) with one more offset.

	``offsets[k]`` is in force from ``instants[k-1]`` (inclusive) to ``instants[k]``.
	"""
	instants: list[int] = []
	offsets = [_offset_s(zone, lo_s)]
	t = lo_s
	while t < hi_s:
		u = min(t + _SAMPLE_STEP_S, hi_s)
		ou = _offset_s(zone, u)
		while ou != offsets[-1]:
			a, b = t, u  # offset at a is offsets[-1], at b it differs
			while b - a > 1:
				m = (a + b) // 2
				if _offset_s(zone, m) == offsets[-1]:
					a = m
				else:
					b = m
			instants.append(b)
			offsets.append(_offset_s(zone, b))
			t = b
		t = u
	return instants, offsets


@lru_cache(maxsize=64)
def _cached_transitions(zone: ZoneInfo, lo_s: int, hi_s: int) -> tuple[list[int], list[int]]:
	return offset_transitions(zone, lo_s, hi_s)


def clear_caches() -> None:
	"""Forget the zone transitions cached across calendars (for benchmarks and tests)."""
	_cached_transitions.cache_clear()


def wall_to_utc(
	a: np.ndarray, b: np.ndarray, instants: list[int], offsets: list[int]
) -> tuple[np.ndarray, np.ndarray]:
	"""Map local wall-time intervals ``[a, b)`` (µs, naive epoch) to the UTC instants whose wall time lies in them.

	A wall interval may map to nothing (inside a spring-forward gap) or to two pieces (inside a
	fall-back overlap); the pieces are returned unsorted.
	"""
	tr = np.asarray(instants, dtype=np.int64) * US
	off = np.asarray(offsets, dtype=np.int64) * US
	seg_start = np.concatenate(([-_SENTINEL], tr + off[1:]))  # wall time at which segment k begins
	seg_end = np.concatenate((tr + off[:-1], [_SENTINEL]))  # wall time at which segment k ends
	k_lo = np.searchsorted(seg_end, a, side="right")  # first segment ending after a
	k_hi = np.searchsorted(seg_start, b, side="left") - 1  # last segment beginning before b
	one = k_lo == k_hi
	k = k_lo[one]
	starts = [np.maximum(a[one], seg_start[k]) - off[k]]
	ends = [np.minimum(b[one], seg_end[k]) - off[k]]
	multi = np.nonzero(k_hi > k_lo)[0]
	if len(multi):
		ms, me = [], []
		for i in multi.tolist():
			for kk in range(int(k_lo[i]), int(k_hi[i]) + 1):
				s = max(int(a[i]), int(seg_start[kk])) - int(off[kk])
				e = min(int(b[i]), int(seg_end[kk])) - int(off[kk])
				if e > s:
					ms.append(s)
					me.append(e)
		starts.append(np.asarray(ms, dtype=np.int64))
		ends.append(np.asarray(me, dtype=np.int64))
	return np.concatenate(starts), np.concatenate(ends)


def merge_intervals(s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
	"""Sort intervals and merge the touching or overlapping ones; empty ones are dropped."""
	keep = e > s
	s, e = s[keep], e[keep]
	if not len(s):
		return s, e
	order = np.argsort(s, kind="stable")
	s, e = s[order], np.maximum.accumulate(e[order])
	new = np.empty(len(s), dtype=bool)
	new[0] = True
	new[1:] = s[1:] > e[:-1]
	first = np.nonzero(new)[0]
	last = np.concatenate((first[1:] - 1, [len(s) - 1]))
	return s[first], e[last]


class WorkingCalendar:
	"""A business calendar in one IANA time zone.

	- ``weekly``: weekday (0=Monday..6=Sunday) -> windows ``(start, end)`` of wall-clock time;
	  a missing weekday is off. Touching windows merge, overlapping ones are an error.
	- ``holidays``: dates without working time; ``workdays``: make-up workdays with their own
	  windows (调休). A date in both is an error.
	- ``horizon``: the years (first, last) the table covers; instants or results outside raise
	  OutOfRangeError. With no weekly windows (only make-up workdays) working time is finite
	  and running past it raises NoWorkingTimeError.
	- A window on a daylight-saving day holds the real time during which the wall clock is in it
	  (00:00-24:00 is 23 h or 25 h on transition days in America/New_York).
	- Instants must be aware (any zone); naive ones raise NaiveDatetimeError. Results are
	  aware, in the calendar's zone. Durations resolve to the microsecond.
	"""

	def __init__(
		self,
		timezone: str | ZoneInfo = "UTC",
		weekly: Mapping[int, Iterable[WindowSpec]] | None = None,
		holidays: Iterable[date] = (),
		workdays: Mapping[date, Iterable[WindowSpec]] | None = None,
		horizon: tuple[int, int] | None = None,
	) -> None:
		self.zone = load_zone(timezone)
		self.timezone: str = self.zone.key
		self.horizon = self._check_horizon(horizon)
		self.weekly = self._check_weekly(weekly)
		self.holidays = frozenset(_as_date(d, _("Holidays")) for d in (holidays or ()))
		self.workdays = self._check_workdays(workdays)
		both = self.holidays & set(self.workdays)
		if both:
			raise CalendarError(
				_("A date cannot be both a holiday and a make-up workday: {0}").format(
					", ".join(d.isoformat() for d in sorted(both))
				)
			)
		self.week_seconds = float(sum(e - s for ws in self.weekly.values() for s, e in ws))
		if not self.week_seconds and not any(self.workdays.values()):
			raise CalendarError(
				_("The calendar has no working time at all: give weekly windows or make-up workdays")
			)
		# finite: only make-up workdays work, so the working time ends; running past it is an error
		self.finite = not self.week_seconds
		self._build()

	# construction ---------------------------------------------------------------------------

	@staticmethod
	def _check_horizon(horizon: Any) -> tuple[int, int]:
		if horizon is None:
			return DEFAULT_HORIZON
		try:
			y0, y1 = (int(y) for y in horizon)
		except (TypeError, ValueError):
			raise CalendarError(_("The horizon must be a pair of years (first, last)")) from None
		if not (MIN_YEAR <= y0 <= y1 <= MAX_YEAR) or y1 - y0 > MAX_SPAN:
			raise CalendarError(
				_("The horizon {0}-{1} must lie within {2}-{3} and span at most {4} years").format(
					y0, y1, MIN_YEAR, MAX_YEAR, MAX_SPAN
				)
			)
		return y0, y1

	@staticmethod
	def _check_weekly(weekly: Any) -> dict[int, list[tuple[int, int]]]:
		if weekly is None:
			return {}
		if not isinstance(weekly, Mapping):
			raise CalendarError(_("The weekly pattern must map weekday numbers 0-6 to windows"))
		out: dict[int, list[tuple[int, int]]] = {}
		for day, windows in weekly.items():
			if isinstance(day, bool) or not isinstance(day, int | np.integer) or not 0 <= day <= 6:
				raise CalendarError(_("Weekday must be 0 (Monday) to 6 (Sunday), not {0}").format(_fmt(day)))
			parsed = parse_windows(windows, _("weekday {0}").format(int(day)))
			if parsed:
				out[int(day)] = parsed
		return out

	@staticmethod
	def _check_workdays(workdays: Any) -> dict[date, list[tuple[int, int]]]:
		if not workdays:
			return {}
		if not isinstance(workdays, Mapping):
			raise CalendarError(_("Make-up workdays must map dates to windows"))
		out: dict[date, list[tuple[int, int]]] = {}
		for d, windows in workdays.items():
			day = _as_date(d, _("Make-up workdays"))
			parsed = parse_windows(windows, day.isoformat())
			if not parsed:
				raise CalendarError(_("Make-up workday {0} has no windows").format(day.isoformat()))
			out[day] = parsed
		return out

	def _build(self) -> None:
		y0, y1 = self.horizon
		d0 = date(y0, 1, 1).toordinal() - EPOCH_ORDINAL
		d1 = date(y1, 12, 31).toordinal() - EPOCH_ORDINAL
		days = np.arange(d0, d1 + 1, dtype=np.int64)
		weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
		special = np.zeros(len(days), dtype=bool)
		extra_a: list[int] = []
		extra_b: list[int] = []
		for d in self.holidays:
			n = d.toordinal() - EPOCH_ORDINAL
			if d0 <= n <= d1:
				special[n - d0] = True
		for d, windows in self.workdays.items():
			n = d.toordinal() - EPOCH_ORDINAL
			if d0 <= n <= d1:
				special[n - d0] = True
				for s, e in windows:
					extra_a.append(n * DAY_US + s * US)
					extra_b.append(n * DAY_US + e * US)
		parts_a = [np.asarray(extra_a, dtype=np.int64)]
		parts_b = [np.asarray(extra_b, dtype=np.int64)]
		for wd, windows in self.weekly.items():
			base = days[(weekday == wd) & ~special] * DAY_US
			for s, e in windows:
				parts_a.append(base + s * US)
				parts_b.append(base + e * US)
		a = np.concatenate(parts_a)
		b = np.concatenate(parts_b)
		self.lo_us = self._wall_midnight_us(date(y0, 1, 1))
		self.hi_us = self._wall_midnight_us(date(y1 + 1, 1, 1))
		pad = 3 * DAY_S
		self._transitions = _cached_transitions(self.zone, self.lo_us // US - pad, self.hi_us // US + pad)
		s, e = wall_to_utc(a, b, *self._transitions)
		s, e = merge_intervals(np.maximum(s, self.lo_us), np.minimum(e, self.hi_us))
		if not len(s):
			raise CalendarError(_("The calendar has no working time within its horizon"))
		cum = np.zeros(len(s), dtype=np.int64)
		np.cumsum((e - s)[:-1], out=cum[1:])
		self.total_us = int(cum[-1] + e[-1] - s[-1])
		self.starts_us, self.ends_us, self.cum_us = s, e, cum
		# bisect on memoryviews of the numpy arrays: Python ints out, no second copy
		self._s, self._e, self._c = memoryview(s), memoryview(e), memoryview(cum)
		self._n = len(s)
		self._ns: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

	def _wall_midnight_us(self, d: date) -> int:
		return (datetime(d.year, d.month, d.day, tzinfo=self.zone) - EPOCH) // ONE_US

	# conversions ----------------------------------------------------------------------------

	def to_us(self, dt: datetime) -> int:
		"""Microseconds since the epoch of an aware datetime inside the horizon."""
		try:
			t = (dt - EPOCH) // ONE_US
		except TypeError:
			raise self._not_aware(dt) from None
		if t < self.lo_us or t > self.hi_us:
			raise OutOfRangeError(self._range_message(dt))
		return t

	@staticmethod
	def _not_aware(dt: Any) -> EngineError:
		if not isinstance(dt, datetime):
			return EngineError(_("Expected a datetime, got {0}").format(_fmt(dt)))
		return NaiveDatetimeError(
			_("Naive datetime {0}: pass an aware datetime (see WorkingCalendar.localize)").format(dt)
		)

	def _range_message(self, what: Any) -> str:
		return _("{0} lies outside the calendar horizon {1}-{2}").format(what, *self.horizon)

	def from_us(self, t: int) -> datetime:
		"""The aware datetime in the calendar's zone for microseconds since the epoch."""
		return datetime.fromtimestamp(t / US, self.zone)

	def localize(self, naive: datetime) -> datetime:
		"""Read a naive datetime as wall time in the calendar's zone (fold=0 for gaps and overlaps)."""
		if not isinstance(naive, datetime):
			raise EngineError(_("Expected a datetime, got {0}").format(_fmt(naive)))
		if naive.tzinfo is not None:
			raise EngineError(_("localize() expects a naive datetime, got {0}").format(naive))
		return naive.replace(tzinfo=self.zone, fold=0).astimezone(UTC).astimezone(self.zone)

	# the working-time function W and its inverse ----------------------------------------------

	def worked_us(self, t: int) -> int:
		"""Working microseconds from the table start up to ``t``."""
		i = bisect_right(self._s, t) - 1
		if i < 0:
			return 0
		e = self._e[i]
		return self._c[i] + (t if t < e else e) - self._s[i]

	def instant_us(self, y: int) -> int:
		"""The earliest instant at which ``y`` (> 0) working microseconds have elapsed."""
		if y > self.total_us:
			raise self._beyond()
		j = bisect_left(self._c, y) - 1
		return self._s[j] + y - self._c[j]

	def _beyond(self) -> EngineError:
		if self.finite:
			return NoWorkingTimeError(_("The calendar has no working time left to reach this target"))
		return OutOfRangeError(_("The result lies beyond the calendar horizon {0}-{1}").format(*self.horizon))

	def add_us(self, t: int, s: int) -> int:
		"""Deadline in microseconds: ``s`` working microseconds after ``t``."""
		if s == 0:
			return t
		return self.instant_us(self.worked_us(t) + s)

	# public operations ----------------------------------------------------------------------

	def add(self, start: datetime, seconds: float | timedelta) -> datetime:
		"""The earliest instant at which ``seconds`` of working time have elapsed since ``start``."""
		# hot path: to_us, duration_us, worked_us and instant_us inlined (this is ~2x faster)
		try:
			t = (start - EPOCH) // ONE_US
		except TypeError:
			raise self._not_aware(start) from None
		if t < self.lo_us or t > self.hi_us:
			raise OutOfRangeError(self._range_message(start))
		tp = type(seconds)
		if tp is float and 0.0 <= seconds < 1e12:
			s = round(seconds * 1e6)
		elif tp is int and 0 <= seconds:
			s = seconds * US
		else:
			s = duration_us(seconds)
		if s == 0:
			return start.astimezone(self.zone)
		ss, cc = self._s, self._c
		i = bisect_right(ss, t) - 1
		if i < 0:
			y = s
		else:
			e = self._e[i]
			y = cc[i] + (t if t < e else e) - ss[i] + s
		if y > self.total_us:
			raise self._beyond()
		j = bisect_left(cc, y) - 1
		return datetime.fromtimestamp((ss[j] + y - cc[j]) / 1e6, self.zone)

	def between(self, a: datetime, b: datetime) -> float:
		"""Working seconds in ``[a, b)``."""
		ta, tb = self.to_us(a), self.to_us(b)
		if tb < ta:
			raise EngineError(_("The end {0} is before the start {1}").format(b, a))
		return (self.worked_us(tb) - self.worked_us(ta)) / US

	def is_working(self, dt: datetime) -> bool:
		"""Whether ``dt`` lies inside a working window (start inclusive, end exclusive)."""
		t = self.to_us(dt)
		i = bisect_right(self._s, t) - 1
		return i >= 0 and t < self._e[i]

	def next_working(self, dt: datetime) -> datetime:
		"""``dt`` if it is working time, else the start of the next window."""
		t = self.to_us(dt)
		i = bisect_right(self._s, t) - 1
		if i >= 0 and t < self._e[i]:
			return dt.astimezone(self.zone)
		if i + 1 >= self._n:
			raise self._beyond()
		return self.from_us(self._s[i + 1])

	def intervals(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
		"""The working intervals (clipped) that meet ``[a, b)``, as aware datetimes in the zone."""
		ta, tb = self.to_us(a), self.to_us(b)
		out = []
		i = max(bisect_right(self._s, ta) - 1, 0)
		while i < self._n and self._s[i] < tb:
			s, e = max(self._s[i], ta), min(self._e[i], tb)
			if e > s:
				out.append((self.from_us(s), self.from_us(e)))
			i += 1
		return out

	@property
	def memory_bytes(self) -> int:
		"""Bytes held by the interval table (plus the bulk copy once built)."""
		n = self.starts_us.nbytes * 3
		return n + (sum(x.nbytes for x in self._ns) if self._ns is not None else 0)

	def ns_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
		"""The interval table in nanoseconds (built on first use, for bulk operations)."""
		if self._ns is None:
			self._ns = (self.starts_us * 1000, self.ends_us * 1000, self.cum_us * 1000)
		return self._ns

	def __repr__(self) -> str:
		return (
			f"WorkingCalendar(timezone={self.timezone!r}, week_seconds={self.week_seconds:g}, "
			f"holidays={len(self.holidays)}, workdays={len(self.workdays)}, horizon={self.horizon})"
		)


def duration_us(seconds: Any) -> int:
	"""Microseconds of a non-negative, finite duration given in seconds or as a timedelta."""
	tp = type(seconds)
	if tp is float and 0.0 <= seconds < 1e12:  # hot path (NaN and infinities fail the comparison)
		return round(seconds * US)
	if tp is int and seconds >= 0:
		return seconds * US
	if isinstance(seconds, timedelta):
		us = seconds // ONE_US
	elif isinstance(seconds, str):
		raise EngineError(_("A duration must be seconds or a timedelta, not {0}").format(_fmt(seconds)))
	elif isinstance(seconds, int | float | np.integer | np.floating) and not isinstance(seconds, bool):
		if not math.isfinite(seconds):
			raise EngineError(_("A duration must be a finite number of seconds, not {0}").format(seconds))
		us = round(float(seconds) * US) if isinstance(seconds, float | np.floating) else int(seconds) * US
	else:
		raise EngineError(_("A duration must be seconds or a timedelta, not {0}").format(_fmt(seconds)))
	if us < 0:
		raise EngineError(_("A duration must not be negative: {0}").format(seconds))
	return us
