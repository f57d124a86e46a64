"""The pure ticket cycle: a ticket's life from its first save to a reopen, with look-ups faked as data.

Times are naive in UTC (the "system time zone" here); the agreement's calendar works 09:00–17:00 on
weekdays, so every deadline below is business time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sla_management.engine import selection, ticket_cycle as tc
from sla_management.engine.calendar import WorkingCalendar
from sla_management.engine.vocabulary import (
	BREACHED,
	CANCELLED,
	MET,
	NOT_APPLIED,
	PAUSE,
	PAUSED,
	REOPEN,
	RESOLUTION,
	RESOLVE,
	RESPOND,
	RESPONSE,
	RUNNING,
)

H = 3600
CAL = WorkingCalendar("UTC", {d: [("09:00", "17:00")] for d in range(5)}, horizon=(2025, 2028))
RULES = {
	PAUSE: frozenset({"On Hold"}),
	RESPOND: frozenset({"Replied"}),
	RESOLVE: frozenset({"Resolved", "Closed"}),
	REOPEN: frozenset(),
}
AGREEMENT = {
	"name": "AGR-1",
	"version": 1,
	"calendar": "5x8",
	"project": "PRJ-1",
	"customer_type": "Customer",
	"customer": "Bank",
	"items": [],
	"pause_statuses": frozenset(),
	"targets": [
		{"service_item": None, "priority": "High", "response_time": 1 * H, "resolution_time": 4 * H},
		{"service_item": None, "priority": "Low", "response_time": 4 * H, "resolution_time": 16 * H},
	],
}


def ticket(**kw) -> tc.Ticket:
	base = dict(
		doctype="Issue",
		name="ISS-1",
		customer_type="Customer",
		customer="Bank",
		project=None,
		service_item=None,
		priority="High",
		status="Open",
		opening=datetime(2026, 6, 1, 9, 0),  # a Monday
	)
	return tc.Ticket(**{**base, **kw})


def select(t: tc.Ticket) -> selection.Selection:
	if t.customer != "Bank":
		return selection.Selection(reason=selection.NO_AGREEMENT, params={"date": t.opening.date()})
	return selection.select_agreement(t.as_selection_input(), [{**AGREEMENT, "status": "Active"}])


PORTS = tc.Ports(
	select=select,
	terms=lambda name, modified=None: AGREEMENT,
	calendar=lambda name, modified=None: CAL,
	reason=lambda result: f"not covered: {result.reason}",
)


def save(t: tc.Ticket, timers, at: str, **kw) -> tc.Outcome:
	out = tc.sync(t, timers, at=datetime.fromisoformat(at), rules=RULES, levels=[], tz=UTC, ports=PORTS, **kw)
	for timer in out.timers:
		timer.mark_saved()  # as the Frappe layer does after writing them
	return out


def by_metric(out: tc.Outcome) -> dict:
	return {(t.data.metric, int(t.data.cycle)): t for t in out.timers}


def test_a_new_ticket_gets_one_timer_per_target_with_business_time_deadlines():
	out = save(ticket(), [], "2026-06-01 09:00")
	timers = by_metric(out)
	assert set(timers) == {(RESPONSE, 1), (RESOLUTION, 1)}
	assert timers[RESPONSE, 1].data.deadline == datetime(2026, 6, 1, 10, 0)
	assert timers[RESOLUTION, 1].data.deadline == datetime(2026, 6, 1, 13, 0)
	assert out.fields["status"] == RUNNING and out.fields["agreement"] == "AGR-1"
	assert out.fields["response_by"] == datetime(2026, 6, 1, 10, 0)


def test_an_uncovered_ticket_is_not_applied_with_the_ports_reason_and_no_timers():
	out = save(ticket(customer="Hospital"), [], "2026-06-01 09:00")
	assert out.timers == []
	assert out.fields == {"status": NOT_APPLIED, "note": "not covered: no_agreement"}


def test_a_ticket_older_than_sla_setup_gets_no_timers():
	out = save(ticket(), [], "2026-06-01 09:00", predates_setup=True)
	assert out.timers == [] and out.fields["status"] == NOT_APPLIED
	assert "before SLA was set up" in out.fields["note"]


def test_a_pause_status_pauses_and_its_time_moves_the_deadline():
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	paused = save(ticket(status="On Hold"), timers, "2026-06-01 09:30")
	assert paused.fields["status"] == PAUSED
	resumed = save(ticket(status="Open"), paused.timers, "2026-06-01 11:30")
	resolution = by_metric(resumed)[RESOLUTION, 1]
	assert resolution.data.paused_seconds == 2 * H
	assert resolution.data.deadline == datetime(2026, 6, 1, 15, 0)  # 13:00 + the 2 h paused


def test_a_reply_meets_the_response_and_a_resolve_status_meets_the_resolution():
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	replied = save(ticket(), timers, "2026-06-01 09:40", responded_at=datetime(2026, 6, 1, 9, 20))
	response = by_metric(replied)[RESPONSE, 1]
	assert response.data.status == MET and response.data.stop == datetime(2026, 6, 1, 9, 20)
	resolved = save(ticket(status="Resolved"), replied.timers, "2026-06-01 12:00")
	assert by_metric(resolved)[RESOLUTION, 1].data.status == MET
	assert resolved.fields["status"] == MET


def test_a_late_resolve_is_breached():
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	out = save(ticket(status="Resolved"), timers, "2026-06-02 09:00")
	assert by_metric(out)[RESOLUTION, 1].data.status == BREACHED
	assert out.fields["status"] == BREACHED


def test_reopening_a_resolved_ticket_starts_a_new_resolution_cycle_from_now():
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	resolved = save(ticket(status="Resolved"), timers, "2026-06-01 10:00").timers
	reopened = save(ticket(status="Open"), resolved, "2026-06-01 11:00")
	cycle2 = by_metric(reopened)[RESOLUTION, 2]
	assert cycle2.data.start == datetime(2026, 6, 1, 11, 0)
	assert cycle2.data.deadline == datetime(2026, 6, 1, 15, 0)
	assert "Reopened: cycle 2" in cycle2.data.target_history
	assert len(reopened.timers) == 3
	# saving again in the same state adds nothing
	assert len(save(ticket(status="Open"), reopened.timers, "2026-06-01 11:05").timers) == 3


def test_reopen_statuses_when_configured_are_the_only_ones_that_reopen():
	rules = {**RULES, REOPEN: frozenset({"Reopened"})}
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	resolved = save(ticket(status="Resolved"), timers, "2026-06-01 10:00").timers
	out = tc.sync(
		ticket(status="Open"),
		resolved,
		at=datetime(2026, 6, 1, 11),
		rules=rules,
		levels=[],
		tz=UTC,
		ports=PORTS,
	)
	assert len(out.timers) == 2


def test_a_priority_change_keeps_start_and_elapsed_time_with_the_new_target():
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	out = save(ticket(priority="Low"), timers, "2026-06-01 10:00")
	resolution = by_metric(out)[RESOLUTION, 1]
	assert resolution.data.start == datetime(2026, 6, 1, 9, 0)
	assert resolution.data.target_seconds == 16 * H
	assert resolution.data.deadline == datetime(2026, 6, 2, 17, 0)  # Monday 8 h + Tuesday 8 h
	assert "target 14400 s" in resolution.data.target_history


def test_a_priority_without_target_keeps_the_old_target_and_says_so():
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	out = save(ticket(priority="Urgent"), timers, "2026-06-01 10:00")
	assert by_metric(out)[RESOLUTION, 1].data.target_seconds == 4 * H
	assert "no target for priority Urgent" in out.fields["note"]


def test_losing_coverage_cancels_the_open_timers():
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	out = save(ticket(customer="Hospital"), timers, "2026-06-01 10:00")
	assert {t.data.status for t in out.timers} == {CANCELLED}
	assert out.fields["status"] == NOT_APPLIED and out.fields["note"] == "not covered: no_agreement"


def test_an_agreement_pause_status_pauses_too():
	terms = {**AGREEMENT, "pause_statuses": frozenset({"Waiting for Customer"})}
	ports = replace(PORTS, terms=lambda name, modified=None: terms)
	timers = save(ticket(), [], "2026-06-01 09:00").timers
	out = tc.sync(
		ticket(status="Waiting for Customer"),
		timers,
		at=datetime(2026, 6, 1, 9, 30),
		rules=RULES,
		levels=[],
		tz=UTC,
		ports=ports,
	)
	assert out.fields["status"] == PAUSED
