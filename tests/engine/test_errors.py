"""Bad input gets a clear error of the right type, never a hang.

``no_hang`` turns a hang into a failure (SIGALRM after a few seconds); it asserts nothing about
speed. The engine has no loop whose length depends on the input's size or on the target.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from sla_management.engine import (
	CalendarError,
	EngineError,
	NaiveDatetimeError,
	NoWorkingTimeError,
	OutOfRangeError,
	SlaTimer,
	WorkingCalendar,
	add_bulk,
	between_bulk,
	errors as errors_module,
)

UTC = timezone.utc
WEEK = {d: [("09:00", "17:00")] for d in range(5)}
MON = datetime(2024, 6, 3, 9, tzinfo=UTC)


@contextmanager
def no_hang(seconds: int = 10):
	def boom(*_a):
		raise TimeoutError("the engine hung")

	old = signal.signal(signal.SIGALRM, boom)
	signal.alarm(seconds)
	try:
		yield
	finally:
		signal.alarm(0)
		signal.signal(signal.SIGALRM, old)


def make(**kw) -> WorkingCalendar:
	kw.setdefault("timezone", "UTC")
	kw.setdefault("weekly", WEEK)
	kw.setdefault("horizon", (2024, 2025))
	return WorkingCalendar(**kw)


def test_exception_hierarchy():
	for cls in (CalendarError, NaiveDatetimeError, NoWorkingTimeError, OutOfRangeError):
		assert issubclass(cls, EngineError)
	assert issubclass(EngineError, ValueError)
	assert errors_module._("x") == "x"


@pytest.mark.parametrize(
	"kw, words",
	[
		({"timezone": "Mars/Olympus_Mons"}, "time zone"),
		({"timezone": ""}, "time zone"),
		({"timezone": None}, "time zone"),
		({"weekly": {0: [("09:00", "09:00")]}}, "end at or before"),
		({"weekly": {0: [("17:00", "09:00")]}}, "end at or before"),
		({"weekly": {0: [("09:00", "12:00"), ("11:00", "13:00")]}}, "overlap"),
		({"weekly": {0: [("09:00", "25:00")]}}, "out of range"),
		({"weekly": {0: [("09:60", "10:00")]}}, "out of range"),
		({"weekly": {0: [("24:00", "24:00")]}}, "out of range"),
		({"weekly": {0: [("09:00", "24:01")]}}, "out of range"),
		({"weekly": {0: [(-1, 100)]}}, "out of range"),
		({"weekly": {0: [(0, 86401)]}}, "out of range"),
		({"weekly": {0: [("9am", "5pm")]}}, "HH:MM"),
		({"weekly": {0: [("09:00",)]}}, "pair"),
		({"weekly": {7: [("09:00", "17:00")]}}, "Weekday"),
		({"weekly": {-1: [("09:00", "17:00")]}}, "Weekday"),
		({"weekly": {"Mon": [("09:00", "17:00")]}}, "Weekday"),
		({"weekly": [("09:00", "17:00")]}, "weekly"),
		({"weekly": {}}, "no working time"),
		({"weekly": {0: [], 1: None}}, "no working time"),
		({"holidays": [date(2024, 6, 8)], "workdays": {date(2024, 6, 8): [("09:00", "12:00")]}}, "both"),
		({"workdays": {date(2024, 6, 8): [("09:00", "12:00"), ("10:00", "11:00")]}}, "overlap"),
		({"workdays": {date(2024, 6, 8): []}}, "no windows"),
		({"holidays": [datetime(2024, 6, 8)]}, "dates"),
		({"horizon": (2030, 2020)}, "horizon"),
		({"horizon": (1800, 1900)}, "horizon"),
		({"horizon": "2024"}, "horizon"),
	],
)
def test_bad_calendars(kw, words):
	with no_hang(), pytest.raises(CalendarError) as info:
		make(**kw)
	assert words.lower() in str(info.value).lower()


def test_no_working_time_inside_horizon():
	mondays = [date(2024, 1, 1) + timedelta(days=7 * i) for i in range(53)]
	with no_hang(), pytest.raises(CalendarError, match="no working time"):
		make(weekly={0: [("09:00", "17:00")]}, holidays=mondays, horizon=(2024, 2024))


def test_finite_calendar_never_loops():
	c = make(weekly={}, workdays={date(2024, 6, 8): [("09:00", "10:00")]})
	with no_hang():
		with pytest.raises(NoWorkingTimeError):
			c.add(MON, 3601)
		with pytest.raises(NoWorkingTimeError):
			c.add(datetime(2025, 12, 31, tzinfo=UTC), 1)
		with pytest.raises(NoWorkingTimeError):
			add_bulk(c, np.array([MON.timestamp()]), 1e9)
		assert c.add(MON, 3600) == datetime(2024, 6, 8, 10, tzinfo=UTC)


def test_naive_datetimes_are_refused_everywhere():
	c = make()
	naive = datetime(2024, 6, 3, 9)
	for call in (
		lambda: c.add(naive, 1),
		lambda: c.between(naive, MON),
		lambda: c.between(MON, naive),
		lambda: c.is_working(naive),
		lambda: c.next_working(naive),
		lambda: SlaTimer(naive, 1),
		lambda: SlaTimer(MON, 1, [(naive, None)]),
		lambda: SlaTimer(MON, 1, [(MON, naive)]),
		lambda: SlaTimer(MON, 1, stop=naive),
		lambda: SlaTimer(MON, 1).evaluate(c, naive),
		lambda: add_bulk(c, pd.DatetimeIndex([naive]), 1.0),
		lambda: add_bulk(c, np.array([naive], dtype=object), 1.0),
	):
		with pytest.raises(NaiveDatetimeError):
			call()
	with pytest.raises(EngineError):
		c.localize(MON)  # localize wants a naive datetime
	with pytest.raises(EngineError):
		c.add(date(2024, 6, 3), 1)


@pytest.mark.parametrize(
	"bad", [-1, -0.5, float("nan"), float("inf"), -float("inf"), "1h", None, timedelta(-1)]
)
def test_bad_durations(bad):
	c = make()
	with no_hang(), pytest.raises(EngineError):
		c.add(MON, bad)
	with pytest.raises(EngineError):
		SlaTimer(MON, bad)


def test_bad_bulk_durations_and_instants():
	c = make()
	starts = np.array([MON.timestamp()] * 3)
	for bad in ([1.0, -1.0, 2.0], [1.0, np.nan, 2.0], [np.inf, 0, 0]):
		with pytest.raises(EngineError):
			add_bulk(c, starts, np.array(bad))
	with pytest.raises(EngineError):
		add_bulk(c, np.array(["a"]), 1.0)
	with pytest.raises(OutOfRangeError):
		add_bulk(c, np.array([np.datetime64("2030-01-01T00:00")]), 1.0)
	with pytest.raises(EngineError, match="before"):
		between_bulk(c, starts, starts - 1)


def test_end_before_start():
	c = make()
	with pytest.raises(EngineError, match="before"):
		c.between(MON, MON - timedelta(microseconds=1))
	with pytest.raises(EngineError, match="before"):
		SlaTimer(MON, 60, stop=MON - timedelta(seconds=1))
	with pytest.raises(EngineError, match="before it begins"):
		SlaTimer(MON, 60, [(MON + timedelta(hours=2), MON + timedelta(hours=1))])
	with pytest.raises(EngineError, match="pair"):
		SlaTimer(MON, 60, [MON])


def test_out_of_range_instants_and_results():
	c = make()
	with pytest.raises(OutOfRangeError, match="horizon"):
		c.add(datetime(1999, 1, 1, tzinfo=UTC), 1)
	with pytest.raises(OutOfRangeError, match="horizon"):
		c.add(datetime(2025, 12, 31, 16, tzinfo=UTC), 7200)
	with pytest.raises(OutOfRangeError):
		SlaTimer(MON, 60).evaluate(c, datetime(2030, 1, 1, tzinfo=UTC))
	with pytest.raises(OutOfRangeError):
		c.next_working(datetime(2025, 12, 31, 18, tzinfo=UTC))
