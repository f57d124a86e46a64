"""Frappe side of the lifecycles declared in ``sla_management.engine.lifecycle``.

``LifecycleMixin`` goes before ``Document`` in the bases of a controller whose status moves only through
named actions. The controller declares its table and the fields only its actions set::

        class SLARequirement(LifecycleMixin, Document):
            lifecycle = REQUIREMENT  # from sla_management.engine.lifecycle
            lifecycle_fields = ("confirmed_by", "confirmed_on")

calls ``reset_lifecycle`` in ``before_insert`` and ``protect_lifecycle_fields`` in ``validate``, and runs
each whitelisted action through ``run_action``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import frappe
from frappe import _

from sla_management.common.permissions import has_any_role
from sla_management.engine.lifecycle import Lifecycle, Transition, TransitionError, next_status


class LifecycleMixin:
	lifecycle: Lifecycle
	# Set only by the actions (besides ``status``): an ordinary save keeps their saved values.
	lifecycle_fields: tuple[str, ...] = ()

	# --- hooks of the controller ----------------------------------------------------------------------

	def lifecycle_refused(self, label: str, status: str) -> str:
		"""The message when action ``label`` is not possible in ``status`` (both translated)."""
		raise NotImplementedError

	def lifecycle_status_edited(self, saved_status: str) -> None:
		"""An ordinary save changes the status: by default it is put back silently; a controller may throw."""

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
		self.flags.lifecycle_action = True
		try:
			self.save(ignore_permissions=ignore_permissions)
		finally:
			self.flags.lifecycle_action = False
		if old == new:
			self.add_comment("Info", label)
		else:
			self.add_comment("Info", _("{0}: {1} → {2}").format(label, _(old), _(new)))
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
