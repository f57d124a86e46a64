"""The declared lifecycles (sla_management.engine.lifecycle): tables, next_status, allowed_actions."""

import pytest

from sla_management.engine import lifecycle as lc
from sla_management.engine.roles import (
	ADMINISTRATOR,
	CUSTOMER,
	MANAGER_ROLES,
	OPERATIONS_MANAGER,
	PLANNER_ROLES,
	PROJECT_MANAGER,
	SYSTEM_MANAGER,
)
from sla_management.engine.vocabulary import AGREEMENT_STATUSES, CATALOG_STATUSES, REQUIREMENT_STATUSES

PLANNERS = (PROJECT_MANAGER, OPERATIONS_MANAGER, SYSTEM_MANAGER)
MANAGERS = (OPERATIONS_MANAGER, SYSTEM_MANAGER)

# (table, action, from, to, roles, label): every transition, written out once more by hand
EVERY_TRANSITION = [
	(lc.CATALOG, "submit_for_review", ("Draft",), "In Review", PLANNERS, "Submit for Review"),
	(lc.CATALOG, "approve", ("In Review",), "Approved", MANAGERS, "Approve"),
	(lc.CATALOG, "return_to_draft", ("In Review",), "Draft", PLANNERS, "Return to Draft"),
	(lc.CATALOG, "publish", ("Approved",), "Published", MANAGERS, "Publish"),
	(lc.CATALOG, "archive", ("Published",), "Archived", MANAGERS, "Archive"),
	(lc.CATALOG, "new_version", ("Published", "Archived"), "Draft", PLANNERS, "New Version"),
	(lc.REQUIREMENT, "confirm", ("Draft",), "Confirmed", PLANNERS, "Confirm"),
	(lc.REQUIREMENT, "reopen", ("Confirmed",), "Draft", PLANNERS, "Reopen"),
	(lc.AGREEMENT, "submit_for_review", ("Draft",), "In Review", PLANNERS, "Submit for Review"),
	(lc.AGREEMENT, "approve_review", ("In Review",), "Approved", MANAGERS, "Approve"),
	(lc.AGREEMENT, "return_to_draft", ("In Review", "Approved"), "Draft", PLANNERS, "Return to Draft"),
]


def test_role_sets():
	assert PLANNER_ROLES == PLANNERS
	assert MANAGER_ROLES == MANAGERS


@pytest.mark.parametrize(("table", "action", "froms", "to", "roles", "label"), EVERY_TRANSITION)
def test_every_transition(table, action, froms, to, roles, label):
	t = table[action]
	assert (t.action, t.from_statuses, t.to_status, t.roles, t.label) == (action, froms, to, roles, label)
	for status in froms:
		assert lc.next_status(table, action, status) == (status if to is lc.UNCHANGED else to)
	for status in set(table.statuses) - set(froms) | {None}:
		with pytest.raises(lc.TransitionError) as err:
			lc.next_status(table, action, status)
		assert (err.value.action, err.value.status, err.value.allowed_from) == (action, status, froms)


def test_tables_declare_nothing_else():
	for table in (lc.CATALOG, lc.REQUIREMENT, lc.AGREEMENT):
		assert [a for t, a, *_ in EVERY_TRANSITION if t is table] == list(table)
		assert table.initial == "Draft"
	assert (lc.CATALOG.statuses, lc.REQUIREMENT.statuses, lc.AGREEMENT.statuses) == (
		CATALOG_STATUSES,
		REQUIREMENT_STATUSES,
		AGREEMENT_STATUSES,
	)
	assert list(lc.CATALOG) == [
		"submit_for_review",
		"approve",
		"return_to_draft",
		"publish",
		"archive",
		"new_version",
	]


def test_copy_and_internal_actions():
	assert [a for a, t in lc.CATALOG.items() if t.creates_copy] == ["new_version"]
	assert [a for a, t in lc.CATALOG.items() if t.internal] == ["archive"]
	for table in (lc.REQUIREMENT, lc.AGREEMENT):
		assert not any(t.creates_copy or t.internal for t in table.values())


def test_agreement_approval_has_its_own_status():
	"""In Review waits for the Operations Manager; Approved waits for the customer's signature."""
	assert lc.next_status(lc.AGREEMENT, "approve_review", "In Review") == "Approved"
	assert lc.AGREEMENT["submit_for_review"].leads_to("Draft") == "In Review"
	assert lc.next_status(lc.AGREEMENT, "return_to_draft", "Approved") == "Draft"
	with pytest.raises(lc.TransitionError):
		lc.next_status(lc.AGREEMENT, "approve_review", "Approved")


def test_unchanged_transitions_keep_the_status():
	t = lc.Transition("note", ("Draft",), lc.UNCHANGED, ("R",), "Note")
	assert t.leads_to("Draft") == "Draft"
	assert lc.next_status(lc.Lifecycle(("Draft",), "Draft", [t]), "note", "Draft") == "Draft"


def test_approving_actions_record_what_they_approve():
	assert [a for a, t in lc.AGREEMENT.items() if t.approves] == ["approve_review"]
	assert [a for a, t in lc.CATALOG.items() if t.approves] == ["approve"]
	assert not any(t.approves for t in lc.REQUIREMENT.values())
	assert (lc.AGREEMENT.approved_statuses, lc.CATALOG.approved_statuses) == (("Approved",), ("Approved",))
	assert lc.REQUIREMENT.approved_statuses == ()


def test_editing_an_approved_agreement_withdraws_the_approval():
	assert lc.status_after_edit(lc.AGREEMENT, "Approved") == "In Review"
	for status in ("Draft", "In Review", "Signed", "Active", None):
		assert lc.status_after_edit(lc.AGREEMENT, status) is None
	# an approved catalog and a confirmed requirement are frozen by their controllers instead
	for status in lc.CATALOG.statuses:
		assert lc.status_after_edit(lc.CATALOG, status) is None
	assert lc.status_after_edit(lc.REQUIREMENT, "Confirmed") is None


@pytest.mark.parametrize(
	("table", "old", "new", "step"),
	[
		(lc.AGREEMENT, "Draft", "In Review", lc.ASSIGN_REVIEWERS),
		(lc.AGREEMENT, "Approved", "In Review", lc.ASSIGN_REVIEWERS),  # approval withdrawn: review again
		(lc.AGREEMENT, "In Review", "Approved", lc.CLOSE_REVIEW),
		(lc.AGREEMENT, "In Review", "Draft", lc.CLOSE_REVIEW),
		(lc.AGREEMENT, "In Review", "In Review", None),
		(lc.AGREEMENT, "Approved", "Draft", None),
		(lc.CATALOG, "Draft", "In Review", lc.ASSIGN_REVIEWERS),
		(lc.CATALOG, "In Review", "Approved", lc.CLOSE_REVIEW),
		(lc.CATALOG, "Approved", "Published", None),
		(lc.REQUIREMENT, "Draft", "Confirmed", None),
	],
)
def test_review_steps(table, old, new, step):
	assert lc.review_step(table, old, new) == step


def test_reviewers_are_operations_managers():
	assert lc.AGREEMENT.reviewer_roles == lc.CATALOG.reviewer_roles == (OPERATIONS_MANAGER,)
	assert lc.REQUIREMENT.review_status is None


def test_content_digest_is_stable_and_names_the_content():
	a = {"title": "X", "targets": [{"priority": "P1", "response_time": 3600.0}], "valid_to": "2026-12-31"}
	same = {"valid_to": "2026-12-31", "targets": [{"response_time": 3600.0, "priority": "P1"}], "title": "X"}
	changed = {**a, "targets": [{"priority": "P1", "response_time": 4 * 3600.0}]}
	assert lc.content_digest(a) == lc.content_digest(same)
	assert lc.content_digest(a) != lc.content_digest(changed)
	assert len(lc.content_digest({})) == 64
	assert lc.approval_matches(lc.content_digest(a), lc.content_digest(same))
	assert not lc.approval_matches(lc.content_digest(a), lc.content_digest(changed))
	assert not lc.approval_matches(None, lc.content_digest(a))
	assert not lc.approval_matches("", "")


def test_prompts_are_english_questions():
	for table in (lc.CATALOG, lc.REQUIREMENT, lc.AGREEMENT):
		for t in table.values():
			assert t.prompt == "" or "?" in t.prompt


def test_refused_transition_and_unknown_action():
	with pytest.raises(lc.TransitionError) as err:
		lc.next_status(lc.CATALOG, "publish", "In Review")
	assert isinstance(err.value, ValueError)
	assert err.value.allowed_from == ("Approved",)
	assert "'publish'" in str(err.value) and "'In Review'" in str(err.value)
	with pytest.raises(lc.TransitionError):
		lc.next_status(lc.AGREEMENT, "approve_review", "Signed")
	with pytest.raises(KeyError):
		lc.next_status(lc.REQUIREMENT, "approve", "Draft")
	with pytest.raises(KeyError):
		lc.next_status(lc.AGREEMENT, "publish", "Draft")


def test_agreement_statuses_outside_the_table_start_no_action():
	"""Signed, Active, Expired, Superseded and Cancelled are reached by submit, cancel and the daily job."""
	for status in ("Signed", "Active", "Expired", "Superseded", "Cancelled"):
		assert lc.allowed_actions(lc.AGREEMENT, status, [ADMINISTRATOR]) == ()


def _actions(table, status, roles):
	return [t.action for t in lc.allowed_actions(table, status, roles)]


@pytest.mark.parametrize(
	("status", "roles", "expected"),
	[
		("Draft", [PROJECT_MANAGER], ["submit_for_review"]),
		("Draft", [CUSTOMER], []),
		("Draft", [], []),
		("In Review", [PROJECT_MANAGER], ["return_to_draft"]),
		("In Review", [OPERATIONS_MANAGER], ["approve", "return_to_draft"]),
		("In Review", [SYSTEM_MANAGER, "All"], ["approve", "return_to_draft"]),
		("Approved", [PROJECT_MANAGER], []),
		("Approved", [OPERATIONS_MANAGER], ["publish"]),
		# archive is internal: publishing a newer version runs it, no button offers it
		("Published", [OPERATIONS_MANAGER], ["new_version"]),
		("Published", [PROJECT_MANAGER], ["new_version"]),
		("Archived", [PROJECT_MANAGER], ["new_version"]),
		("Archived", [CUSTOMER, "Guest"], []),
		("Published", [ADMINISTRATOR], ["new_version"]),
		("In Review", [ADMINISTRATOR], ["approve", "return_to_draft"]),
		(None, [ADMINISTRATOR], []),
	],
)
def test_allowed_actions_of_a_catalog(status, roles, expected):
	assert _actions(lc.CATALOG, status, roles) == expected


@pytest.mark.parametrize(
	("status", "roles", "expected"),
	[
		("Draft", [PROJECT_MANAGER], ["confirm"]),
		("Draft", [OPERATIONS_MANAGER], ["confirm"]),
		("Confirmed", [SYSTEM_MANAGER], ["reopen"]),
		("Confirmed", [CUSTOMER], []),
		("Confirmed", [ADMINISTRATOR], ["reopen"]),
	],
)
def test_allowed_actions_of_a_requirement(status, roles, expected):
	assert _actions(lc.REQUIREMENT, status, roles) == expected


@pytest.mark.parametrize(
	("status", "roles", "expected"),
	[
		("Draft", [PROJECT_MANAGER], ["submit_for_review"]),
		("In Review", [PROJECT_MANAGER], ["return_to_draft"]),
		("In Review", [OPERATIONS_MANAGER], ["approve_review", "return_to_draft"]),
		("In Review", [CUSTOMER], []),
		("Approved", [PROJECT_MANAGER], ["return_to_draft"]),
		("Approved", [OPERATIONS_MANAGER], ["return_to_draft"]),
		("Approved", [CUSTOMER], []),
		("In Review", [ADMINISTRATOR], ["approve_review", "return_to_draft"]),
	],
)
def test_allowed_actions_of_an_agreement(status, roles, expected):
	assert _actions(lc.AGREEMENT, status, roles) == expected


def test_allowed_actions_returns_the_transitions_with_their_labels():
	(t,) = lc.allowed_actions(lc.CATALOG, "Approved", iter([OPERATIONS_MANAGER]))
	assert (t.action, t.label) == ("publish", "Publish")


def test_role_allows():
	assert lc.role_allows(lc.CATALOG["approve"], [ADMINISTRATOR])
	assert lc.role_allows(lc.CATALOG["approve"], ["All", SYSTEM_MANAGER])
	assert not lc.role_allows(lc.CATALOG["approve"], [PROJECT_MANAGER])
	assert not lc.role_allows(lc.CATALOG["approve"], [])


@pytest.mark.parametrize(
	("initial", "transitions", "problem"),
	[
		("Open", [], "initial status"),
		("Draft", [lc.Transition("go", ("Draft",), "Nowhere", ("R",), "Go")], "unknown statuses"),
		("Draft", [lc.Transition("go", ("Draft",), "Done", (), "Go")], "roles"),
		("Draft", [lc.Transition("go", (), "Done", ("R",), "Go")], "from-statuses"),
		(
			"Draft",
			[lc.Transition("go", ("Draft",), "Done", ("R",), "Go")] * 2,
			"declared twice",
		),
	],
)
def test_a_broken_table_is_refused(initial, transitions, problem):
	with pytest.raises(ValueError, match=problem):
		lc.Lifecycle(("Draft", "Done"), initial, transitions)


@pytest.mark.parametrize(
	("options", "problem"),
	[
		({"withdrawn_on_edit": {"Done": "Nowhere"}}, "withdrawal"),
		({"withdrawn_on_edit": {"Done": "Done"}}, "withdrawal"),
		({"review_status": "Nowhere", "reviewer_roles": ("R",)}, "review status"),
		({"review_status": "Draft"}, "review status"),
	],
)
def test_broken_withdrawals_and_reviews_are_refused(options, problem):
	go = lc.Transition("go", ("Draft",), "Done", ("R",), "Go")
	with pytest.raises(ValueError, match=problem):
		lc.Lifecycle(("Draft", "Done"), "Draft", [go], **options)
