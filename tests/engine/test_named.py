"""Named cases from the issue: DST, leap day, year end, holidays, pauses, 调休."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sla_management.engine import (
	NoWorkingTimeError,
	OutOfRangeError,
	SlaTimer,
	WorkingCalendar,
	statutory_days,
)
from sla_management.engine.vocabulary import BREACHED, MET, PAUSED, RUNNING

UTC = timezone.utc
H = 3600
NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
ALL_DAY = {d: [("00:00", "24:00")] for d in range(7)}
NINE_TO_FIVE = {d: [("09:00", "17:00")] for d in range(5)}


def cal(zone: str = "UTC", weekly=None, **kw) -> WorkingCalendar:
	return WorkingCalendar(
		timezone=zone, weekly=NINE_TO_FIVE if weekly is None else weekly, horizon=(2023, 2026), **kw
	)


def day_hours(c: WorkingCalendar, zone: ZoneInfo, d: date) -> float:
	a = datetime(d.year, d.month, d.day, tzinfo=zone)
	n = d + timedelta(days=1)
	return c.between(a, datetime(n.year, n.month, n.day, tzinfo=zone)) / H


# daylight saving -------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"zone, spring, autumn",
	[
		("America/New_York", date(2024, 3, 10), date(2024, 11, 3)),
		("Europe/Berlin", date(2024, 3, 31), date(2024, 10, 27)),
	],
)
def test_dst_all_day_window_is_real_elapsed_time(zone, spring, autumn):
	c = cal(zone, ALL_DAY)
	z = ZoneInfo(zone)
	assert day_hours(c, z, spring) == 23
	assert day_hours(c, z, autumn) == 25
	assert day_hours(c, z, spring + timedelta(days=1)) == 24
	# 24 business hours from local midnight of the short day end at 01:00 the next day
	nxt = spring + timedelta(days=1)
	assert c.add(datetime(spring.year, spring.month, spring.day, tzinfo=z), 24 * H) == datetime(
		nxt.year, nxt.month, nxt.day, 1, tzinfo=z
	)
	assert c.add(datetime(autumn.year, autumn.month, autumn.day, tzinfo=z), 24 * H) == datetime(
		autumn.year, autumn.month, autumn.day, 23, tzinfo=z
	)


def test_dst_new_york_windows_across_the_transition_hour():
	c = cal("America/New_York", {6: [("01:00", "04:00")], 5: [("02:00", "03:00")]})
	# Sunday 2024-03-10: 01:00-04:00 wall holds only 2 real hours (02:00-03:00 does not exist)
	assert day_hours(c, NY, date(2024, 3, 10)) == 2
	# Sunday 2024-11-03: 01:00-02:00 happens twice, so the window holds 4 real hours
	assert day_hours(c, NY, date(2024, 11, 3)) == 4
	assert c.add(datetime(2024, 11, 3, 1, tzinfo=NY), 1.5 * H) == datetime(
		2024, 11, 3, 1, 30, fold=1, tzinfo=NY
	)
	assert c.add(datetime(2024, 3, 10, 1, 30, tzinfo=NY), 1 * H) == datetime(2024, 3, 10, 3, 30, tzinfo=NY)
	assert c.is_working(datetime(2024, 3, 10, 3, 0, tzinfo=NY))
	assert not c.is_working(datetime(2024, 3, 10, 4, 0, tzinfo=NY))


def test_dst_nine_to_five_keeps_wall_clock_hours():
	c = cal("Europe/Berlin")
	# Friday 2024-03-29 16:00 + 2 h: Friday 1 h, then Monday 2024-04-01 (after the switch) 09:00-10:00
	assert c.add(datetime(2024, 3, 29, 16, tzinfo=BERLIN), 2 * H) == datetime(2024, 4, 1, 10, tzinfo=BERLIN)
	assert c.add(datetime(2024, 10, 25, 16, tzinfo=BERLIN), 2 * H) == datetime(
		2024, 10, 28, 10, tzinfo=BERLIN
	)
	# a window that contains the transition hour in Berlin (02:00-03:00 skipped on 2024-03-31)
	c2 = cal("Europe/Berlin", {6: [("00:00", "06:00")]})
	assert day_hours(c2, BERLIN, date(2024, 3, 31)) == 5
	assert day_hours(c2, BERLIN, date(2024, 10, 27)) == 7


def test_lord_howe_half_hour_dst():
	c = cal("Australia/Lord_Howe", ALL_DAY)
	assert day_hours(c, LORD_HOWE, date(2024, 4, 7)) == 24.5
	assert day_hours(c, LORD_HOWE, date(2024, 10, 6)) == 23.5


def test_localize_fold_zero():
	c = cal("America/New_York")
	gap = c.localize(datetime(2024, 3, 10, 2, 30))
	assert gap == datetime(2024, 3, 10, 7, 30, tzinfo=UTC)
	assert gap.tzinfo is NY and gap.hour == 3
	overlap = c.localize(datetime(2024, 11, 3, 1, 30))
	assert overlap.utcoffset() == timedelta(hours=-4)


# dates -----------------------------------------------------------------------------------------


def test_leap_day():
	c = cal("UTC")
	assert c.is_working(datetime(2024, 2, 29, 12, tzinfo=UTC))
	assert c.add(datetime(2024, 2, 28, 17, tzinfo=UTC), 8 * H) == datetime(2024, 2, 29, 17, tzinfo=UTC)
	assert c.add(datetime(2024, 2, 28, 17, tzinfo=UTC), 8 * H + 1) == datetime(
		2024, 3, 1, 9, 0, 1, tzinfo=UTC
	)
	all_day = cal("UTC", ALL_DAY)
	assert all_day.between(datetime(2024, 2, 28, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC)) == 48 * H
	assert all_day.between(datetime(2023, 2, 28, tzinfo=UTC), datetime(2023, 3, 1, tzinfo=UTC)) == 24 * H


def test_year_end_with_new_year_holiday():
	c = cal("Asia/Shanghai", holidays=[date(2025, 1, 1)])
	start = datetime(2024, 12, 31, 16, tzinfo=SHANGHAI)
	assert c.add(start, 2 * H) == datetime(2025, 1, 2, 10, tzinfo=SHANGHAI)
	assert c.between(start, datetime(2025, 1, 2, 10, tzinfo=SHANGHAI)) == 2 * H


def test_holidays_inside_target():
	c = cal("UTC", holidays=[date(2024, 6, 5)])  # a Wednesday
	start = datetime(2024, 6, 3, 9, tzinfo=UTC)  # Monday
	assert c.add(start, 40 * H) == datetime(2024, 6, 10, 17, tzinfo=UTC)
	assert cal("UTC").add(start, 40 * H) == datetime(2024, 6, 7, 17, tzinfo=UTC)
	assert not c.is_working(datetime(2024, 6, 5, 12, tzinfo=UTC))
	assert c.next_working(datetime(2024, 6, 4, 18, tzinfo=UTC)) == datetime(2024, 6, 6, 9, tzinfo=UTC)


def test_shanghai_make_up_workdays_from_chinesecalendar():
	days, workdays = statutory_days("CN", 2024)
	assert date(2024, 9, 29) in workdays and date(2024, 10, 12) in workdays
	windows = [("09:00", "12:00"), ("13:30", "18:00")]
	c = WorkingCalendar(
		timezone="Asia/Shanghai",
		weekly={d: windows for d in range(5)},
		holidays=[d for d, _name in days],
		workdays={d: windows for d in workdays},
		horizon=(2024, 2024),
	)
	# Friday 17:00 + 2 h: 1 h on Friday, then Sunday 2024-09-29 is a make-up workday
	assert c.add(datetime(2024, 9, 27, 17, tzinfo=SHANGHAI), 2 * H) == datetime(
		2024, 9, 29, 10, tzinfo=SHANGHAI
	)
	# Monday 2024-09-30 17:00 + 2 h: the National Day week is off, back on Tuesday 2024-10-08
	assert c.add(datetime(2024, 9, 30, 17, tzinfo=SHANGHAI), 2 * H) == datetime(
		2024, 10, 8, 10, tzinfo=SHANGHAI
	)
	assert c.is_working(datetime(2024, 10, 12, 10, tzinfo=SHANGHAI))  # Saturday, make-up
	assert not c.is_working(datetime(2024, 10, 12, 12, 30, tzinfo=SHANGHAI))  # lunch break
	assert not c.is_working(datetime(2024, 10, 13, 10, tzinfo=SHANGHAI))  # Sunday
	assert (
		c.between(datetime(2024, 10, 12, tzinfo=SHANGHAI), datetime(2024, 10, 13, tzinfo=SHANGHAI)) == 7.5 * H
	)


# calendar shapes -------------------------------------------------------------------------------


def test_window_formats_and_adjacent_windows_merge():
	c = cal("UTC", {0: [(time(9), "12:00:00"), (12 * H, "24:00")], 1: [("00:00", "08:00")]})
	assert c.week_seconds == 23 * H
	assert c.between(datetime(2024, 6, 3, 9, tzinfo=UTC), datetime(2024, 6, 4, 8, tzinfo=UTC)) == 23 * H
	# Monday 09:00-24:00 and Tuesday 00:00-08:00 form one interval
	s = c.starts_us.tolist()
	assert len(s) == len(set(s))
	assert c.add(datetime(2024, 6, 3, 23, tzinfo=UTC), 2 * H) == datetime(2024, 6, 4, 1, tzinfo=UTC)
	seven = cal("UTC", ALL_DAY)
	assert len(seven.starts_us) == 1
	assert seven.add(datetime(2024, 1, 1, tzinfo=UTC), 480 * H) == datetime(2024, 1, 21, tzinfo=UTC)


def test_zero_seconds_returns_start_and_timedelta_durations():
	c = cal("Asia/Shanghai")
	sat = datetime(2024, 6, 1, 12, tzinfo=UTC)
	assert c.add(sat, 0) == sat
	assert c.add(sat, 0).tzinfo is SHANGHAI
	assert c.add(sat, timedelta(hours=1)) == datetime(2024, 6, 3, 10, tzinfo=SHANGHAI)
	assert c.add(sat, 3600) == c.add(sat, 3600.0)
	# a deadline that ends exactly at a window end is that end, not the next window's start
	assert c.add(datetime(2024, 6, 3, 9, tzinfo=SHANGHAI), 8 * H) == datetime(2024, 6, 3, 17, tzinfo=SHANGHAI)


def test_only_make_up_workdays_is_finite():
	c = cal("UTC", {}, workdays={date(2024, 6, 8): [("10:00", "12:00")]})
	start = datetime(2024, 6, 1, tzinfo=UTC)
	assert c.add(start, 2 * H) == datetime(2024, 6, 8, 12, tzinfo=UTC)
	with pytest.raises(NoWorkingTimeError):
		c.add(start, 2 * H + 1)
	with pytest.raises(NoWorkingTimeError):
		c.next_working(datetime(2024, 6, 8, 12, tzinfo=UTC))
	res = SlaTimer(start, 3 * H).evaluate(c, datetime(2024, 6, 9, tzinfo=UTC))
	assert res.deadline is None and res.elapsed_seconds == 2 * H and res.state == RUNNING


def test_horizon_bounds():
	c = cal("UTC")
	with pytest.raises(OutOfRangeError):
		c.add(datetime(2022, 12, 31, tzinfo=UTC), H)
	with pytest.raises(OutOfRangeError):
		c.is_working(datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC))
	with pytest.raises(OutOfRangeError):
		c.add(datetime(2026, 12, 31, 9, tzinfo=UTC), 9 * H)
	assert c.add(datetime(2026, 12, 31, 9, tzinfo=UTC), 8 * H) == datetime(2026, 12, 31, 17, tzinfo=UTC)


# SLA timers ------------------------------------------------------------------------------------


def test_pause_starting_before_the_window_opens():
	c = cal("UTC")
	start = datetime(2024, 6, 3, 16, tzinfo=UTC)  # Monday
	pause = (datetime(2024, 6, 4, 7, tzinfo=UTC), datetime(2024, 6, 4, 10, tzinfo=UTC))
	timer = SlaTimer(start, 4 * H, [pause])
	res = timer.evaluate(c, datetime(2024, 6, 4, 11, tzinfo=UTC))
	assert res.paused_seconds == 1 * H  # 09:00-10:00, not the 3 h of wall clock
	assert res.elapsed_seconds == 2 * H
	assert res.deadline == datetime(2024, 6, 4, 13, tzinfo=UTC)
	assert SlaTimer(start, 4 * H).evaluate(c, start).deadline == datetime(2024, 6, 4, 12, tzinfo=UTC)
	assert res.state == RUNNING and res.remaining_seconds == 2 * H and res.fraction == 0.5


def test_pause_longer_than_target():
	c = cal("UTC")
	start = datetime(2024, 6, 3, 9, tzinfo=UTC)
	pause = (datetime(2024, 6, 3, 10, tzinfo=UTC), datetime(2024, 6, 5, 10, tzinfo=UTC))
	timer = SlaTimer(start, 4 * H, [pause])
	done = timer.evaluate(c, datetime(2024, 6, 5, 12, tzinfo=UTC))
	assert done.deadline == datetime(2024, 6, 5, 13, tzinfo=UTC)
	assert done.paused_seconds == 16 * H
	assert done.elapsed_seconds == 3 * H and done.state == RUNNING
	# inside the pause: paused, with the deadline projected as if it ended now
	mid = timer.evaluate(c, datetime(2024, 6, 4, 12, tzinfo=UTC))
	assert mid.state == PAUSED
	assert mid.paused_seconds == 10 * H and mid.elapsed_seconds == 1 * H
	assert mid.deadline == datetime(2024, 6, 4, 15, tzinfo=UTC)
	# an open pause behaves the same
	open_ = SlaTimer(start, 4 * H, [(pause[0], None)]).evaluate(c, datetime(2024, 6, 4, 12, tzinfo=UTC))
	assert open_ == mid


def test_pause_after_target_reached_does_not_move_deadline():
	c = cal("UTC")
	start = datetime(2024, 6, 3, 9, tzinfo=UTC)
	late = (datetime(2024, 6, 3, 14, tzinfo=UTC), datetime(2024, 6, 3, 16, tzinfo=UTC))
	res = SlaTimer(start, 4 * H, [late]).evaluate(c, datetime(2024, 6, 3, 17, tzinfo=UTC))
	assert res.deadline == datetime(2024, 6, 3, 13, tzinfo=UTC)
	assert res.state == BREACHED and res.breached and res.breach_at == res.deadline
	assert res.elapsed_seconds == 6 * H and res.paused_seconds == 2 * H and res.remaining_seconds == -2 * H
	# a pause that begins exactly when the target is reached does not move it either
	edge = (datetime(2024, 6, 3, 13, tzinfo=UTC), datetime(2024, 6, 3, 15, tzinfo=UTC))
	assert SlaTimer(start, 4 * H, [edge]).evaluate(c, edge[1]).deadline == res.deadline


def test_pauses_are_merged_and_clipped():
	c = cal("UTC")
	start = datetime(2024, 6, 3, 9, tzinfo=UTC)
	p = [
		(datetime(2024, 6, 3, 11, tzinfo=UTC), datetime(2024, 6, 3, 12, tzinfo=UTC)),
		(datetime(2024, 6, 2, 11, tzinfo=UTC), datetime(2024, 6, 3, 10, tzinfo=UTC)),  # before start
		(datetime(2024, 6, 3, 11, 30, tzinfo=UTC), datetime(2024, 6, 3, 13, tzinfo=UTC)),  # overlaps
		(datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 6, 2, tzinfo=UTC)),  # wholly before start
	]
	res = SlaTimer(start, 4 * H, p).evaluate(c, datetime(2024, 6, 3, 17, tzinfo=UTC))
	assert res.paused_seconds == 3 * H
	assert res.deadline == datetime(2024, 6, 3, 16, tzinfo=UTC)
	assert res.state == BREACHED and res.elapsed_seconds == 5 * H


def test_stop_met_and_breached():
	c = cal("UTC")
	start = datetime(2024, 6, 3, 9, tzinfo=UTC)
	met = SlaTimer(start, 4 * H, stop=datetime(2024, 6, 3, 13, tzinfo=UTC))
	r = met.evaluate(c, datetime(2024, 6, 10, tzinfo=UTC))
	assert r.state == MET and not r.breached and r.breach_at is None and r.elapsed_seconds == 4 * H
	# before the stop instant the timer is still running
	assert met.evaluate(c, datetime(2024, 6, 3, 12, tzinfo=UTC)).state == RUNNING
	late = SlaTimer(start, 4 * H, stop=datetime(2024, 6, 3, 13, 0, 1, tzinfo=UTC))
	r = late.evaluate(c, datetime(2024, 6, 10, tzinfo=UTC))
	assert r.state == BREACHED and r.breach_at == datetime(2024, 6, 3, 13, tzinfo=UTC)
	assert r.remaining_seconds == -1
	zero = SlaTimer(start, 0).evaluate(c, datetime(2024, 6, 3, 9, 30, tzinfo=UTC))
	assert zero.fraction == float("inf") and zero.state == BREACHED and zero.deadline == start
	assert SlaTimer(start, 0).evaluate(c, start).fraction == 0


def test_target_change_keeps_history():
	c = cal("UTC")
	start = datetime(2024, 6, 3, 9, tzinfo=UTC)
	pause = (datetime(2024, 6, 3, 10, tzinfo=UTC), datetime(2024, 6, 3, 11, tzinfo=UTC))
	at = datetime(2024, 6, 3, 14, tzinfo=UTC)
	t8 = SlaTimer(start, 8 * H, [pause])
	r8 = t8.evaluate(c, at)
	assert r8.state == RUNNING and r8.deadline == datetime(2024, 6, 4, 10, tzinfo=UTC)
	t2 = t8.with_target(2 * H)  # priority raised mid-way
	r2 = t2.evaluate(c, at)
	assert (r2.elapsed_seconds, r2.paused_seconds) == (r8.elapsed_seconds, r8.paused_seconds) == (4 * H, H)
	assert r2.state == BREACHED and r2.deadline == datetime(2024, 6, 3, 12, tzinfo=UTC)
	assert t2.pauses == t8.pauses and t2.start == t8.start


def test_timer_helpers_pause_resume_stop():
	c = cal("UTC")
	start = datetime(2024, 6, 3, 9, tzinfo=UTC)
	t = SlaTimer(start, 4 * H).paused_at(datetime(2024, 6, 3, 10, tzinfo=UTC))
	assert t.evaluate(c, datetime(2024, 6, 3, 12, tzinfo=UTC)).state == PAUSED
	t = t.resumed_at(datetime(2024, 6, 3, 12, tzinfo=UTC))
	assert t.evaluate(c, datetime(2024, 6, 3, 12, tzinfo=UTC)).deadline == datetime(
		2024, 6, 3, 15, tzinfo=UTC
	)
	t = t.stopped_at(datetime(2024, 6, 3, 14, tzinfo=UTC))
	r = t.evaluate(c, datetime(2024, 6, 3, 16, tzinfo=UTC))
	assert r.state == MET and r.elapsed_seconds == 3 * H


def test_aware_inputs_in_any_zone():
	c = cal("Asia/Shanghai")
	a = datetime(2024, 6, 3, 9, tzinfo=SHANGHAI)
	assert c.add(a.astimezone(NY), H) == c.add(a, H) == datetime(2024, 6, 3, 10, tzinfo=SHANGHAI)
	assert c.add(a.astimezone(timezone(timedelta(hours=5))), H).tzinfo is SHANGHAI


def test_frappe_style_window_values():
	# Frappe hands Time fields over as timedelta, or as "HH:MM:SS.ffffff" strings
	c = cal("UTC", {0: [(timedelta(hours=9), "17:00:00.000000")], 1: [(0, timedelta(hours=24))]})
	assert c.week_seconds == 32 * H
	assert c.weekly == {0: [(9 * H, 17 * H)], 1: [(0, 24 * H)]}


def test_benchmark_quick_smoke_run(capsys):
	import importlib.util
	from pathlib import Path

	path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_engine.py"
	spec = importlib.util.spec_from_file_location("bench_engine", path)
	bench = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(bench)
	assert bench.main(["--quick"]) == 0
	out = capsys.readouterr().out
	assert "results identical" in out and "MISMATCH" not in out
