"""Pure rules of the service level agreement: lifecycle on a date, renewal reminders, targets, overlap
and requirement traceability (no bench needed)."""

from datetime import date

import pytest

from sla_management.engine import agreement_rules as r, plan_rules as p

JAN1, JUN30, DEC31 = date(2026, 1, 1), date(2026, 6, 30), date(2026, 12, 31)


# ----------------------------------------------------------------- lifecycle on a date


@pytest.mark.parametrize(
	("status", "today", "expected"),
	[
		(r.SIGNED, date(2025, 12, 31), r.SIGNED),
		(r.SIGNED, JAN1, r.ACTIVE),
		(r.SIGNED, DEC31, r.ACTIVE),
		(r.ACTIVE, DEC31, r.ACTIVE),
		(r.ACTIVE, date(2027, 1, 1), r.EXPIRED),
		(r.SIGNED, date(2027, 1, 1), r.EXPIRED),
	],
)
def test_signed_and_active_follow_the_validity(status, today, expected):
	assert r.status_on(status, JAN1, DEC31, today) == expected


@pytest.mark.parametrize("status", [r.DRAFT, r.IN_REVIEW, r.EXPIRED, r.SUPERSEDED, r.CANCELLED])
def test_other_statuses_never_move_with_the_calendar(status):
	for today in (date(2025, 6, 1), JUN30, date(2027, 6, 1)):
		assert r.status_on(status, JAN1, DEC31, today) == status


def test_status_on_is_idempotent():
	for today in (date(2025, 6, 1), JUN30, date(2027, 6, 1)):
		once = r.status_on(r.SIGNED, JAN1, DEC31, today)
		assert r.status_on(once, JAN1, DEC31, today) == once


def test_newest_active_version_supersedes_older_live_ones():
	versions = [
		r.Version("A-1", 1, r.ACTIVE),
		r.Version("A-2", 2, r.SIGNED),
		r.Version("A-3", 3, r.ACTIVE),
		r.Version("A-0", 0, r.EXPIRED),
	]
	assert r.superseded(versions) == {"A-1": "A-3", "A-2": "A-3"}


def test_a_newer_signed_version_does_not_supersede_before_it_starts():
	assert r.superseded([r.Version("A-1", 1, r.ACTIVE), r.Version("A-2", 2, r.SIGNED)]) == {}
	assert r.superseded([]) == {}


def test_superseding_twice_changes_nothing():
	versions = [r.Version("A-1", 1, r.SUPERSEDED), r.Version("A-2", 2, r.ACTIVE)]
	assert r.superseded(versions) == {}


# ----------------------------------------------------------------- renewal reminder


@pytest.mark.parametrize(
	("today", "due"),
	[(date(2026, 11, 30), False), (date(2026, 12, 1), True), (DEC31, True), (date(2027, 1, 1), False)],
)
def test_reminder_window(today, due):
	assert r.reminder_due(r.ACTIVE, DEC31, 30, None, today) is due


def test_reminder_goes_out_once_and_only_for_active_unrenewed_agreements():
	today = date(2026, 12, 20)
	assert not r.reminder_due(r.ACTIVE, DEC31, 30, date(2026, 12, 1), today)
	assert not r.reminder_due(r.SIGNED, DEC31, 30, None, today)
	assert not r.reminder_due(r.ACTIVE, DEC31, 30, None, today, renewed=True)
	assert not r.reminder_due(r.ACTIVE, DEC31, 0, None, today)
	assert not r.reminder_due(r.ACTIVE, DEC31, None, None, today)


def test_next_period_keeps_the_length():
	assert r.next_period(JAN1, DEC31) == (date(2027, 1, 1), date(2027, 12, 31))


# ----------------------------------------------------------------- targets


def kinds(problems):
	return [(x.kind, x.idx) for x in problems]


def test_good_targets_have_no_problems():
	targets = [
		r.Target(1, "Email", "P1", 900, 4 * 3600),
		r.Target(2, "Email", "P2", 3600, None),
		r.Target(3, None, None, 7200, 86400, default_target=True),
	]
	assert r.target_problems(targets, ["Email", "VPN"], has_calendar=True) == []


def test_each_target_rule_is_reported_on_its_row():
	targets = [
		r.Target(1, "Printer", "P1", 900, 3600),
		r.Target(2, "Email", "P1", 900, 3600),
		r.Target(3, "Email", " P1 ", 600, 3600),
		r.Target(4, "Email", "P2", -5, 3600),
		r.Target(5, "Email", "P3", 0, 0),
		r.Target(6, "Email", "P4", 7200, 3600),
	]
	assert kinds(r.target_problems(targets, ["Email"], has_calendar=True)) == [
		(r.ITEM_NOT_IN_AGREEMENT, 1),
		(r.DUPLICATE_TARGET, 3),
		(r.NEGATIVE_TARGET, 4),
		(r.EMPTY_TARGET, 5),
		(r.RESOLUTION_BEFORE_RESPONSE, 6),
	]
	assert r.target_problems(targets, ["Email"], True)[1].values == (2,)


def test_targets_need_a_calendar_and_one_default_at_most():
	targets = [r.Target(1, None, None, 60, 120, True), r.Target(2, None, "P1", 60, 120, True)]
	assert kinds(r.target_problems(targets, [], has_calendar=False)) == [
		(r.CALENDAR_REQUIRED, 1),
		(r.SEVERAL_DEFAULTS, 2),
	]
	assert r.target_problems([], [], has_calendar=False) == []


def test_unknown_items_keeps_order_without_repeats():
	assert r.unknown_items(["B", "A", "B", "C"], {"A"}) == ["B", "C"]


# ----------------------------------------------------------------- overlap

ACME = ("Customer", "Acme")


def cov(items, targets, start=JAN1, end=DEC31, customer=ACME):
	return r.coverage(customer, start, end, items, targets)


def test_same_item_and_priority_in_overlapping_periods_overlap():
	a = cov(["Email"], [r.Target(1, "Email", "P1", 60)])
	b = cov(["Email", "VPN"], [r.Target(1, None, "P1", 60)], start=JUN30, end=date(2027, 6, 30))
	assert r.overlaps(a, b) and r.overlaps(b, a)


def test_any_priority_and_all_items_cover_everything():
	a = cov([], [])
	b = cov(["VPN"], [r.Target(1, "VPN", "P3", 60)])
	assert r.overlaps(a, b)


@pytest.mark.parametrize(
	"b",
	[
		cov(["Email"], [r.Target(1, "Email", "P2", 60)]),
		cov(["VPN"], [r.Target(1, "VPN", "P1", 60)]),
		cov(["Email"], [r.Target(1, "Email", "P1", 60)], start=date(2027, 1, 1), end=date(2027, 12, 31)),
		cov(["Email"], [r.Target(1, "Email", "P1", 60)], customer=("Customer", "Other")),
	],
)
def test_different_priority_item_period_or_customer_do_not_overlap(b):
	a = cov(["Email"], [r.Target(1, "Email", "P1", 60)])
	assert not r.overlaps(a, b)


def test_periods_touching_on_one_day_overlap():
	a = cov(["Email"], [], end=JUN30)
	b = cov(["Email"], [], start=JUN30)
	assert r.overlaps(a, b)


# ----------------------------------------------------------------- traceability


def test_response_line_is_answered_by_the_linked_row_first():
	m = r.Metric("REQ-1", p.RESPONSE_TIME, "Email", "P1")
	targets = [
		r.Target(1, "Email", "p1", 600, 3600),
		r.Target(2, None, None, 900, 7200, requirement_metric="REQ-1"),
	]
	assert r.answer(m, targets, {}) == r.Answer("response_time", 900, 2)
	assert r.answer(m, targets[:1], {}) == r.Answer("response_time", 600, 1)


def test_agreement_level_metrics_and_unanswered_lines():
	metrics = [
		r.Metric("M1", p.AVAILABILITY),
		r.Metric("M2", p.NUMBER_OF_FAILURES),
		r.Metric("M3", p.RESOLUTION_TIME, "Email", "P1"),
		r.Metric("M4", p.AVAILABILITY_HOURS),
		r.Metric("M5", p.FAILURE_DURATION),
	]
	targets = [r.Target(1, "Email", "P1", 600, None)]
	values = {"availability_target": 99.5, "max_failures": 0, "calendar": "5x8", "max_failure_duration": 7200}
	assert [m.name for m in r.unanswered(metrics, targets, values)] == ["M2", "M3"]
	assert r.answer(metrics[3], targets, values) == r.Answer("calendar", "5x8")
