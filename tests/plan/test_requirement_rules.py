"""Pure rules of SLA requirement metrics (sla_management.engine.plan_rules), no bench needed."""

import pytest

from sla_management.engine import lifecycle, plan_rules as rules


@pytest.mark.parametrize(
	("metric", "unit"),
	[
		("Availability Hours", "Hours"),
		("Availability", "Percent"),
		("Number of Failures", "Count"),
		("Failure Frequency", "Count per Month"),
		("Failure Frequency", "Count per Year"),
		("Failure Duration", "Hours"),
		("Failure Duration", "Minutes"),
		("Response Time", "Hours"),
		("Response Time", "Minutes"),
		("Resolution Time", "Hours"),
		("Resolution Time", "Minutes"),
	],
)
def test_consistent_units_pass(metric, unit):
	assert rules.check_metric(metric, unit, 1) == []


@pytest.mark.parametrize(
	("metric", "unit"),
	[
		("Availability", "Hours"),
		("Availability Hours", "Percent"),
		("Number of Failures", "Count per Month"),
		("Failure Frequency", "Count"),
		("Failure Duration", "Count"),
		("Response Time", "Percent"),
		("Resolution Time", "Count per Year"),
	],
)
def test_inconsistent_units_are_reported(metric, unit):
	assert rules.check_metric(metric, unit, 1) == [rules.UNIT_MISMATCH]


def test_every_metric_and_unit_is_covered():
	assert set(rules.METRIC_UNITS) == set(rules.METRICS)
	assert {u for units in rules.METRIC_UNITS.values() for u in units} == set(rules.UNITS)
	for metric in rules.METRICS:
		assert rules.default_unit(metric) == rules.allowed_units(metric)[0]


def test_negative_value_and_percent_limits():
	assert rules.check_metric("Response Time", "Minutes", -0.5) == [rules.NEGATIVE_VALUE]
	assert rules.check_metric("Availability", "Percent", 100) == []
	assert rules.check_metric("Availability", "Percent", 0) == []
	assert rules.check_metric("Availability", "Percent", 100.01) == [rules.PERCENT_OVER_100]
	assert rules.check_metric("Number of Failures", "Count", None) == []


def test_missing_or_unknown_metric_and_unit():
	assert rules.check_metric(None, "Hours", 1) == [rules.UNKNOWN_METRIC]
	assert rules.check_metric("Uptime", "Hours", 1) == [rules.UNKNOWN_METRIC]
	assert rules.check_metric("Response Time", None, 1) == [rules.MISSING_UNIT]
	assert rules.check_metric("Response Time", "", 1) == [rules.MISSING_UNIT]
	assert rules.allowed_units(None) == ()
	assert rules.default_unit("Uptime") is None


def test_several_problems_at_once():
	assert rules.check_metric("Response Time", "Percent", 150) == [
		rules.UNIT_MISMATCH,
		rules.PERCENT_OVER_100,
	]


def test_metric_key_normalises_priority_and_empty_values():
	assert rules.metric_key("Response Time", None, " P1 ") == rules.metric_key("Response Time", "", "p1")
	assert rules.metric_key("Response Time", "Desktop", "P1") != rules.metric_key("Response Time", None, "P1")
	assert rules.metric_key("Response Time", None, None) == ("Response Time", "", "")


def test_find_duplicates_reports_each_repeat_against_the_first():
	assert rules.find_duplicates([]) == []
	assert rules.find_duplicates(["a", "b", "c"]) == []
	assert rules.find_duplicates(["a", "b", "a", "b", "a"]) == [(1, 3), (2, 4), (1, 5)]
	keys = [
		rules.metric_key("Response Time", None, "P1"),
		rules.metric_key("Resolution Time", None, "P1"),
		rules.metric_key("Response Time", "", "p1"),
	]
	assert rules.find_duplicates(keys) == [(1, 3)]


def test_requirement_transitions():
	assert lifecycle.next_status(lifecycle.REQUIREMENT, "confirm", "Draft") == "Confirmed"
	assert lifecycle.next_status(lifecycle.REQUIREMENT, "reopen", "Confirmed") == "Draft"
	with pytest.raises(lifecycle.TransitionError) as err:
		lifecycle.next_status(lifecycle.REQUIREMENT, "confirm", "Confirmed")
	assert err.value.allowed_from == ("Draft",)
	assert isinstance(err.value, ValueError)
	with pytest.raises(KeyError):
		lifecycle.next_status(lifecycle.REQUIREMENT, "approve", "Draft")
