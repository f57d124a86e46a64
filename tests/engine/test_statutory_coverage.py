"""China's years beyond chinesecalendar, and when a calendar's holidays run out (engine.statutory)."""

from datetime import date

import chinese_calendar
import pytest

from sla_management.engine.statutory import (
	expects_holidays,
	last_holiday_year,
	reminder_year,
	statutory_year,
	years_without_holidays,
)

LAST_ANNOUNCED = max(d.year for d in chinese_calendar.constants.holidays)
LATER = LAST_ANNOUNCED + 1


def test_an_announced_year_comes_from_chinesecalendar_with_make_up_workdays():
	found = statutory_year("CN", LAST_ANNOUNCED)
	assert found.source == "chinesecalendar" and found.missing is None and found.workdays


def test_a_later_year_has_the_laws_holidays_without_the_arrangement():
	found = statutory_year("CN", LATER)
	assert found.source == "holidays" and found.workdays == []
	named = dict(found.holidays)
	assert date(LATER, 1, 1) in named and date(LATER, 10, 1) in named and date(LATER, 5, 1) in named
	# the 2024 revision of the law: 13 days (Spring Festival 4, Labour Day 2, National Day 3, four of 1)
	assert len(found.holidays) == 13
	assert all(d.year == LATER for d, _n in found.holidays)
	# no observed (moved) days: those are the year's arrangement, which the message says is missing
	assert not any("observed" in n.lower() for _d, n in found.holidays)
	assert str(LATER) in found.missing and "make-up workdays" in found.missing


def test_holiday_names_follow_the_language():
	assert dict(statutory_year("CN", LATER, language="zh").holidays)[date(LATER, 10, 1)] == "国庆节"
	assert dict(statutory_year("CN", LATER, language="en").holidays)[date(LATER, 10, 1)] == "National Day"
	assert dict(statutory_year("CN", LATER).holidays)[date(LATER, 10, 1)] == "National Day"
	assert dict(statutory_year("CN", 2024, language="zh-CN").holidays)[date(2024, 10, 1)] == "国庆节"
	# a language the country's names do not exist in: the country's default names
	assert (date(2024, 7, 4), "Independence Day") in statutory_year("US", 2024, language="zh").holidays


HOLIDAYS_2026 = [date(2026, 1, 1), date(2026, 10, 1)]


def test_years_without_holidays_in_a_validity():
	assert last_holiday_year(HOLIDAYS_2026) == 2026 and last_holiday_year([]) is None
	assert years_without_holidays(date(2026, 1, 1), date(2027, 9, 30), HOLIDAYS_2026) == [2027]
	assert years_without_holidays(date(2026, 1, 1), date(2026, 12, 31), HOLIDAYS_2026) == []
	assert years_without_holidays(date(2025, 6, 1), date(2028, 1, 1), HOLIDAYS_2026) == [2025, 2027, 2028]
	assert years_without_holidays(date(2027, 1, 1), date(2026, 1, 1), HOLIDAYS_2026) == []


def test_a_calendar_without_country_or_holidays_keeps_none():
	assert expects_holidays("CN", []) and expects_holidays(None, HOLIDAYS_2026)
	assert not expects_holidays("", []) and not expects_holidays(None, iter(()))


@pytest.mark.parametrize(
	("today", "expected"),
	[
		(date(2026, 11, 30), None),  # before the reminder season
		(date(2026, 12, 1), 2027),
		(date(2026, 12, 31), 2027),
		(date(2025, 12, 15), None),  # 2026 has holidays
	],
)
def test_reminder_year(today, expected):
	assert reminder_year(today, HOLIDAYS_2026) == expected
