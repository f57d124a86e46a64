"""Pure rules behind issue 10 items 11-13: target values, the engine's horizon, renewal periods and
statutory years (no bench needed)."""

import math
from datetime import date
from decimal import Decimal

import pytest

from sla_management.engine import CalendarError, WorkingCalendar, agreement_rules as r, statutory_days
from sla_management.engine.calendar import DEFAULT_HORIZON

HOUR = 3600
FIVE_BY_EIGHT = WorkingCalendar("Asia/Shanghai", weekly={d: [("09:00", "18:00")] for d in range(5)})


# ----------------------------------------------------------------- target values


@pytest.mark.parametrize(
	("raw", "seconds"),
	[
		(None, None),
		("", None),
		(" ", None),
		(0, 0.0),
		(1800, 1800.0),
		("1800", 1800.0),
		(" 7200 ", 7200.0),
		(1.5, 1.5),
		("3.6e3", 3600.0),
		(Decimal("900.000000000"), 900.0),
		(-5, -5.0),
	],
)
def test_target_seconds_converts_what_can_be_stored(raw, seconds):
	assert r.target_seconds(raw) == seconds


@pytest.mark.parametrize(
	"raw", ["abc", "NaN", "nan", "1e400", "inf", "-inf", math.nan, math.inf, True, [1], {}]
)
def test_target_seconds_refuses_what_is_no_finite_number(raw):
	with pytest.raises(ValueError):
		r.target_seconds(raw)


def test_a_target_longer_than_the_horizon_is_absurd():
	span = (DEFAULT_HORIZON[1] - DEFAULT_HORIZON[0] + 1) * 366 * 86400
	assert r.MAX_TARGET_SECONDS == span
	targets = [r.Target(1, "Email", "P1", HOUR, 1e12), r.Target(2, "Email", "P2", HOUR, 8 * HOUR)]
	problems = r.target_problems(targets, ["Email"], has_calendar=True)
	assert [(p.kind, p.idx) for p in problems] == [(r.TARGET_TOO_LONG, 1)]


# ----------------------------------------------------------------- the engine's horizon


def test_validity_must_lie_within_the_engine_horizon():
	first, last = DEFAULT_HORIZON
	assert r.horizon_problems(date(first, 1, 1), date(last, 12, 31), []) == []
	for valid_from, valid_to in (
		(date(1900, 1, 1), date(2199, 12, 31)),
		(date(first - 1, 12, 31), date(2026, 1, 1)),
		(date(last, 6, 1), date(last + 1, 5, 31)),
	):
		problems = r.horizon_problems(valid_from, valid_to, [])
		assert [(p.kind, p.values) for p in problems] == [(r.VALIDITY_OUTSIDE_HORIZON, DEFAULT_HORIZON)]


def test_the_horizon_is_the_calendars_when_given():
	calendar = WorkingCalendar("UTC", weekly={0: [("09:00", "17:00")]}, horizon=(2020, 2030))
	assert r.horizon_problems(date(2031, 1, 1), date(2031, 12, 31), [], calendar)[0].values == (2020, 2030)


def test_a_target_the_calendar_cannot_serve_before_the_horizon_ends():
	targets = [r.Target(1, "Email", "P1", HOUR, 1e9), r.Target(2, "Email", "P2", HOUR, 8 * HOUR)]
	problems = r.horizon_problems(date(2026, 1, 1), date(2026, 12, 31), targets, FIVE_BY_EIGHT)
	assert [(p.kind, p.idx) for p in problems] == [(r.TARGET_BEYOND_HORIZON, 1)]
	assert problems[0].values == ("resolution_time", 1e9, date(2026, 12, 31), DEFAULT_HORIZON[1])
	# 800 working hours fit in 2026 but not after the last day of validity in the horizon's last year
	late = [r.Target(1, "Email", "P1", HOUR, 800 * HOUR)]
	assert r.horizon_problems(date(2026, 1, 1), date(2026, 12, 31), late, FIVE_BY_EIGHT) == []
	last = DEFAULT_HORIZON[1]
	assert r.horizon_problems(date(last, 1, 1), date(last, 12, 31), late, FIVE_BY_EIGHT)[0].idx == 1


def test_a_calendar_with_finite_working_time_reports_the_target():
	finite = WorkingCalendar("UTC", workdays={date(2026, 1, 3): [("09:00", "17:00")]})
	target = [r.Target(1, None, None, HOUR)]
	assert r.horizon_problems(date(2026, 1, 1), date(2026, 1, 2), target, finite) == []
	problems = r.horizon_problems(date(2026, 1, 1), date(2026, 1, 5), target, finite)
	assert [(p.kind, p.values[0]) for p in problems] == [(r.TARGET_BEYOND_HORIZON, "response_time")]


# ----------------------------------------------------------------- renewal


@pytest.mark.parametrize(
	("valid_from", "valid_to", "expected"),
	[
		# whole years: the renewal is the next calendar year, leap or not
		(date(2027, 1, 1), date(2027, 12, 31), (date(2028, 1, 1), date(2028, 12, 31))),
		(date(2028, 1, 1), date(2028, 12, 31), (date(2029, 1, 1), date(2029, 12, 31))),
		# anniversaries across a leap day
		(date(2027, 3, 1), date(2028, 2, 29), (date(2028, 3, 1), date(2029, 2, 28))),
		(date(2023, 3, 15), date(2024, 3, 14), (date(2024, 3, 15), date(2025, 3, 14))),
		(date(2024, 2, 29), date(2025, 2, 27), (date(2025, 2, 28), date(2026, 2, 27))),
		# whole months
		(date(2028, 2, 1), date(2028, 2, 29), (date(2028, 3, 1), date(2028, 3, 31))),
		(date(2026, 1, 1), date(2026, 6, 30), (date(2026, 7, 1), date(2026, 12, 31))),
		# anything else keeps its length in days
		(date(2026, 1, 1), date(2026, 1, 10), (date(2026, 1, 11), date(2026, 1, 20))),
		(date(2026, 1, 1), date(2026, 1, 1), (date(2026, 1, 2), date(2026, 1, 2))),
	],
)
def test_renewal_follows_the_calendar_without_gap_or_overlap(valid_from, valid_to, expected):
	assert r.next_period(valid_from, valid_to) == expected
	assert expected[0] == valid_to.fromordinal(valid_to.toordinal() + 1)


def test_renewing_year_after_year_never_drifts():
	period = (date(2025, 1, 1), date(2025, 12, 31))
	for year in range(2026, 2040):
		period = r.next_period(*period)
		assert period == (date(year, 1, 1), date(year, 12, 31))


# ----------------------------------------------------------------- statutory years


@pytest.mark.parametrize("year", [1850, DEFAULT_HORIZON[0] - 1, DEFAULT_HORIZON[1] + 1, 99999, 0, -1])
@pytest.mark.parametrize("country", ["CN", "US"])
def test_statutory_days_only_for_years_the_engine_covers(country, year):
	with pytest.raises(CalendarError, match=str(year)):
		statutory_days(country, year)


def test_statutory_days_of_an_unknown_country():
	with pytest.raises(CalendarError, match="ZZ"):
		statutory_days("ZZ", 2026)
