"""Business durations read as hours of working time, never as calendar days."""

import math

import pytest

from sla_management.engine.durations import business_seconds_text, format_business_seconds, time_left_text


@pytest.mark.parametrize(
	("seconds", "text"),
	[
		(24 * 3600, "24 h"),
		(52.5 * 3600, "52.5 h"),
		(3600, "1 h"),
		(3600 + 15 * 60, "1.25 h"),
		(3600 + 20 * 60, "1.33 h"),
		(30 * 60, "30 min"),
		(59 * 60 + 40, "1 h"),
		(90, "2 min"),
		(59, "59 s"),
		(45, "45 s"),
		(0, "0 s"),
		(200 * 3600, "200 h"),
	],
)
def test_hours_minutes_seconds(seconds, text):
	assert business_seconds_text(seconds) == text
	assert format_business_seconds(seconds) == text


def test_a_target_says_business_and_never_days():
	assert format_business_seconds(24 * 3600, business=True) == "24 h (business)"
	assert "d" not in format_business_seconds(5 * 86400).replace("(business)", "")


def test_negative_keeps_its_sign_and_none_or_nan_is_a_dash():
	assert format_business_seconds(-1.5 * 3600) == "-1.5 h"
	assert format_business_seconds(-0.2) == "0 s"
	assert format_business_seconds(None) == "-"
	assert business_seconds_text(math.nan) == "-"


def test_time_left_or_overdue():
	assert time_left_text(3.5 * 3600) == "3 h 30 min left"
	assert time_left_text(6769) == "1 h 53 min left"
	assert time_left_text(52 * 3600) == "52 h left"
	assert time_left_text(30) == "30 s left"
	assert time_left_text(-20 * 60) == "overdue by 20 min"
	assert time_left_text(None) == "-"
