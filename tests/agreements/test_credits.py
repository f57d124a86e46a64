"""Service credits: the highest applying step of the schedule, not the sum (engine.credits)."""

import pytest
from hypothesis import given, strategies as st

from sla_management.engine.credits import agreement_credit_owed, credit_owed, credit_percent

SCHEDULE = [(99.5, 5), (99.0, 10), (95.0, 25)]


@pytest.mark.parametrize(
	("availability", "expected"),
	[
		(100, (0, 0)),
		(99.5, (0, 0)),  # exactly the threshold is not below it
		(99.49, (5, 100)),
		(99.0, (5, 100)),
		(98.7, (10, 200)),  # two steps apply: the higher one, not 5 + 10
		(50, (25, 500)),
		(None, (0, 0)),  # not measurable owes nothing
	],
)
def test_highest_applying_step(availability, expected):
	assert credit_owed(availability, SCHEDULE, 2000) == expected


def test_item_steps_and_general_steps():
	schedule = [
		{"availability_below": 99.5, "credit_percent": 5, "service_item": None},
		{"availability_below": 99.9, "credit_percent": 7, "service_item": "VPN"},
	]
	assert credit_owed(99.8, schedule, 1000, "VPN") == (7, 70)
	assert credit_owed(99.8, schedule, 1000, "Email") == (0, 0)
	assert credit_owed(99.0, schedule, 1000, "VPN") == (7, 70)
	assert credit_owed(99.0, schedule, 1000, "Email") == (5, 50)


def test_amount_rounds_to_cents_and_percent_is_capped():
	assert credit_owed(90, [(99, 3.333)], 1234.56) == (3.333, 41.15)
	assert credit_owed(90, [(99, 150)], 100) == (100, 100)
	assert credit_owed(90, [], 100) == (0, 0)
	assert credit_owed(90, SCHEDULE, None) == (25, 0)


def test_agreement_takes_its_worst_item():
	assert agreement_credit_owed({"Email": 99.7, "VPN": 98.0, "Printer": None}, SCHEDULE, 1000) == (10, 100)
	assert agreement_credit_owed({}, SCHEDULE, 1000) == (0, 0)


@given(
	st.floats(0, 100),
	st.lists(st.tuples(st.floats(0.01, 100), st.floats(0, 100)), max_size=6),
)
def test_against_a_brute_force_oracle(availability, schedule):
	# oracle: walk the steps one by one and keep the largest credit whose threshold is above the figure
	best = 0.0
	for below, percent in schedule:
		if availability < below and percent > best:
			best = percent
	assert credit_percent(availability, schedule) == best
