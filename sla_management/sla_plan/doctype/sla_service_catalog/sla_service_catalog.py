# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

"""Organisation-level, versioned service catalog (§5.1.2, §5.2.1).

Draft → In Review → Approved → Published → Archived, changed only by the whitelisted actions below.
Only the SLA Operations Manager confirms capability and approves; a published catalog is frozen, and a
change means a new version (a new Draft pointing to the one it comes from).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from sla_management.common.lifecycle import LifecycleMixin
from sla_management.common.permissions import has_any_role
from sla_management.engine import plan_rules as rules
from sla_management.engine.lifecycle import CATALOG
from sla_management.engine.roles import MANAGER_ROLES

DOCTYPE = "SLA Service Catalog"
ITEM_DOCTYPE = "SLA Service Catalog Item"

OPEN_STATUSES = (rules.DRAFT, rules.IN_REVIEW, rules.APPROVED)
FROZEN_STATUSES = (rules.APPROVED, rules.PUBLISHED, rules.ARCHIVED)
REVIEW_FIELDS = ("capability_confirmed", "review_note")


class SLAServiceCatalog(LifecycleMixin, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from sla_management.sla_plan.doctype.sla_service_catalog_item.sla_service_catalog_item import (
			SLAServiceCatalogItem,
		)

		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		archived_on: DF.Datetime | None
		catalog_name: DF.Data
		items: DF.Table[SLAServiceCatalogItem]
		notes: DF.Text | None
		previous_version: DF.Link | None
		published_on: DF.Datetime | None
		reviewed_by: DF.Link | None
		reviewed_on: DF.Datetime | None
		status: DF.Literal["Draft", "In Review", "Approved", "Published", "Archived"]  # fmt: skip
		version: DF.Int

	# end: auto-generated types

	lifecycle = CATALOG
	lifecycle_fields = (
		"version",
		"previous_version",
		"reviewed_by",
		"reviewed_on",
		"approved_by",
		"approved_on",
		"published_on",
		"archived_on",
	)

	def before_insert(self):
		self.catalog_name = (self.catalog_name or "").strip()
		self.validate_no_open_version()
		self.start_lifecycle()

	def autoname(self):
		self.name = f"{self.catalog_name}-v{self.version}"

	def validate(self):
		self.protect_lifecycle_fields()
		self.validate_duplicate_items()
		self.validate_frozen()
		self.validate_new_items()
		self.validate_capability_confirmation()

	def on_trash(self):
		if self.status != rules.DRAFT:
			frappe.throw(
				_("Only a draft catalog can be deleted: versions that were reviewed or published are kept."),
				title=_("Not Allowed"),
			)

	# --- validation steps ---------------------------------------------------------------------------

	def validate_no_open_version(self):
		open_version = frappe.db.get_value(
			DOCTYPE, {"catalog_name": self.catalog_name, "status": ("in", OPEN_STATUSES)}, "name"
		)
		if open_version:
			frappe.throw(
				_(
					"Catalog {0} already has a version in preparation: {1}. Finish or delete it before starting another version."
				).format(frappe.bold(self.catalog_name), frappe.bold(open_version)),
				title=_("Version in Preparation"),
			)

	def start_lifecycle(self):
		"""A new catalog is always a Draft with the next version number of its catalog name."""
		self.reset_lifecycle(keep=("previous_version",) if self.flags.from_new_version else ())
		versions = frappe.get_all(
			DOCTYPE,
			filters={"catalog_name": self.catalog_name},
			fields=["name", "version"],
			order_by="version desc",
		)
		self.version = rules.next_version(v.version for v in versions)
		if not self.previous_version and versions:
			self.previous_version = versions[0].name

	def lifecycle_status_edited(self, saved_status):
		frappe.throw(
			_(
				"The status of a catalog is changed by its actions only (Submit for Review, Approve, Publish)."
			),
			title=_("Not Allowed"),
		)

	def lifecycle_refused(self, label, status):
		return _("{0} is not possible while the catalog is {1}.").format(label, status)

	def validate_duplicate_items(self):
		messages = [
			_("Row {0}: service item {1} is already listed in row {2}.").format(
				repeat, frappe.bold(self.items[repeat - 1].service_item), first
			)
			for first, repeat in rules.find_duplicates(row.service_item for row in self.items)
		]
		if messages:
			frappe.throw("<br>".join(messages), title=_("Duplicate Service Item"))

	def validate_frozen(self):
		"""Outside Draft the items cannot change; In Review only the review columns may."""
		before = self.get_doc_before_save()
		if self.is_new() or not before or before.status == rules.DRAFT:
			return
		saved = {row.name: row.as_dict() for row in before.items}
		for row in self.items:  # derived from the item master: a re-fetch must not alter a frozen row
			if row.name in saved:
				row.category = saved[row.name].category
		in_review = before.status == rules.IN_REVIEW
		fields = rules.CATALOG_ITEM_CONTENT_FIELDS + (() if in_review else REVIEW_FIELDS)
		changes = rules.diff_rows(saved, ((row.name, row.as_dict()) for row in self.items), fields)
		if in_review and changes.any:
			frappe.throw(
				_(
					"While the catalog is in review only the capability confirmation and the review notes can change. Return it to Draft to edit the items."
				),
				title=_("Catalog in Review"),
			)
		if not in_review and (changes.any or (self.notes or "") != (before.notes or "")):
			frappe.throw(
				_("Catalog {0} is {1}: it cannot be changed. Create a new version to change it.").format(
					frappe.bold(self.name), _(before.status)
				),
				title=_("Catalog Frozen"),
			)

	def validate_new_items(self):
		"""Rows added or pointed to another item in a Draft: the item must be enabled; category from the item."""
		if self.status != rules.DRAFT or self.flags.from_new_version:
			return
		before = self.get_doc_before_save()
		saved = {row.name: row.service_item for row in before.items} if before else {}
		changed = [row for row in self.items if saved.get(row.name) != row.service_item]
		if not changed:
			return
		details = {
			d.name: d
			for d in frappe.get_all(
				"SLA Service Item",
				filters={"name": ("in", list({row.service_item for row in changed}))},
				fields=["name", "category", "disabled"],
			)
		}
		disabled = []
		for row in changed:
			item = details.get(row.service_item)
			if not item:
				continue
			row.category = item.category
			if item.disabled:
				disabled.append(frappe.bold(row.service_item))
		if disabled:
			frappe.throw(
				_("These service items are disabled and cannot be added to a catalog: {0}").format(
					", ".join(disabled)
				),
				title=_("Disabled Service Item"),
			)

	def validate_capability_confirmation(self):
		"""Only an SLA Operations Manager (or System Manager) confirms capability; it is stamped here.

		Changing what a confirmed service is (in a Draft) withdraws its confirmation unless the change is
		made by a manager.
		"""
		if self.flags.from_new_version:
			return
		before = self.get_doc_before_save()
		saved = {row.name: row for row in before.items} if before else {}
		is_manager = has_any_role(MANAGER_ROLES)
		withdrawn = []
		for row in self.items:
			prev = saved.get(row.name)
			was = cint(prev.capability_confirmed) if prev else 0
			if was and cint(row.capability_confirmed) and not is_manager and self.status == rules.DRAFT:
				if rules.changed_fields(prev.as_dict(), row.as_dict(), rules.CATALOG_ITEM_CONTENT_FIELDS):
					row.capability_confirmed = 0
					withdrawn.append(frappe.bold(row.service_item))
					continue
			now = cint(row.capability_confirmed)
			if now != was and not is_manager:
				frappe.throw(
					_(
						"Row {0}: only an SLA Operations Manager can confirm or withdraw the capability of {1}."
					).format(row.idx, frappe.bold(row.service_item)),
					frappe.PermissionError,
					title=_("Not Allowed"),
				)
			if not now:
				row.capability_confirmed_by = None
			elif was:
				row.capability_confirmed_by = prev.capability_confirmed_by
			else:
				row.capability_confirmed_by = frappe.session.user
		for row in self.items:
			if not cint(row.capability_confirmed):
				row.capability_confirmed_by = None
		if withdrawn:
			frappe.msgprint(
				_(
					"The capability confirmation of {0} was withdrawn because the service changed. The SLA Operations Manager must confirm it again."
				).format(", ".join(withdrawn)),
				alert=True,
				indicator="orange",
			)

	# --- actions -----------------------------------------------------------------------------------

	@frappe.whitelist()
	def submit_for_review(self) -> None:
		self.run_action("submit_for_review", self._check_has_items)

	@frappe.whitelist()
	def approve(self) -> None:
		user, now = frappe.session.user, now_datetime()
		self.run_action(
			"approve",
			self._check_capability_confirmed,
			reviewed_by=user,
			approved_by=user,
			reviewed_on=now,
			approved_on=now,
		)

	@frappe.whitelist()
	def return_to_draft(self) -> None:
		review = {"reviewed_by": frappe.session.user, "reviewed_on": now_datetime()}
		self.run_action("return_to_draft", **(review if has_any_role(MANAGER_ROLES) else {}))

	@frappe.whitelist()
	def publish(self) -> None:
		now = now_datetime()
		self.run_action("publish", lambda: self._archive_published_versions(now), published_on=now)

	def archive(self, archived_on=None) -> None:
		"""Archive a published catalog (called when a newer version is published)."""
		self.run_action("archive", ignore_permissions=True, archived_on=archived_on or now_datetime())

	@frappe.whitelist()
	def new_version(self) -> str:
		"""Copy a published or archived catalog into a new Draft version; returns its name."""
		return self.run_action("new_version", make_copy=self._insert_new_version)

	# --- what the actions need ----------------------------------------------------------------------

	def _check_has_items(self) -> None:
		if not self.items:
			frappe.throw(
				_("Add at least one service item before submitting the catalog for review."),
				title=_("No Service Items"),
			)

	def _check_capability_confirmed(self) -> None:
		missing = rules.unconfirmed(row.as_dict() for row in self.items)
		if missing:
			frappe.throw(
				_(
					"The capability of these service items has not been confirmed: {0}. Confirm each item before approving the catalog."
				).format(", ".join(frappe.bold(item) for item in missing)),
				title=_("Capability Not Confirmed"),
			)

	def _archive_published_versions(self, archived_on) -> None:
		for name in frappe.get_all(
			DOCTYPE,
			filters={"catalog_name": self.catalog_name, "status": rules.PUBLISHED, "name": ("!=", self.name)},
			pluck="name",
		):
			frappe.get_doc(DOCTYPE, name).archive(archived_on)

	def _insert_new_version(self) -> str:
		copy = frappe.new_doc(DOCTYPE)
		copy.catalog_name = self.catalog_name
		copy.previous_version = self.name
		copy.notes = self.notes
		for row in self.items:
			copy.append(
				"items",
				{
					fieldname: row.get(fieldname)
					for fieldname in (
						*rules.CATALOG_ITEM_CONTENT_FIELDS,
						*rules.CATALOG_ITEM_REVIEW_FIELDS,
					)
				},
			)
		copy.flags.from_new_version = True
		copy.insert()
		return copy.name


def get_published_items(catalog_name: str | None = None) -> set[str]:
	"""Service items of the currently published catalog(s).

	``catalog_name``: a catalog's name field, or the name of any of its versions (e.g. the catalog an
	agreement points to); None: every published catalog. Agreements may only use these items.
	"""
	filters = {"status": rules.PUBLISHED}
	if catalog_name:
		filters["catalog_name"] = frappe.db.get_value(DOCTYPE, catalog_name, "catalog_name") or catalog_name
	catalogs = frappe.get_all(DOCTYPE, filters=filters, pluck="name")
	if not catalogs:
		return set()
	return set(
		frappe.get_all(
			ITEM_DOCTYPE,
			filters={"parenttype": DOCTYPE, "parentfield": "items", "parent": ("in", catalogs)},
			pluck="service_item",
		)
	)
