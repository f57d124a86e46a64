"""Bulk input kinds, and statutory days from the maintained libraries."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from sla_management.engine import CalendarError, WorkingCalendar, add_bulk, between_bulk, statutory_days

UTC = timezone.utc
SH = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar(
	timezone="Asia/Shanghai",
	weekly={d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)},
	holidays=[date(2024, 10, 1)],
	horizon=(2024, 2025),
)
STARTS = [
	datetime(2024, 9, 30, 17, tzinfo=SH),
	datetime(2024, 6, 1, tzinfo=UTC),
	datetime(2024, 6, 3, 11, 59, 59, 123456, tzinfo=SH),
]
SECONDS = np.array([3600.0, 0.0, 7.5 * 3600 + 0.25])
EXPECTED = [CAL.add(t, float(s)) for t, s in zip(STARTS, SECONDS, strict=True)]


def test_kinds_of_input():
	exp_ns = [int(pd.Timestamp(e).value) for e in EXPECTED]
	d64 = np.array([pd.Timestamp(t).tz_convert("UTC").tz_localize(None).to_datetime64() for t in STARTS])
	for unit in ("us", "ns"):
		out = add_bulk(CAL, d64.astype(f"datetime64[{unit}]"), SECONDS)
		assert out.dtype == np.dtype("datetime64[ns]") and out.view(np.int64).tolist() == exp_ns
	# coarser units lose the microseconds of the third start, as they should
	out_s = add_bulk(CAL, d64[:2].astype("datetime64[s]"), SECONDS[:2])
	assert out_s.view(np.int64).tolist() == exp_ns[:2]
	idx = pd.DatetimeIndex(STARTS, tz="UTC").tz_convert("Europe/Berlin")
	out_idx = add_bulk(CAL, idx, SECONDS)
	assert (
		isinstance(out_idx, pd.DatetimeIndex)
		and list(out_idx) == EXPECTED
		and str(out_idx.tz) == "Asia/Shanghai"
	)
	ser = pd.Series(idx, index=["a", "b", "c"], name="opened")
	out_ser = add_bulk(CAL, ser, pd.Series(SECONDS))
	assert list(out_ser.index) == ["a", "b", "c"] and out_ser.name == "opened" and list(out_ser) == EXPECTED
	floats = np.array([t.timestamp() for t in STARTS])
	assert add_bulk(CAL, floats, SECONDS).tolist() == [e.timestamp() for e in EXPECTED]
	objs = add_bulk(CAL, np.array(STARTS, dtype=object), SECONDS)
	assert list(objs) == EXPECTED and all(o.tzinfo is SH for o in objs)
	# durations as timedelta64 and as a scalar
	td = (SECONDS * 1e6).astype("timedelta64[us]")
	assert add_bulk(CAL, floats, td).tolist() == add_bulk(CAL, floats, SECONDS).tolist()
	assert add_bulk(CAL, floats, 3600.0).tolist() == [CAL.add(t, 3600.0).timestamp() for t in STARTS]
	assert add_bulk(CAL, floats, timedelta(hours=1)).tolist() == add_bulk(CAL, floats, 3600).tolist()


def test_missing_values_propagate():
	d64 = np.array(["2024-06-03T01:00", "NaT"], dtype="datetime64[ns]")
	out = add_bulk(CAL, d64, 3600.0)
	assert np.isnat(out[1]) and not np.isnat(out[0])
	f = add_bulk(CAL, np.array([1717376400.0, np.nan]), 60.0)
	assert np.isnan(f[1]) and f[0] == CAL.add(datetime.fromtimestamp(1717376400, UTC), 60).timestamp()
	b = between_bulk(CAL, d64, np.array(["2024-06-04T01:00", "2024-06-04T01:00"], dtype="datetime64[ns]"))
	assert b[0] == 7.5 * 3600 and np.isnan(b[1])


def test_between_bulk_matches_scalar_and_broadcasts():
	a = pd.date_range("2024-06-01", periods=50, freq="7h", tz="Asia/Shanghai")
	b = a + pd.Timedelta(hours=30)
	got = between_bulk(CAL, a, b)
	assert got.tolist() == [CAL.between(x, y) for x, y in zip(a, b, strict=True)]
	one = between_bulk(CAL, a[:1], b)
	assert one.tolist() == [CAL.between(a[0], y) for y in b]


def test_large_bulk_equals_scalar_sample():
	rng = np.random.default_rng(7)
	t0 = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
	starts = t0 + rng.integers(0, 300 * 86400 * 10**6, 20000) / 1e6
	secs = rng.integers(0, 480 * 3600 * 1000, 20000) / 1000
	out = add_bulk(CAL, starts, secs)
	for i in rng.integers(0, 20000, 300).tolist():
		start = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=round(starts[i] * 1e6))
		assert out[i] == CAL.add(start, float(secs[i])).timestamp()


def test_statutory_china_from_chinesecalendar():
	days, workdays = statutory_days("CN", 2024)
	named = dict(days)
	assert named[date(2024, 10, 1)] == "National Day"
	assert all(date(2024, 10, d) in named for d in range(1, 8))
	assert workdays == sorted(workdays) and date(2024, 2, 4) in workdays and date(2024, 10, 12) in workdays
	assert all(d.weekday() >= 5 for d in workdays)  # make-up days are weekends moved into work
	zh, _w = statutory_days("cn", 2024, language="zh_CN")
	assert dict(zh)[date(2024, 10, 1)] == "国庆节"
	# years the engine covers but the installed chinesecalendar does not (it starts in 2004)
	with pytest.raises(CalendarError, match="chinesecalendar"):
		statutory_days("CN", 2001)
	# later years: the law's statutory holidays from ``holidays`` (tests/engine/test_statutory_coverage.py)
	assert dict(statutory_days("CN", 2059)[0])


def test_statutory_other_countries_from_holidays():
	days, workdays = statutory_days("US", 2024)
	assert (date(2024, 7, 4), "Independence Day") in days and workdays == []
	by = dict(statutory_days("DE", 2024, subdiv="BY")[0])
	assert date(2024, 1, 6) in by  # Epiphany in Bavaria
	assert date(2024, 1, 6) not in dict(statutory_days("DE", 2024)[0])
	for bad in ("XX", "", "Narnia"):
		with pytest.raises(CalendarError, match="country"):
			statutory_days(bad, 2024)
	with pytest.raises(CalendarError, match="subdivision"):
		statutory_days("US", 2024, subdiv="ZZ")
	with pytest.raises(CalendarError):
		statutory_days("US", "2024")


def test_statutory_days_build_a_calendar():
	days, workdays = statutory_days("CN", 2025)
	c = WorkingCalendar(
		timezone="Asia/Shanghai",
		weekly={d: [("09:00", "18:00")] for d in range(5)},
		holidays=[d for d, _n in days],
		workdays={d: [("09:00", "18:00")] for d in workdays},
		horizon=(2025, 2025),
	)
	# 2025-01-26 (Sunday) is a make-up workday before the Spring Festival
	assert c.is_working(datetime(2025, 1, 26, 10, tzinfo=SH))
	assert not c.is_working(datetime(2025, 1, 29, 10, tzinfo=SH))
