"""Documents whose status moves only through named actions: their transitions, declared as plain data.

A DocType's ``Lifecycle`` lists its actions; each says from which statuses it starts, to which status it
leads, which roles may run it and its English label. ``sla_management.common.lifecycle`` enforces a table
on a Frappe document (permission, role and status checks, protected fields, timeline) and translates the
labels; the UI can ask ``allowed_actions`` which buttons to show. No ``frappe`` import: tested with pytest.

The SLA Agreement's status also moves outside its table: submitting signs it, cancelling cancels it and the
daily job makes it Active, Expired or Superseded.

Approvals name what they approve: an action marked ``approves`` records the digest of the content it
approves (``content_digest``), and a table may declare statuses in which any change of the content
withdraws the approval (``status_after_edit``), so that a document is never signed on content nobody
approved. A table may also declare its review status: entering it assigns the reviewers, leaving it
closes their assignment (``review_step``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .roles import ADMINISTRATOR, MANAGER_ROLES, OPERATIONS_MANAGER, PLANNER_ROLES
from .vocabulary import (
	AGREEMENT_STATUSES,
	APPROVED,
	ARCHIVED,
	CATALOG_STATUSES,
	CONFIRMED,
	DRAFT,
	IN_REVIEW,
	PUBLISHED,
	REQUIREMENT_STATUSES,
)


def _(label: str) -> str:
	"""Marks an English label for the translation catalogue; the Frappe layer translates it when shown."""
	return label


# ``to_status`` of an action that records something without moving the status (the agreement's approval).
UNCHANGED = None


@dataclass(frozen=True)
class Transition:
	"""One named action of a lifecycle."""

	action: str
	from_statuses: tuple[str, ...]
	to_status: str | None  # UNCHANGED: the status stays
	roles: tuple[str, ...]  # any one of them may run it (Administrator always may)
	label: str  # English, translated by the Frappe layer
	# The action makes a new document in ``to_status`` from this one and leaves this one as it is.
	creates_copy: bool = False
	# Run by another action only (publishing a catalog archives the previous version): never a button.
	internal: bool = False
	# English question the form asks before running the action ("": none).
	prompt: str = ""
	# The action approves the content as saved: the approval records its digest.
	approves: bool = False

	def leads_to(self, status: str | None) -> str | None:
		return status if self.to_status is UNCHANGED else self.to_status


class Lifecycle(Mapping[str, Transition]):
	"""A DocType's statuses, the status a new document starts in, and its transitions by action name."""

	def __init__(
		self,
		statuses: Iterable[str],
		initial: str,
		transitions: Iterable[Transition],
		*,
		withdrawn_on_edit: Mapping[str, str] | None = None,
		review_status: str | None = None,
		reviewer_roles: Iterable[str] = (),
	):
		"""``withdrawn_on_edit``: approved status → the status a change of the content leads back to.
		``review_status``: the status in which the holders of ``reviewer_roles`` review the document."""
		self.statuses = tuple(statuses)
		self.initial = initial
		self.transitions = tuple(transitions)
		self.withdrawn_on_edit = dict(withdrawn_on_edit or {})
		self.review_status = review_status
		self.reviewer_roles = tuple(reviewer_roles)
		self._by_action = {t.action: t for t in self.transitions}
		# the statuses an approving action leads to: signing or publishing needs one of them
		self.approved_statuses = tuple(
			dict.fromkeys(
				t.to_status for t in self.transitions if t.approves and t.to_status is not UNCHANGED
			)
		)
		problems = [f"initial status {initial!r} is unknown"] if initial not in self.statuses else []
		for approved, back in self.withdrawn_on_edit.items():
			if approved not in self.statuses or back not in self.statuses or approved == back:
				problems.append(f"withdrawal {approved!r} -> {back!r}: unknown or unchanged status")
		if review_status is not None and (review_status not in self.statuses or not self.reviewer_roles):
			problems.append(f"review status {review_status!r}: unknown, or no reviewer roles")
		if len(self._by_action) != len(self.transitions):
			problems.append("an action is declared twice")
		for t in self.transitions:
			unknown = [
				s for s in (*t.from_statuses, t.to_status) if s is not UNCHANGED and s not in self.statuses
			]
			if unknown:
				problems.append(f"{t.action}: unknown statuses {unknown}")
			if not t.from_statuses or not t.roles or not t.label:
				problems.append(f"{t.action}: needs from-statuses, roles and a label")
		if problems:
			raise ValueError("; ".join(problems))

	def __getitem__(self, action: str) -> Transition:
		return self._by_action[action]

	def __iter__(self) -> Iterator[str]:
		return iter(self._by_action)

	def __len__(self) -> int:
		return len(self._by_action)

	def __repr__(self) -> str:
		return f"Lifecycle({', '.join(self._by_action)})"


class TransitionError(ValueError):
	"""An action is not allowed from the current status."""

	def __init__(self, action: str, status: str | None, allowed_from: tuple[str, ...]):
		self.action, self.status, self.allowed_from = action, status, allowed_from
		super().__init__(
			f"Action {action!r} is not allowed in status {status!r}; allowed from: {', '.join(allowed_from)}"
		)


def next_status(table: Mapping[str, Transition], action: str, status: str | None) -> str | None:
	"""The status ``action`` leads to from ``status`` (for a copying action: the copy's status).

	Raises KeyError for an action the table does not declare, TransitionError if ``status`` is not one it
	starts from.
	"""
	transition = table[action]
	if status not in transition.from_statuses:
		raise TransitionError(action, status, transition.from_statuses)
	return transition.leads_to(status)


def role_allows(transition: Transition, roles: Iterable[str]) -> bool:
	"""Whether a user with ``roles`` may run ``transition`` (the Administrator may run everything)."""
	roles = set(roles)
	return ADMINISTRATOR in roles or bool(roles & set(transition.roles))


def allowed_actions(
	table: Mapping[str, Transition], status: str | None, roles: Iterable[str]
) -> tuple[Transition, ...]:
	"""The actions a user with ``roles`` can start from ``status``, in the table's order (internal ones left out)."""
	roles = tuple(roles)
	return tuple(
		t for t in table.values() if not t.internal and status in t.from_statuses and role_allows(t, roles)
	)


def status_after_edit(table: Lifecycle, status: str | None) -> str | None:
	"""The status a change of the content leads to from ``status``: the approval is withdrawn.

	None: the status stays (nothing approved in it, or the content is locked there by its controller).
	"""
	return table.withdrawn_on_edit.get(status)


# Review steps of ``review_step``
ASSIGN_REVIEWERS = "assign"
CLOSE_REVIEW = "close"


def review_step(table: Lifecycle, old: str | None, new: str | None) -> str | None:
	"""What a status change means for the reviewers: ASSIGN_REVIEWERS when the document enters the review
	status, CLOSE_REVIEW when it leaves it, None otherwise."""
	if table.review_status is None or old == new:
		return None
	if new == table.review_status:
		return ASSIGN_REVIEWERS
	if old == table.review_status:
		return CLOSE_REVIEW
	return None


def content_digest(content: Mapping[str, object]) -> str:
	"""A stable SHA-256 digest of a document's content (field → value, child tables as lists of mappings).

	Values must be normalised by the caller (numbers as numbers, dates as ISO text, empty as None): the
	digest is of their canonical JSON, keys sorted, so equal content gives the same digest.
	"""
	text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
	return hashlib.sha256(text.encode("utf-8")).hexdigest()


def approval_matches(approved_digest: str | None, current_digest: str) -> bool:
	"""Whether the recorded approval is of exactly the current content."""
	return bool(approved_digest) and approved_digest == current_digest


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

# SLA Service Catalog (§5.1.2, §5.2.1): reviewed and approved by the Operations Manager, then published.
CATALOG = Lifecycle(
	CATALOG_STATUSES,
	DRAFT,
	(
		Transition("submit_for_review", (DRAFT,), IN_REVIEW, PLANNER_ROLES, _("Submit for Review")),
		Transition(
			"approve",
			(IN_REVIEW,),
			APPROVED,
			MANAGER_ROLES,
			_("Approve"),
			prompt=_("Approve this catalog? Every item's capability must be confirmed."),
			approves=True,
		),
		Transition("return_to_draft", (IN_REVIEW,), DRAFT, PLANNER_ROLES, _("Return to Draft")),
		Transition(
			"publish",
			(APPROVED,),
			PUBLISHED,
			MANAGER_ROLES,
			_("Publish"),
			prompt=_("Publish this catalog? The currently published version will be archived."),
		),
		Transition("archive", (PUBLISHED,), ARCHIVED, MANAGER_ROLES, _("Archive"), internal=True),
		Transition(
			"new_version", (PUBLISHED, ARCHIVED), DRAFT, PLANNER_ROLES, _("New Version"), creates_copy=True
		),
	),
	# Approved, Published and Archived catalogs are frozen by their controller: nothing to withdraw.
	review_status=IN_REVIEW,
	reviewer_roles=(OPERATIONS_MANAGER,),
)

# SLA Requirement (§5.1.1): confirmed by the planner; reopened unless a signed agreement answers it.
REQUIREMENT = Lifecycle(
	REQUIREMENT_STATUSES,
	DRAFT,
	(
		Transition("confirm", (DRAFT,), CONFIRMED, PLANNER_ROLES, _("Confirm")),
		Transition(
			"reopen",
			(CONFIRMED,),
			DRAFT,
			PLANNER_ROLES,
			_("Reopen"),
			prompt=_("Reopen this requirement for editing?"),
		),
	),
)

# SLA Agreement (§5.2.2–5.2.3) before it is signed: In Review waits for the Operations Manager, Approved for
# the customer's signature. Changing an approved agreement's content withdraws the approval (back to In
# Review, the reviewers assigned again); signing checks that the approval is of the content signed.
AGREEMENT = Lifecycle(
	AGREEMENT_STATUSES,
	DRAFT,
	(
		Transition("submit_for_review", (DRAFT,), IN_REVIEW, PLANNER_ROLES, _("Submit for Review")),
		Transition(
			"approve_review",
			(IN_REVIEW,),
			APPROVED,
			MANAGER_ROLES,
			_("Approve"),
			prompt=_("Approve this agreement for signature?"),
			approves=True,
		),
		Transition("return_to_draft", (IN_REVIEW, APPROVED), DRAFT, PLANNER_ROLES, _("Return to Draft")),
	),
	withdrawn_on_edit={APPROVED: IN_REVIEW},
	review_status=IN_REVIEW,
	reviewer_roles=(OPERATIONS_MANAGER,),
)
