"""Availability metrics of the pure core: merging, cutting, DST, open outages, maintenance, limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from sla_management.engine import EngineError, NaiveDatetimeError, OutOfRangeError, WorkingCalendar
from sla_management.engine.availability import (
	AVAILABILITY,
	DEGRADED,
	DOWN,
	FAILURES_PER_MONTH,
	LONGEST_FAILURE,
	MAINTENANCE,
	MTTR,
	Limits,
	Outage,
	availability,
	availability_batch,
)

H = 3600
SH = "Asia/Shanghai"
UTC = timezone.utc


def office(zone: str = SH) -> WorkingCalendar:
	return WorkingCalendar(zone, {d: [("09:00", "17:00")] for d in range(5)})


def always(zone: str = "UTC") -> WorkingCalendar:
	return WorkingCalendar(zone, {d: [("00:00", "24:00")] for d in range(7)})


def at(cal: WorkingCalendar, *args: int) -> datetime:
	return datetime(*args, tzinfo=cal.zone)


def march(cal: WorkingCalendar, outages, **kw):
	return availability(outages, cal, at(cal, 2024, 3, 1), at(cal, 2024, 4, 1), **kw)


MARCH_WORK = 21 * 8 * H  # 21 weekdays in March 2024


def test_no_outages_full_availability():
	cal = office()
	m = march(cal, [])
	assert m.service_seconds == MARCH_WORK
	assert m.downtime_seconds == 0
	assert m.availability_pct == 100.0
	assert m.failures == 0 and m.mttr_seconds is None and m.mtbf_seconds is None


def test_overlapping_outages_merge_into_one_failure():
	cal = office()
	m = march(
		cal,
		[
			(1, at(cal, 2024, 3, 5, 10), at(cal, 2024, 3, 5, 12), DOWN),
			(1, at(cal, 2024, 3, 5, 11), at(cal, 2024, 3, 5, 13), DOWN),
			(1, at(cal, 2024, 3, 5, 11, 30), at(cal, 2024, 3, 5, 11, 45), DOWN),
			(1, at(cal, 2024, 3, 5, 13), at(cal, 2024, 3, 5, 14), DOWN),  # touches: the same failure
			(1, at(cal, 2024, 3, 7, 10), at(cal, 2024, 3, 7, 10, 30), DOWN),
		],
	)
	assert m.downtime_seconds == 4 * H + 1800
	assert m.failures == 2
	assert m.failure_seconds == 4 * H + 1800
	assert m.longest_failure_seconds == 4 * H
	assert m.mttr_seconds == (4 * H + 1800) / 2
	assert m.mtbf_seconds == (MARCH_WORK - 4 * H - 1800) / 2
	assert m.availability_pct == pytest.approx(100 * (MARCH_WORK - 4.5 * H) / MARCH_WORK)


def test_outage_cut_at_service_hours():
	cal = office()
	# Tue 08:00 - Wed 18:00: 8 h + 8 h of service time, 34 h wall
	m = march(cal, [(1, at(cal, 2024, 3, 5, 8), at(cal, 2024, 3, 6, 18), DOWN)])
	assert m.downtime_seconds == 16 * H
	assert m.failures == 1
	assert m.failure_seconds == 16 * H
	assert m.failure_wall_seconds == 34 * H
	assert m.longest_failure_wall_seconds == 34 * H


def test_outage_outside_service_hours_is_no_failure():
	cal = office()
	m = march(cal, [(1, at(cal, 2024, 3, 9, 8), at(cal, 2024, 3, 10, 20), DOWN)])  # a weekend
	assert m.downtime_seconds == 0 and m.failures == 0 and m.availability_pct == 100.0


def test_outage_crossing_the_period_boundary():
	cal = office()
	jan = (at(cal, 2024, 1, 1), at(cal, 2024, 2, 1))
	feb = (at(cal, 2024, 2, 1), at(cal, 2024, 3, 1))
	# Wed 31 Jan 16:00 - Thu 1 Feb 10:00
	res = availability_batch(
		[("a", at(cal, 2024, 1, 31, 16), at(cal, 2024, 2, 1, 10), DOWN)], {"a": cal}, [jan, feb]
	)
	m_jan, m_feb = res["a"]
	assert m_jan.downtime_seconds == H and m_feb.downtime_seconds == H
	# the failure belongs to the month it started in, with its whole duration
	assert (m_jan.failures, m_feb.failures) == (1, 0)
	assert m_jan.failure_seconds == 2 * H and m_jan.failure_wall_seconds == 18 * H
	assert m_feb.failure_seconds == 0 and m_feb.mttr_seconds is None
	assert m_feb.availability_pct == pytest.approx(100 * (m_feb.service_seconds - H) / m_feb.service_seconds)


def test_outage_before_all_periods_counts_downtime_but_no_failure():
	cal = office()
	m = march(cal, [(1, at(cal, 2024, 2, 29, 16), at(cal, 2024, 3, 1, 11), DOWN)])  # Thu - Fri
	assert m.downtime_seconds == 2 * H
	assert m.failures == 0


@pytest.mark.parametrize(
	("zone", "day", "hours"),
	[
		("Europe/Berlin", (2024, 3, 31), 23),
		("Europe/Berlin", (2024, 10, 27), 25),
		("America/New_York", (2024, 3, 10), 23),
		("America/New_York", (2024, 11, 3), 25),
	],
)
def test_dst_day(zone, day, hours):
	cal = always(zone)
	a = at(cal, *day)
	b = at(cal, *(a + timedelta(days=1)).timetuple()[:3])
	m = availability([(1, a, b, DOWN)], cal, a, b)
	assert m.service_seconds == hours * H
	assert m.downtime_seconds == hours * H
	assert m.availability_pct == 0.0
	assert m.failure_wall_seconds == hours * H
	# the local 01:00-04:00 of the day holds 3 h, except across the spring gap / autumn repeat
	m = availability([(1, at(cal, *day, 1), at(cal, *day, 4), DOWN)], cal, a, b)
	assert m.downtime_seconds == (3 + (hours - 24)) * H


def test_dst_day_office_hours_and_month():
	cal = office("Europe/Berlin")
	# Mon 25 Mar 2024 - Sun 31 Mar (DST starts on Sunday): the working week is unaffected
	m = availability(
		[(1, at(cal, 2024, 3, 29, 12), at(cal, 2024, 4, 1, 10), DOWN)],
		cal,
		at(cal, 2024, 3, 1),
		at(cal, 2024, 4, 1),
	)
	assert m.downtime_seconds == 5 * H
	assert m.failure_seconds == 6 * H  # 29 Mar 12-17 and 1 Apr 09-10
	assert m.failure_wall_seconds == (3 * 24 - 2 - 1) * H  # one hour lost to DST


def test_open_outage_counts_up_to_now():
	cal = office()
	now = at(cal, 2024, 3, 6, 11)
	m = march(cal, [(1, at(cal, 2024, 3, 5, 15), None, DOWN)], now=now)
	assert m.downtime_seconds == 4 * H
	assert m.failure_seconds == 4 * H and m.failure_wall_seconds == 20 * H
	# now after the period: counted up to the period end
	m = availability(
		[(1, at(cal, 2024, 3, 29, 15), None, DOWN)],
		cal,
		at(cal, 2024, 3, 1),
		at(cal, 2024, 4, 1),
		now=at(cal, 2024, 4, 2, 10),
	)
	assert m.downtime_seconds == 2 * H
	assert m.failure_seconds == 2 * H + 9 * H  # the whole failure so far: Fri 2 h, Mon 8 h, Tue 1 h
	# an open outage that starts after now is nothing yet
	m = march(cal, [(1, at(cal, 2024, 3, 7, 9), None, DOWN)], now=at(cal, 2024, 3, 6, 9))
	assert m.downtime_seconds == 0 and m.failures == 0


def test_open_outage_needs_now():
	cal = office()
	with pytest.raises(EngineError):
		march(cal, [(1, at(cal, 2024, 3, 5, 15), None, DOWN)])


def test_planned_maintenance_shrinks_the_denominator():
	cal = always()
	a, b = at(cal, 2024, 3, 1), at(cal, 2024, 4, 1)
	month = 31 * 24 * H
	m = availability([(1, at(cal, 2024, 3, 10, 2), at(cal, 2024, 3, 10, 2, 10), MAINTENANCE)], cal, a, b)
	assert m.service_seconds == month - 600
	assert m.maintenance_seconds == 600
	assert m.availability_pct == 100.0
	assert m.failures == 0
	# a failure during maintenance is not downtime; the part outside it is
	m = availability(
		[
			(1, at(cal, 2024, 3, 10, 2), at(cal, 2024, 3, 10, 2, 10), MAINTENANCE),
			(1, at(cal, 2024, 3, 10, 2, 5), at(cal, 2024, 3, 10, 2, 20), DOWN),
		],
		cal,
		a,
		b,
	)
	assert m.downtime_seconds == 600
	assert m.failures == 1 and m.failure_seconds == 600 and m.failure_wall_seconds == 900
	assert m.availability_pct == pytest.approx(100 * (month - 1200) / (month - 600))


def test_maintenance_outside_service_hours_changes_nothing():
	cal = office()
	m = march(cal, [(1, at(cal, 2024, 3, 5, 20), at(cal, 2024, 3, 5, 22), MAINTENANCE)])
	assert m.service_seconds == MARCH_WORK and m.maintenance_seconds == 0


def test_all_maintenance_leaves_no_measurable_availability():
	cal = office()
	m = march(cal, [(1, at(cal, 2024, 2, 1), at(cal, 2024, 5, 1), MAINTENANCE)], limits=Limits(99.0))
	assert m.service_seconds == 0
	assert m.availability_pct is None
	assert m.checks[0].met is None and m.met is None


@pytest.mark.parametrize(("weight", "down", "failures"), [(0.0, 0, 0), (0.5, H, 1), (1.0, 2 * H, 1)])
def test_degraded_weight(weight, down, failures):
	cal = office()
	m = march(cal, [(1, at(cal, 2024, 3, 5, 10), at(cal, 2024, 3, 5, 12), DEGRADED)], degraded_weight=weight)
	assert m.downtime_seconds == down
	assert m.failures == failures
	assert m.failure_seconds == (2 * H if failures else 0)


def test_degraded_overlapping_down_counts_once():
	cal = office()
	outages = [
		(1, at(cal, 2024, 3, 5, 10), at(cal, 2024, 3, 5, 12), DEGRADED),
		(1, at(cal, 2024, 3, 5, 11), at(cal, 2024, 3, 5, 13), DOWN),
	]
	m = march(cal, outages, degraded_weight=0.5)
	assert m.downtime_seconds == 2 * H + 0.5 * H
	assert m.failures == 1 and m.failure_seconds == 3 * H
	m = march(cal, outages)  # default weight 0: only the down part
	assert m.downtime_seconds == 2 * H and m.failures == 1 and m.failure_seconds == 2 * H


def test_kinds_accept_lower_case_and_reject_unknown():
	cal = office()
	m = march(cal, [Outage(1, at(cal, 2024, 3, 5, 10), at(cal, 2024, 3, 5, 11), "down")])
	assert m.downtime_seconds == H
	with pytest.raises(EngineError):
		march(cal, [(1, at(cal, 2024, 3, 5, 10), at(cal, 2024, 3, 5, 11), "broken")])
	with pytest.raises(EngineError):
		march(cal, [(1, at(cal, 2024, 3, 5, 10), at(cal, 2024, 3, 5, 9), DOWN)])
	with pytest.raises(NaiveDatetimeError):
		march(cal, [(1, datetime(2024, 3, 5, 10), at(cal, 2024, 3, 5, 11), DOWN)])
	with pytest.raises(EngineError):
		march(cal, [(1, at(cal, 2024, 3, 5, 10), at(cal, 2024, 3, 5, 11), DOWN)], degraded_weight=2)


def test_limits_met_and_not_met():
	cal = office()
	outages = [
		(1, at(cal, 2024, 3, 5, 10), at(cal, 2024, 3, 5, 11), DOWN),
		(1, at(cal, 2024, 3, 6, 10), at(cal, 2024, 3, 6, 10, 30), DOWN),
	]
	m = march(cal, outages, limits=Limits(99.0, 2, 3600, 2700))
	assert {c.name: c.met for c in m.checks} == {
		AVAILABILITY: True,
		FAILURES_PER_MONTH: True,
		LONGEST_FAILURE: True,
		MTTR: True,
	}
	assert m.met is True
	m = march(cal, outages, limits=Limits(99.9, 1, 1800, 2000))
	assert {c.name: c.met for c in m.checks} == {
		AVAILABILITY: False,
		FAILURES_PER_MONTH: False,
		LONGEST_FAILURE: False,
		MTTR: False,
	}
	assert m.met is False
	assert m.checks[0].actual == m.availability_pct and m.checks[0].limit == 99.9
	# without failures the failure limits are met; no limits, no checks
	m = march(cal, [], limits=Limits(max_failures_per_month=0, max_mttr_seconds=1))
	assert [c.met for c in m.checks] == [True, True]
	assert march(cal, []).met is None


def test_failures_per_month_of_longer_and_partial_periods():
	cal = office()
	outages = [(1, at(cal, 2024, 1, 10 + i, 10), at(cal, 2024, 1, 10 + i, 11), DOWN) for i in range(3)]
	q = availability(outages, cal, at(cal, 2024, 1, 1), at(cal, 2024, 4, 1))
	assert q.failures == 3 and q.failures_per_month == 1.0
	part = availability(outages, cal, at(cal, 2024, 1, 1), at(cal, 2024, 1, 16))
	assert part.failures_per_month == pytest.approx(3 / (15 / (365.2425 / 12)))


def test_batch_matches_single_and_lists_every_key():
	cal, cal2 = office(), always("Europe/Berlin")
	cals = {"a": cal, "b": cal2, "c": cal, "idle": cal2}
	months = [(at(cal, 2024, m, 1), at(cal, 2024, m + 1, 1)) for m in range(1, 7)]
	outages = [
		("a", at(cal, 2024, 2, 5, 10), at(cal, 2024, 2, 5, 12), DOWN),
		("b", at(cal, 2024, 3, 30, 22), at(cal, 2024, 4, 1, 2), DOWN),
		("c", at(cal, 2024, 5, 2, 10), at(cal, 2024, 5, 2, 10, 10), MAINTENANCE),
		("a", at(cal, 2024, 4, 30, 16), None, DEGRADED),
	]
	lim = {"a": Limits(99.0), "b": Limits(max_failures_per_month=0)}
	now = at(cal, 2024, 5, 3, 10)
	res = availability_batch(outages, cals, months, now=now, limits=lim, degraded_weight=1.0)
	assert list(res) == list(cals)
	assert res["idle"][0].availability_pct == 100.0 and res["idle"][0].checks == ()
	for key, rows in res.items():
		mine = [o for o in outages if o[0] == key]
		for (a, b), got in zip(months, rows, strict=True):
			single = availability(mine, cals[key], a, b, now=now, limits=lim.get(key), degraded_weight=1.0)
			assert replace(got, key=None) == single
	assert res["b"][2].failures == 1 and res["b"][2].met is False


def test_unknown_key_and_bad_periods():
	cal = office()
	with pytest.raises(EngineError):
		availability_batch([("x", at(cal, 2024, 3, 5), at(cal, 2024, 3, 6), DOWN)], {"a": cal}, [])
	with pytest.raises(EngineError):
		availability_batch(
			[],
			{"a": cal},
			[(at(cal, 2024, 3, 1), at(cal, 2024, 4, 1)), (at(cal, 2024, 3, 15), at(cal, 2024, 5, 1))],
		)
	with pytest.raises(OutOfRangeError):
		availability_batch(
			[], {"a": cal}, [(datetime(1990, 1, 1, tzinfo=UTC), datetime(1990, 2, 1, tzinfo=UTC))]
		)
