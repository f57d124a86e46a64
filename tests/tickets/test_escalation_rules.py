"""Pure tests of escalation level timing (sla_management.engine.escalation_rules)."""

from datetime import datetime, timedelta

from sla_management.engine import escalation_rules as er

T0 = datetime(2025, 6, 2, 9, 0)
LEVELS = er.levels_from_rows(
	[
		{"idx": 1, "level_name": "Warn", "trigger": er.PERCENT, "percent": 75, "metric": "Both"},
		{"idx": 2, "level_name": "Breach", "trigger": er.AFTER_BREACH, "offset": 0, "metric": "Both"},
		{"idx": 3, "level_name": "Late", "trigger": er.AFTER_BREACH, "offset": 7200, "metric": "Resolution"},
	]
)


def decide(fraction, breach_at=None, at=T0, last=0, metric="Resolution", levels=LEVELS):
	return er.due_levels(levels, metric, last, fraction=fraction, breach_at=breach_at, at=at)


def names(levels):
	return [lv.name for lv in levels]


def test_nothing_due_early():
	d = decide(0.5)
	assert d.notify == () and d.skip == () and d.last_level == 0


def test_percent_level_due():
	d = decide(0.75)
	assert names(d.notify) == ["Warn"] and d.last_level == 1
	# handled once: the same state later notifies nothing
	assert decide(0.8, last=1).notify == ()


def test_breach_levels_in_order_and_once():
	breach = T0
	d = decide(1.0, breach_at=breach, at=breach, last=1)
	assert names(d.notify) == ["Breach"] and d.last_level == 2
	assert decide(1.1, breach_at=breach, at=breach + timedelta(hours=1), last=2).notify == ()
	d = decide(1.5, breach_at=breach, at=breach + timedelta(hours=2), last=2)
	assert names(d.notify) == ["Late"] and d.last_level == 3


def test_late_sweep_skips_stale_warning_but_sends_breach():
	d = decide(1.2, breach_at=T0, at=T0 + timedelta(minutes=10))
	assert names(d.skip) == ["Warn"] and names(d.notify) == ["Breach"] and d.last_level == 2


def test_metric_filter():
	d = decide(1.5, breach_at=T0, at=T0 + timedelta(hours=3), last=2, metric="Response")
	assert d.notify == () and d.last_level == 3  # level 3 is resolution-only: done for response


def test_next_check_running():
	deadline = T0 + timedelta(hours=4)

	def at_fraction(f):
		return T0 + timedelta(hours=4 * f)

	nc = er.next_check(
		LEVELS,
		"Resolution",
		0,
		running=True,
		deadline=deadline,
		breach_at=None,
		instant_for_fraction=at_fraction,
	)
	assert nc == T0 + timedelta(hours=3)
	nc = er.next_check(
		LEVELS,
		"Resolution",
		1,
		running=True,
		deadline=deadline,
		breach_at=None,
		instant_for_fraction=at_fraction,
	)
	assert nc == deadline
	nc = er.next_check(
		LEVELS,
		"Resolution",
		2,
		running=True,
		deadline=deadline,
		breach_at=deadline,
		instant_for_fraction=at_fraction,
	)
	assert nc == deadline + timedelta(hours=2)
	assert (
		er.next_check(
			LEVELS,
			"Resolution",
			3,
			running=True,
			deadline=deadline,
			breach_at=deadline,
			instant_for_fraction=at_fraction,
		)
		is None
	)


def test_next_check_paused_or_no_levels():
	assert (
		er.next_check(
			LEVELS,
			"Resolution",
			0,
			running=False,
			deadline=T0,
			breach_at=None,
			instant_for_fraction=lambda f: T0,
		)
		is None
	)
	assert (
		er.next_check(
			[], "Response", 0, running=True, deadline=T0, breach_at=None, instant_for_fraction=lambda f: T0
		)
		== T0
	)


def test_order_problems():
	assert er.order_problems(LEVELS) == []
	bad = er.levels_from_rows(
		[
			{"trigger": er.AFTER_BREACH, "offset": 3600},
			{"trigger": er.PERCENT, "percent": 50},
			{"trigger": er.AFTER_BREACH, "offset": 0},
			{"trigger": er.PERCENT, "percent": 0},
		]
	)
	codes = er.order_problems(bad)
	assert ("out_of_order", 2) in codes and ("out_of_order", 3) in codes
	assert ("percent_not_positive", 4) in codes
