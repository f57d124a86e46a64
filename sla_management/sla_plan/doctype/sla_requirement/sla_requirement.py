# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

"""A customer service project's SLA requirement (§5.1.1): what the customer needs, and the measurable
standards (availability hours, failures, failure frequency and duration, response and resolution time).

Draft → Confirmed by ``confirm``; ``reopen`` returns it to Draft unless a signed SLA Agreement answers it.
A confirmed requirement is frozen, so that agreed targets keep pointing to what was requested.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from sla_management.common.lifecycle import LifecycleMixin
from sla_management.engine import plan_rules as rules
from sla_management.engine.lifecycle import REQUIREMENT
from sla_management.sla_implement.doctype.sla_agreement import priorities

AGREEMENT_DOCTYPE = "SLA Agreement"

# What the project manager writes: frozen once the requirement is confirmed.
CONTENT_FIELDS = (
	"project",
	"contract_document",
	"requirement_specification",
	"customer_expectations",
	"service_days_hours",
	"service_hours_note",
	"continuity_requirements",
	"departments_involved",
	"baseline_standards",
	"internal_service_description",
	"service_components",
	"delivery_method",
	"quality_control",
)
METRIC_FIELDS = ("metric", "service_item", "priority", "target_value", "unit", "description")


class SLARequirement(LifecycleMixin, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from sla_management.sla_plan.doctype.sla_requirement_metric.sla_requirement_metric import (
			SLARequirementMetric,
		)

		baseline_standards: DF.Text | None
		confirmed_by: DF.Link | None
		confirmed_on: DF.Datetime | None
		continuity_requirements: DF.Text | None
		contract_document: DF.Attach | None
		customer: DF.DynamicLink | None
		customer_expectations: DF.Text | None
		customer_name: DF.Data | None
		customer_type: DF.Link | None
		delivery_method: DF.Text | None
		departments_involved: DF.SmallText | None
		internal_service_description: DF.Text | None
		metrics: DF.Table[SLARequirementMetric]
		naming_series: DF.Literal["SLA-REQ-.YYYY.-.#####"]  # fmt: skip
		project: DF.Link
		quality_control: DF.Text | None
		requirement_specification: DF.Attach | None
		service_components: DF.Text | None
		service_days_hours: DF.Literal["", "5x8", "5x12", "7x12", "7x24", "Other"]  # fmt: skip
		service_hours_note: DF.Data | None
		status: DF.Literal["Draft", "Confirmed"]  # fmt: skip

	# end: auto-generated types

	lifecycle = REQUIREMENT
	lifecycle_fields = ("confirmed_by", "confirmed_on")

	def before_insert(self):
		self.reset_lifecycle()

	def validate(self):
		self.protect_lifecycle_fields()
		self.validate_frozen()
		self.validate_service_hours()
		self.validate_metrics()
		priorities.check_rows(self.metrics, _("Row {0}"))

	def on_trash(self):
		if self.status == rules.CONFIRMED:
			frappe.throw(
				_("A confirmed requirement cannot be deleted. Reopen it first."), title=_("Not Allowed")
			)

	# --- validation steps ---------------------------------------------------------------------------

	def lifecycle_status_edited(self, saved_status):
		frappe.throw(
			_("The status of a requirement is changed by its actions only (Confirm, Reopen)."),
			title=_("Not Allowed"),
		)

	def lifecycle_refused(self, label, status):
		return _("{0} is not possible while the requirement is {1}.").format(label, status)

	def lifecycle_unavailable(self, action):
		"""Reopening is impossible while a signed agreement answers the requirement."""
		if action != "reopen":
			return None
		signed = get_signed_agreement(self.name)
		if signed:
			return _("Requirement {0} cannot be reopened: signed SLA Agreement {1} answers it.").format(
				frappe.bold(self.name), frappe.bold(signed)
			)
		return None

	def validate_frozen(self):
		before = self.get_doc_before_save()
		if self.is_new() or not before or before.status != rules.CONFIRMED:
			return
		changed_header = rules.changed_fields(before.as_dict(), self.as_dict(), CONTENT_FIELDS)
		saved_metrics = {row.name: row.as_dict() for row in before.metrics}
		metrics = rules.diff_rows(
			saved_metrics, ((row.name, row.as_dict()) for row in self.metrics), METRIC_FIELDS
		)
		if changed_header or metrics.any:
			frappe.throw(
				_("Requirement {0} is confirmed and cannot be changed. Reopen it to edit it.").format(
					frappe.bold(self.name)
				),
				title=_("Requirement Confirmed"),
			)

	def validate_service_hours(self):
		if self.service_days_hours == "Other" and not (self.service_hours_note or "").strip():
			frappe.throw(
				_("Describe the service hours in {0} when Service Days and Hours is Other.").format(
					frappe.bold(_("Service Hours Details"))
				),
				title=_("Missing Service Hours"),
			)

	def validate_metrics(self):
		messages = []
		for row in self.metrics:
			messages.extend(metric_messages(row))
		keys = [rules.metric_key(row.metric, row.service_item, row.priority) for row in self.metrics]
		for first, repeat in rules.find_duplicates(keys):
			messages.append(
				_(
					"Row {0}: {1} is already defined in row {2} for the same service item and priority."
				).format(repeat, frappe.bold(_(self.metrics[repeat - 1].metric)), first)
			)
		if messages:
			frappe.throw("<br>".join(messages), title=_("Invalid Service Level Standards"))

	# --- actions -----------------------------------------------------------------------------------

	@frappe.whitelist()
	def confirm(self) -> None:
		self.run_action(
			"confirm", self._check_has_metrics, confirmed_by=frappe.session.user, confirmed_on=now_datetime()
		)

	@frappe.whitelist()
	def reopen(self) -> None:
		self.run_action("reopen", confirmed_by=None, confirmed_on=None)

	def _check_has_metrics(self) -> None:
		if not self.metrics:
			frappe.throw(
				_("Add at least one measurable service level standard before confirming the requirement."),
				title=_("No Service Level Standards"),
			)


def metric_messages(row) -> list[str]:
	"""Translated messages for the problems ``plan_rules.check_metric`` finds in a metric row."""
	metric, unit = _(row.metric or ""), _(row.unit or "")
	messages = {
		rules.UNKNOWN_METRIC: _("Row {0}: choose a metric."),
		rules.MISSING_UNIT: _("Row {0}: choose a unit for {1}."),
		rules.UNIT_MISMATCH: _("Row {0}: {1} cannot be measured in {2}; use {3}."),
		rules.NEGATIVE_VALUE: _("Row {0}: the target value of {1} cannot be negative."),
		rules.PERCENT_OVER_100: _("Row {0}: a percentage cannot exceed 100."),
	}
	allowed = " / ".join(_(u) for u in rules.allowed_units(row.metric))
	return [
		messages[code].format(row.idx, frappe.bold(metric), frappe.bold(unit), allowed)
		for code in rules.check_metric(row.metric, row.unit, row.target_value)
	]


def get_signed_agreement(requirement: str) -> str | None:
	"""Name of a submitted SLA Agreement that answers ``requirement`` (None while that DocType is absent)."""
	if not frappe.db.table_exists(AGREEMENT_DOCTYPE):
		return None
	if not frappe.get_meta(AGREEMENT_DOCTYPE).has_field("requirement"):
		return None
	return frappe.db.exists(AGREEMENT_DOCTYPE, {"requirement": requirement, "docstatus": 1})
