"""The counting rule, project rates and the KPI of the pure core (engine/attainment.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sla_management.engine import EngineError
from sla_management.engine.attainment import (
	AVAILABILITY,
	BREACHED,
	CANCELLED,
	MET,
	MTTR,
	PAUSED,
	RESOLUTION,
	RESPONSE,
	RUNNING,
	STATUSES,
	Count,
	Key,
	TimerColumns,
	TimerRow,
	count_targets,
	kpi,
	project_counts,
	project_rates,
	timer_outcome,
)

JAN, FEB, MAR = datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)


def row(status, stop=None, breach=None, agreement="A", project="P", metric=RESPONSE, priority="High"):
	return TimerRow(agreement, project, metric, priority, "I", status, stop, breach)


def total(counts) -> Count:
	return sum(counts.values(), Count(0, 0))


def test_met_counts_in_the_period_of_its_stop():
	t = [row(MET, stop=datetime(2026, 1, 31, 23, 59))]
	assert total(count_targets(t, JAN, FEB)) == (1, 1)
	assert total(count_targets(t, FEB, MAR)) == (0, 0)


def test_stop_exactly_at_period_end_belongs_to_the_next_period():
	t = [row(MET, stop=FEB)]
	assert count_targets(t, JAN, FEB) == {}
	assert total(count_targets(t, FEB, MAR)) == (1, 1)
	assert total(count_targets([row(MET, stop=JAN)], JAN, FEB)) == (1, 1)  # start is inside


def test_breach_counts_where_it_breached_even_if_running_or_stopped_later():
	running = row(BREACHED, breach=datetime(2026, 1, 20))
	stopped_later = row(BREACHED, stop=datetime(2026, 2, 3), breach=datetime(2026, 1, 31, 18))
	assert total(count_targets([running, stopped_later], JAN, FEB)) == (0, 2)
	assert count_targets([running, stopped_later], FEB, MAR) == {}
	assert total(count_targets([row(BREACHED, breach=FEB)], FEB, MAR)) == (0, 1)


def test_running_paused_and_cancelled_are_not_measured():
	t = [
		row(RUNNING),
		row(PAUSED),
		row(CANCELLED, stop=datetime(2026, 1, 5)),
		row(CANCELLED, breach=datetime(2026, 1, 5)),
	]
	assert count_targets(t, JAN, FEB) == {}


def test_counts_per_key():
	t = [
		row(MET, stop=datetime(2026, 1, 2)),
		row(BREACHED, breach=datetime(2026, 1, 3)),
		row(MET, stop=datetime(2026, 1, 4), metric=RESOLUTION),
		row(MET, stop=datetime(2026, 1, 4), priority="Low"),
		row(MET, stop=datetime(2026, 1, 4), agreement="B", project="Q"),
	]
	c = count_targets(t, JAN, FEB)
	assert c == {
		Key("A", "P", RESPONSE, "High", "I"): Count(1, 2),
		Key("A", "P", RESOLUTION, "High", "I"): Count(1, 1),
		Key("A", "P", RESPONSE, "Low", "I"): Count(1, 1),
		Key("B", "Q", RESPONSE, "High", "I"): Count(1, 1),
	}


def test_limit_checks_count_as_one_target_each_none_not_measured():
	checks = [
		("A", "P", "I", "availability_pct", True),
		("A", "P", "I", "mttr_seconds", False),
		("A", "P", "I", "failures_per_month", None),
		("A", "P", "J", AVAILABILITY, False),
	]
	c = count_targets([], JAN, FEB, checks=checks)
	assert c == {
		Key("A", "P", AVAILABILITY, "", "I"): Count(1, 1),
		Key("A", "P", MTTR, "", "I"): Count(0, 1),
		Key("A", "P", AVAILABILITY, "", "J"): Count(0, 1),
	}
	with pytest.raises(EngineError):
		count_targets([], JAN, FEB, checks=[("A", "P", "I", "nonsense", True)])


def test_project_rate_over_all_agreement_versions():
	counts = {
		Key("A-v1", "P", RESPONSE, "High", "I"): Count(3, 4),
		Key("A-v2", "P", RESOLUTION, "High", "I"): Count(5, 6),
		Key("B", "Q", RESPONSE, "High", "I"): Count(1, 1),
	}
	rates = project_rates(counts)
	assert rates == {"P": Count(8, 10), "Q": Count(1, 1)}
	assert rates["P"].rate == 0.8


def test_kpi_is_mean_of_project_rates_not_ticket_weighted_share():
	# P: 90 of 100 met (90 %), Q: 1 of 1 met (100 %): KPI 95 %, the weighted share 91/101 ≈ 90.1 %
	result = kpi({"P": Count(90, 100), "Q": Count(1, 1)}, 0.95)
	assert result.value == pytest.approx(0.95)
	assert result.weighted_share == pytest.approx(91 / 101)
	assert result.value != pytest.approx(result.weighted_share)
	assert result.below == ("P",)
	assert result.on_target is True


def test_projects_without_measured_targets_are_listed_apart():
	result = kpi({"P": Count(1, 2), "Q": Count(0, 0)}, projects=["P", "Q", "R"])
	assert result.value == 0.5
	assert result.unmeasured == ("Q", "R")
	assert set(result.rates) == {"P"}
	empty = kpi({}, projects=["R"])
	assert empty.value is None and empty.unmeasured == ("R",) and empty.on_target is None


def test_exactly_on_target_is_not_below():
	assert kpi({"P": Count(19, 20)}, 0.95).below == ()
	assert kpi({"P": Count(18, 20)}, 0.95).below == ("P",)


def test_bad_input():
	with pytest.raises(EngineError):
		count_targets([row("Nonsense")], JAN, FEB)
	with pytest.raises(EngineError):
		count_targets([], FEB, JAN)
	with pytest.raises(EngineError):
		kpi({"P": Count(1, 1)}, 95)
	with pytest.raises(EngineError):
		kpi({"P": Count(2, 1)})


def test_aware_instants_are_compared_in_utc():
	cst = timezone(timedelta(hours=8))
	t = [row(MET, stop=datetime(2026, 2, 1, 7, 0, tzinfo=cst))]  # 31 Jan 23:00 UTC
	jan = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 2, 1, tzinfo=timezone.utc))
	assert total(count_targets(t, *jan)) == (1, 1)


# property test against a brute-force oracle ------------------------------------------------------------

BASE = datetime(2026, 1, 1)
instants = st.one_of(st.none(), st.integers(0, 90 * 24).map(lambda h: BASE + timedelta(hours=h)))
timer_rows = st.builds(
	TimerRow,
	st.sampled_from(["A1", "A2", "B1"]),
	st.sampled_from(["P", "Q"]),
	st.sampled_from([RESPONSE, RESOLUTION]),
	st.sampled_from(["High", "Low", ""]),
	st.sampled_from(["I", "J"]),
	st.sampled_from(STATUSES),
	instants,
	instants,
)


def oracle(timers, start, end):
	out: dict = {}
	for t in timers:
		outcome = timer_outcome(t.status, t.stop, t.breach_at, start, end)
		if outcome is None:
			continue
		key = Key(t.agreement, t.project, t.metric, t.priority, t.service_item)
		met, n = out.get(key, (0, 0))
		out[key] = Count(met + outcome, n + 1)
	return out


@settings(max_examples=300, deadline=None)
@given(st.lists(timer_rows, max_size=60), st.integers(0, 60), st.integers(1, 40))
def test_count_targets_matches_oracle(timers, a, length):
	start = BASE + timedelta(days=a)
	end = start + timedelta(days=length)
	got = count_targets(timers, start, end)
	assert got == oracle(timers, start, end)
	assert count_targets(TimerColumns.from_rows(timers), start, end) == got
	rates = project_rates(got)
	assert project_counts(timers, start, end) == rates
	k = kpi(rates)
	measured = [c.met / c.measured for c in rates.values() if c.measured]
	assert (k.value is None) == (not measured)
	if measured:
		assert k.value == pytest.approx(sum(measured) / len(measured))


def test_columns_with_many_labels_take_the_row_path():
	n = 2000
	cols = TimerColumns(
		agreement=np.arange(n),
		project=np.arange(n),
		metric=np.zeros(n, dtype=np.int64),
		priority=np.arange(n),
		service_item=np.arange(n),
		status=np.full(n, 2, dtype=np.int8),
		stop=np.full(n, np.datetime64("2026-01-05", "us")),
		breach_at=np.full(n, np.datetime64("NaT", "us")),
		labels={  # 10^20 combinations: more than one int64 code holds
			"agreement": list(range(100_000)),
			"project": list(range(100_000)),
			"metric": [RESPONSE],
			"priority": list(range(100_000)),
			"service_item": list(range(100_000)),
		},
	)
	c = count_targets(cols, JAN, FEB)
	assert len(c) == n and all(v == (1, 1) for v in c.values())
	assert c[Key(7, 7, RESPONSE, 7, 7)] == (1, 1)


def test_periods():
	from datetime import date

	from sla_management.engine.attainment import finished_on, latest_finished, months_of, period_bounds

	assert period_bounds("Month", date(2026, 12, 1)) == (date(2026, 12, 1), date(2027, 1, 1))
	assert period_bounds("Quarter", date(2026, 10, 1)) == (date(2026, 10, 1), date(2027, 1, 1))
	assert period_bounds("Year", date(2026, 1, 1)) == (date(2026, 1, 1), date(2027, 1, 1))
	for bad in (("Quarter", date(2026, 2, 1)), ("Month", date(2026, 2, 2)), ("Week", date(2026, 2, 1))):
		with pytest.raises(EngineError):
			period_bounds(*bad)
	assert [a.month for a, _b in months_of("Quarter", date(2026, 4, 1))] == [4, 5, 6]
	assert latest_finished("Month", date(2026, 1, 1)) == date(2025, 12, 1)
	assert latest_finished("Month", date(2026, 3, 20)) == date(2026, 2, 1)
	assert latest_finished("Quarter", date(2026, 3, 20)) == date(2025, 10, 1)
	assert latest_finished("Year", date(2026, 3, 20)) == date(2025, 1, 1)
	assert finished_on(date(2026, 1, 1)) == [
		("Month", date(2025, 12, 1)),
		("Quarter", date(2025, 10, 1)),
		("Year", date(2025, 1, 1)),
	]
	assert finished_on(date(2026, 4, 1)) == [("Month", date(2026, 3, 1)), ("Quarter", date(2026, 1, 1))]
	assert finished_on(date(2026, 5, 1)) == [("Month", date(2026, 4, 1))]
	assert finished_on(date(2026, 5, 2)) == []
