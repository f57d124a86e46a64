"""Rules of an SLA Ticket Type — which fields it may name and which status rules fit together — pure.

The SLA Ticket Type controller reads the ticket DocType's meta and turns the problems found here into
translated messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .vocabulary import PAUSE, REOPEN, RESOLVE

# field role -> field types it may have
FIELD_TYPES: dict[str, tuple[str, ...]] = {
	"customer_field": ("Link", "Dynamic Link", "Data"),
	"project_field": ("Link", "Data"),
	"service_item_field": ("Link", "Data"),
	"priority_field": ("Link", "Select", "Data"),
	"status_field": ("Select", "Link", "Data"),
	"opening_field": ("Datetime", "Date"),
	"opening_time_field": ("Time",),
}
STANDARD_DATETIME_FIELDS = ("creation", "modified")

DUPLICATE_RULE = "duplicate_rule"
CONFLICTING_RULES = "conflicting_rules"


@dataclass(frozen=True)
class StatusRule:
	idx: int
	status: str
	effect: str


@dataclass(frozen=True)
class RuleProblem:
	kind: str
	idx: int = 0
	statuses: tuple[str, ...] = ()
	effect: str = ""


def status_rule_problems(rules: Iterable[StatusRule]) -> list[RuleProblem]:
	"""A status listed twice for one effect; a status that both resolves and pauses or reopens.

	The first duplicate is reported (the form shows one message at a time), then any conflict."""
	rules = list(rules)
	seen = set()
	for rule in rules:
		key = (rule.status, rule.effect)
		if key in seen:
			return [RuleProblem(DUPLICATE_RULE, rule.idx, (rule.status,), rule.effect)]
		seen.add(key)
	resolve = {r.status for r in rules if r.effect == RESOLVE}
	clash = tuple(r.status for r in rules if r.effect in (PAUSE, REOPEN) and r.status in resolve)
	return [RuleProblem(CONFLICTING_RULES, statuses=clash)] if clash else []
