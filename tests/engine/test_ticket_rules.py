"""Status rules of a ticket type: duplicates and conflicts are found, a sound set passes."""

from sla_management.engine import ticket_rules as tr
from sla_management.engine.vocabulary import PAUSE, REOPEN, RESOLVE, RESPOND


def rules(*pairs):
	return [tr.StatusRule(i, status, effect) for i, (status, effect) in enumerate(pairs, start=1)]


def test_default_issue_rules_are_sound():
	assert (
		tr.status_rule_problems(
			rules(("Replied", RESPOND), ("Replied", PAUSE), ("On Hold", PAUSE), ("Resolved", RESOLVE))
		)
		== []
	)


def test_a_status_twice_for_one_effect_is_a_duplicate():
	problems = tr.status_rule_problems(rules(("On Hold", PAUSE), ("Open", REOPEN), ("On Hold", PAUSE)))
	assert problems == [tr.RuleProblem(tr.DUPLICATE_RULE, 3, ("On Hold",), PAUSE)]


def test_resolving_and_pausing_or_reopening_the_same_status_conflicts():
	problems = tr.status_rule_problems(
		rules(("Closed", RESOLVE), ("Closed", PAUSE), ("Open", REOPEN), ("Closed", REOPEN))
	)
	assert problems == [tr.RuleProblem(tr.CONFLICTING_RULES, statuses=("Closed", "Closed"))]


def test_a_duplicate_is_reported_before_a_conflict():
	problems = tr.status_rule_problems(rules(("Closed", RESOLVE), ("Closed", PAUSE), ("Closed", PAUSE)))
	assert [p.kind for p in problems] == [tr.DUPLICATE_RULE]
