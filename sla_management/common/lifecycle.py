"""Frappe side of the lifecycles declared in ``sla_management.engine.lifecycle``.

``LifecycleMixin`` goes before ``Document`` in the bases of a controller whose status moves only through
named actions. The controller declares its table and the fields only its actions set::

        class SLARequirement(LifecycleMixin, Document):
            lifecycle = REQUIREMENT  # from sla_management.engine.lifecycle
            lifecycle_fields = ("confirmed_by", "confirmed_on")

calls ``reset_lifecycle`` in ``before_insert`` and ``protect_lifecycle_fields`` in ``validate``, and runs
each whitelisted action through ``run_action`` (a whitelisted method named like the action).

What the mixin adds to every such DocType:

- the form's buttons: ``__onload.lifecycle_actions`` (and the whitelisted ``get_allowed_actions``) list the
  actions the table allows for the status and the user's roles, minus those the controller says are
  impossible now (``lifecycle_unavailable``); ``public/js/sla_lifecycle.js`` builds the buttons from it;
- approvals that name their content: an ``approves`` action stores the digest of the content in
  ``approval_digest_field``; ``check_approval`` (before signing) refuses an approval of other content, and
  a save that changes the content in a status of the table's ``withdrawn_on_edit`` withdraws the approval
  (status back, ``approval_fields`` cleared, a timeline comment, the reviewers assigned again);
- the review: entering the table's review status assigns the holders of its reviewer roles (a ToDo and
  its notification), leaving it closes their ToDos.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import frappe
from frappe import _
from frappe.model import child_table_fields, default_fields, no_value_fields, table_fields
from frappe.utils import cint, cstr, flt, get_datetime, getdate

from sla_management.common.permissions import has_any_role
from sla_management.engine.lifecycle import (
	ASSIGN_REVIEWERS,
	CLOSE_REVIEW,
	Lifecycle,
	Transition,
	TransitionError,
	allowed_actions,
	approval_matches,
	content_digest,
	next_status,
	review_step,
	status_after_edit,
)

_NOT_CONTENT = {*default_fields, *child_table_fields, "status", "amended_from"}
_NUMBERS = {"Float", "Currency", "Percent", "Duration"}
_INTEGERS = {"Int", "Check"}


class LifecycleMixin:
	lifecycle: Lifecycle
	# Set only by the actions (besides ``status``): an ordinary save keeps their saved values.
	lifecycle_fields: tuple[str, ...] = ()
	# Cleared when a change of the content withdraws the approval.
	approval_fields: tuple[str, ...] = ()
	# Where an approving action stores the digest of the content it approves (None: nowhere).
	approval_digest_field: str | None = None
	# Editable fields that are not the content an approval is of (besides read-only, no-copy and
	# allow-on-submit fields, which are records about the document, and the lifecycle fields).
	lifecycle_free_fields: tuple[str, ...] = ()

	# --- hooks of the controller ----------------------------------------------------------------------

	def lifecycle_refused(self, label: str, status: str) -> str:
		"""The message when action ``label`` is not possible in ``status`` (both translated)."""
		raise NotImplementedError

	def lifecycle_status_edited(self, saved_status: str) -> None:
		"""An ordinary save changes the status: by default it is put back silently; a controller may throw."""

	def lifecycle_unavailable(self, action: str) -> str | None:
		"""Why ``action`` is impossible now although status and roles allow it (translated), else None.

		Only for what editing the form cannot fix (a signed agreement answers the requirement): the form
		then offers no button for it, and ``run_action`` refuses it with this message."""
		return None

	def lifecycle_not_approved(self) -> str:
		"""The message when signing needs an approval of the current content (translated)."""
		return _("{0} must be reviewed and approved again before this step: its content changed.").format(
			_(self.doctype)
		)

	# --- steps -----------------------------------------------------------------------------------------

	def reset_lifecycle(self, keep: Iterable[str] = ()) -> None:
		"""``before_insert`` step: a new document starts in the initial status, without lifecycle values."""
		self.status = self.lifecycle.initial
		for fieldname in self.lifecycle_fields:
			if fieldname not in keep:
				self.set(fieldname, None)

	def protect_lifecycle_fields(self) -> None:
		"""``validate`` step: unless an action saves, the status and lifecycle fields keep their saved values."""
		before = self.get_doc_before_save()
		if self.flags.lifecycle_action or self.is_new() or not before:
			return
		if self.status != before.status:
			self.lifecycle_status_edited(before.status)
		for fieldname in ("status", *self.lifecycle_fields):
			self.set(fieldname, before.get(fieldname))
		self._withdraw_approval_if_edited(before)

	# --- the content an approval is of -----------------------------------------------------------------

	def lifecycle_content(self) -> dict:
		"""The document's content, normalised: what an approval approves (see ``lifecycle_free_fields``)."""
		skip = {*self.lifecycle_fields, *self.approval_fields, *self.lifecycle_free_fields}
		if self.approval_digest_field:
			skip.add(self.approval_digest_field)
		return _content(self, skip)

	def lifecycle_digest(self) -> str:
		return content_digest(self.lifecycle_content())

	def check_approval(self) -> None:
		"""Before signing or publishing: the document is approved, and the approval is of this content."""
		approved = self.status in self.lifecycle.approved_statuses
		digest = self.get(self.approval_digest_field) if self.approval_digest_field else None
		if not approved or (
			self.approval_digest_field and not approval_matches(digest, self.lifecycle_digest())
		):
			frappe.throw(self.lifecycle_not_approved(), title=_("Not Approved"))

	def _withdraw_approval_if_edited(self, before) -> None:
		back = status_after_edit(self.lifecycle, self.status)
		if back is None or self.docstatus == 2 or before.lifecycle_digest() == self.lifecycle_digest():
			return
		approved_by = next((before.get(f) for f in self.approval_fields if before.get(f)), None)
		old = self.status
		self.status = back
		for fieldname in self.approval_fields:
			self.set(fieldname, None)
		if self.approval_digest_field:
			self.set(self.approval_digest_field, None)
		if approved_by:
			message = _(
				"Approval withdrawn: the content changed after {0} approved it. Back to {1} for a new review."
			).format(frappe.utils.get_fullname(approved_by), _(back))
		else:
			message = _(
				"Approval withdrawn: the content changed after the approval. Back to {0} for a new review."
			).format(_(back))
		self.add_comment("Info", message)
		frappe.msgprint(message, indicator="orange", alert=True)
		self._review_step(old, back)

	# --- the review ------------------------------------------------------------------------------------

	def _review_step(self, old: str | None, new: str | None) -> None:
		"""Assign or release the reviewers once the status change is committed (a background job: the
		assignment's notification and mail never delay or break the action)."""
		step = review_step(self.lifecycle, old, new)
		if step:
			frappe.enqueue(
				"sla_management.common.lifecycle.run_review_step",
				queue="short",
				enqueue_after_commit=True,
				doctype=self.doctype,
				name=self.name,
				step=step,
				requested_by=frappe.session.user,
			)

	def lifecycle_reviewers(self, requested_by: str | None = None) -> list[str]:
		"""Enabled desk users holding a reviewer role of the table (not the one who asks for the review)."""
		enabled = frappe.get_all(
			"User",
			filters={"name": ("in", _role_holders(self.lifecycle.reviewer_roles)), "enabled": 1},
			fields=["name", "user_type"],
			order_by="name asc",
		)
		return [
			u.name
			for u in enabled
			if u.user_type == "System User" and u.name not in ("Administrator", "Guest", requested_by)
		]

	def _open_todos(self, users: list[str]) -> list:
		return frappe.get_all(
			"ToDo",
			filters={
				"reference_type": self.doctype,
				"reference_name": self.name,
				"status": "Open",
				"allocated_to": ("in", users or [""]),
			},
			fields=["name", "allocated_to"],
		)

	def assign_reviewers(self, requested_by: str | None = None) -> None:
		from frappe.desk.form.assign_to import add

		reviewers = self.lifecycle_reviewers(requested_by)
		assigned = {t.allocated_to for t in self._open_todos(reviewers)}
		todo = [u for u in reviewers if u not in assigned]
		if todo:
			add(
				{
					"assign_to": todo,
					"doctype": self.doctype,
					"name": self.name,
					"description": _("Please review {0} {1}.").format(_(self.doctype), self.name),
					"assigned_by": requested_by or frappe.session.user,
				},
				ignore_permissions=True,
			)

	def close_review(self) -> None:
		"""Close the reviewers' open ToDos of this document (other assignments stay)."""
		for row in self._open_todos(_role_holders(self.lifecycle.reviewer_roles)):
			todo = frappe.get_doc("ToDo", row.name)
			todo.status = "Closed"
			todo.save(ignore_permissions=True)

	# --- the form's buttons ----------------------------------------------------------------------------

	def lifecycle_actions(self) -> list[dict]:
		"""The actions the current user may start now, for the form's buttons (labels translated)."""
		if self.is_new():
			return []
		can_write = self.has_permission("write")
		can_create = frappe.has_permission(self.doctype, "create")
		out = []
		for t in allowed_actions(self.lifecycle, self.status, frappe.get_roles()):
			if not (can_create if t.creates_copy else can_write and self.docstatus == 0):
				continue
			if self.lifecycle_unavailable(t.action):
				continue
			out.append(
				{
					"action": t.action,
					"label": _(t.label),
					"prompt": _(t.prompt) if t.prompt else "",
					"creates_copy": t.creates_copy,
				}
			)
		return out

	def onload(self):
		self.set_onload("lifecycle_actions", self.lifecycle_actions())

	@frappe.whitelist()
	def get_allowed_actions(self) -> list[dict]:
		return self.lifecycle_actions()

	# --- actions ---------------------------------------------------------------------------------------

	def run_action(
		self,
		action: str,
		guard: Callable[[], None] | None = None,
		make_copy: Callable[[], str] | None = None,
		*,
		ignore_permissions: bool = False,
		**values: Any,
	) -> str | None:
		"""Run ``action`` of the table on the saved document and set ``values`` with the new status.

		``guard`` runs after the permission, role and status checks and before anything is set: it throws to
		refuse the action, and may do what the action needs first (publishing archives the previous version).
		An action that creates a copy saves nothing here: ``make_copy`` inserts the copy and returns its name,
		which is returned. ``ignore_permissions``: an action run by another one (no permission or role check).
		"""
		transition = self.lifecycle[action]
		label = _(transition.label)
		self.load_from_db()  # act on the saved document, never on unsaved edits sent by a form
		if not ignore_permissions:
			if transition.creates_copy:
				frappe.has_permission(self.doctype, "create", throw=True)
			else:
				self.check_permission("write")
			self._require_action_roles(transition, label)
		old = self.status
		new = self._next_status(transition, label)
		unavailable = self.lifecycle_unavailable(action)
		if unavailable:
			frappe.throw(unavailable, title=_("Not Allowed"))
		if guard:
			guard()
		if transition.creates_copy:
			if make_copy is None:
				raise TypeError(f"{action} creates a copy: run_action needs make_copy")
			copy = make_copy()
			self.add_comment("Info", _("{0}: {1}").format(label, copy))
			return copy
		self.status = new
		self.update(values)
		if transition.approves and self.approval_digest_field:
			self.set(self.approval_digest_field, self.lifecycle_digest())
		self.flags.lifecycle_action = True
		try:
			self.save(ignore_permissions=ignore_permissions)
		finally:
			self.flags.lifecycle_action = False
		if old == new:
			self.add_comment("Info", label)
		else:
			self.add_comment("Info", _("{0}: {1} → {2}").format(label, _(old), _(new)))
		self._review_step(old, new)
		return None

	def _require_action_roles(self, transition: Transition, label: str) -> None:
		if not has_any_role(transition.roles):  # the Administrator passes, as in Frappe's own checks
			frappe.throw(
				_("You are not allowed to {0}: this needs one of the roles {1}.").format(
					label, ", ".join(_(role) for role in transition.roles)
				),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)

	def _next_status(self, transition: Transition, label: str) -> str | None:
		"""The status the action leads to; a status change is possible on a saved draft (docstatus 0) only."""
		try:
			if self.docstatus != 0 and not transition.creates_copy:
				raise TransitionError(transition.action, self.status, transition.from_statuses)
			return next_status(self.lifecycle, transition.action, self.status)
		except TransitionError:
			frappe.throw(self.lifecycle_refused(label, _(self.status)), title=_("Not Allowed"))


def run_review_step(doctype: str, name: str, step: str, requested_by: str | None = None) -> None:
	"""Background job of ``_review_step``: assign the reviewers, or close their ToDos; a document deleted
	or moved on in the meantime is left alone."""
	if not frappe.db.exists(doctype, name):
		return
	doc = frappe.get_doc(doctype, name)
	if step == ASSIGN_REVIEWERS and doc.status == doc.lifecycle.review_status:
		doc.assign_reviewers(requested_by)
	elif step == CLOSE_REVIEW and doc.status != doc.lifecycle.review_status:
		doc.close_review()


def _role_holders(roles) -> list[str]:
	return frappe.get_all(
		"Has Role", filters={"role": ("in", roles), "parenttype": "User"}, pluck="parent", distinct=True
	)


def _content(doc, skip: set[str]) -> dict:
	"""Field → normalised value of ``doc``'s editable content; child tables as lists of their rows' content."""
	out = {}
	for df in doc.meta.fields:
		if (
			(df.fieldtype in no_value_fields and df.fieldtype not in table_fields)
			or df.fieldname in _NOT_CONTENT
			or df.fieldname in skip
			or df.read_only
			or df.no_copy
			or df.allow_on_submit
		):
			continue
		value = doc.get(df.fieldname)
		if df.fieldtype in table_fields:
			out[df.fieldname] = [_content(row, set()) for row in value or []]
		else:
			out[df.fieldname] = _normal(df.fieldtype, value)
	return out


def _normal(fieldtype: str, value):
	"""One value as the digest sees it: 3600 and "3600.0" are the same duration, "" and None are empty."""
	if fieldtype in _NUMBERS:
		return round(flt(value), 6)
	if fieldtype in _INTEGERS:
		return cint(value)
	if value in (None, ""):
		return None
	if fieldtype == "Date":
		return str(getdate(value))
	if fieldtype == "Datetime":
		return str(get_datetime(value))
	return cstr(value)
