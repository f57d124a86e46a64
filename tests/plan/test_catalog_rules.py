"""Pure rules of the service catalog: its lifecycle (engine.lifecycle) and rows (engine.plan_rules)."""

import pytest

from sla_management.engine import lifecycle, plan_rules as rules

A = lifecycle.CATALOG


def test_happy_path_of_a_catalog():
	status = "Draft"
	for action, expected in [
		("submit_for_review", "In Review"),
		("return_to_draft", "Draft"),
		("submit_for_review", "In Review"),
		("approve", "Approved"),
		("publish", "Published"),
		("archive", "Archived"),
	]:
		status = lifecycle.next_status(A, action, status)
		assert status == expected
	assert lifecycle.next_status(A, "new_version", "Archived") == "Draft"
	assert lifecycle.next_status(A, "new_version", "Published") == "Draft"


@pytest.mark.parametrize(
	("action", "status"),
	[
		("approve", "Draft"),
		("publish", "In Review"),
		("publish", "Draft"),
		("submit_for_review", "Approved"),
		("return_to_draft", "Approved"),
		("archive", "Approved"),
		("new_version", "Draft"),
		("new_version", "In Review"),
		("approve", None),
	],
)
def test_actions_refused_from_wrong_status(action, status):
	with pytest.raises(lifecycle.TransitionError):
		lifecycle.next_status(A, action, status)


def test_every_status_is_reachable_and_known():
	targets = {t.to_status for t in A.values()}
	sources = {s for t in A.values() for s in t.from_statuses}
	assert targets | sources == set(rules.CATALOG_STATUSES)


def test_next_version():
	assert rules.next_version([]) == 1
	assert rules.next_version([1, 3, 2]) == 4
	assert rules.next_version([None, 0]) == 1


def test_diff_rows_added_removed_changed():
	old = {
		"r1": {"service_item": "Desk", "content": "<p>x</p>", "capability_confirmed": 1},
		"r2": {"service_item": "Network", "content": None, "capability_confirmed": 0},
	}
	fields = ("service_item", "content", "capability_confirmed")
	same = rules.diff_rows(
		old,
		[
			("r1", dict(old["r1"])),
			("r2", {"service_item": "Network", "content": "", "capability_confirmed": 0}),
		],
		fields,
	)
	assert not same.any
	changes = rules.diff_rows(
		old,
		[("r1", {"service_item": "Desk", "content": "<p>y</p>", "capability_confirmed": True}), (None, {})],
		fields,
	)
	assert changes.any
	assert changes.added == ("#2",)
	assert changes.removed == ("r2",)
	assert changes.changed == {"r1": ("content",)}


def test_loose_comparison_of_form_values():
	assert rules.changed_fields({"a": 1, "b": None, "c": 3600}, {"a": "1", "b": "", "c": 3600.0}, "abc") == ()
	assert rules.changed_fields({"a": 0}, {"a": 1}, "a") == ("a",)
	assert rules.changed_fields({"a": "x "}, {"a": "x"}, "a") == ()


def test_unconfirmed_items():
	rows = [
		{"service_item": "Desk", "capability_confirmed": 1},
		{"service_item": "Network", "capability_confirmed": 0},
		{"service_item": "Backup"},
	]
	assert rules.unconfirmed(rows) == ["Network", "Backup"]
	assert rules.unconfirmed([]) == []
