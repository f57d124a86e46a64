# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The service level agreement (§5.2.2–5.2.3) and its lifecycle.

Draft → In Review → Approved (by the Operations Manager) → Signed (submitted: by the customer on the
portal, or recorded from paper) → Active → Expired / Superseded. The approval is of the content as it was
approved: changing the content withdraws it (``common.lifecycle``), and signing checks it. A submitted agreement is never edited:
changes make a new version (same ``agreement_code``), which supersedes the old one when it starts.
The pure rules live in ``sla_management.engine.agreement_rules`` and ``engine.lifecycle``.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate

from sla_management.common.lifecycle import LifecycleMixin
from sla_management.engine import CalendarError, agreement_rules as rules
from sla_management.engine.lifecycle import AGREEMENT
from sla_management.engine.roles import CUSTOMER, OPERATIONS_MANAGER
from sla_management.engine.vocabulary import APPROVED
from sla_management.sla_implement.doctype.sla_agreement import priorities, service_limits
from sla_management.sla_implement.doctype.sla_agreement.validity import update_status
from sla_management.sla_implement.doctype.sla_service_calendar import holiday_coverage

DOCTYPE = "SLA Agreement"


class SLAAgreement(LifecycleMixin, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from sla_management.sla_implement.doctype.sla_agreement_contact.sla_agreement_contact import (
			SLAAgreementContact,
		)
		from sla_management.sla_implement.doctype.sla_agreement_item.sla_agreement_item import (
			SLAAgreementItem,
		)
		from sla_management.sla_implement.doctype.sla_agreement_pause_status.sla_agreement_pause_status import (
			SLAAgreementPauseStatus,
		)
		from sla_management.sla_implement.doctype.sla_agreement_risk.sla_agreement_risk import (
			SLAAgreementRisk,
		)
		from sla_management.sla_implement.doctype.sla_agreement_target.sla_agreement_target import (
			SLAAgreementTarget,
		)

		agreement_code: DF.Data | None
		agreement_title: DF.Data
		amended_from: DF.Link | None
		approved_digest: DF.Data | None
		availability_target: DF.Percent
		calendar: DF.Link | None
		catalog: DF.Link | None
		contacts: DF.Table[SLAAgreementContact]
		customer: DF.DynamicLink | None
		customer_name: DF.Data | None
		customer_responsibilities: DF.TextEditor | None
		customer_type: DF.Link | None
		failure_frequency_limit: DF.Float
		interruption_levels: DF.Text | None
		items: DF.Table[SLAAgreementItem]
		max_failure_duration: DF.Duration | None
		max_failures: DF.Int
		naming_series: DF.Literal["SLA-AGR-.YYYY.-.#####"]
		pause_statuses: DF.Table[SLAAgreementPauseStatus]
		previous_version: DF.Link | None
		project: DF.Link
		provider_responsibilities: DF.TextEditor | None
		recovery_levels: DF.Text | None
		renewal_reminder_days: DF.Int
		renewal_reminder_sent_on: DF.Date | None
		report_content: DF.Text | None
		report_period: DF.Literal["", "Weekly", "Monthly", "Quarterly", "Half-yearly", "Yearly"]
		requirement: DF.Link | None
		review_budget_cost: DF.Text | None
		review_continuity: DF.Text | None
		review_date: DF.Date | None
		review_participants: DF.SmallText | None
		review_risks: DF.Text | None
		review_skills_staffing: DF.Text | None
		review_supplier_capability: DF.Text | None
		reviewed_by: DF.Link | None
		reviewed_on: DF.Datetime | None
		risks: DF.Table[SLAAgreementRisk]
		scope: DF.TextEditor | None
		service_definitions: DF.TextEditor | None
		signature_method: DF.Literal["", "Portal", "Paper"]
		signed_by_customer: DF.Data | None
		signed_on: DF.Datetime | None
		status: DF.Literal[
			"Draft", "In Review", "Approved", "Signed", "Active", "Expired", "Superseded", "Cancelled"
		]
		superseded_by: DF.Link | None
		targets: DF.Table[SLAAgreementTarget]
		valid_from: DF.Date
		valid_to: DF.Date
		version: DF.Int
	# end: auto-generated types

	lifecycle = AGREEMENT
	# Set only by the actions below (and by submit/cancel), never by editing the form or the API.
	lifecycle_fields = ("reviewed_by", "reviewed_on", "approved_digest")
	# the approval: withdrawn when the content changes, checked when signing
	approval_fields = ("reviewed_by", "reviewed_on")
	approval_digest_field = "approved_digest"

	def before_insert(self):
		self.reset_lifecycle()

	def validate(self):
		self.protect_lifecycle_fields()
		self.set_agreement_code()
		self.validate_period()
		self.validate_catalog_items()
		self.convert_target_durations()
		self.validate_target_priorities()
		self.validate_requirement_lines()
		self.validate_targets()
		service_limits.validate(self)  # limits per service item and the credit schedule
		self.validate_horizon()
		if self.docstatus == 0:
			self.warn_unanswered_requirement_lines()
			holiday_coverage.warn_agreement_calendar(self)  # holidays known for every year of the validity?

	def before_submit(self):
		self.check_approval()
		self.record_signature()
		self.validate_no_overlap()
		self.status = rules.SIGNED

	def _submit(self):
		# Serialise the overlap check per customer before Frappe locks this agreement's own row
		# (check_if_latest): a second submit for the customer waits here, holding no other lock.
		self.lock_customer()
		return super()._submit()

	def on_submit(self):
		update_status(self, _today())

	def on_cancel(self):
		self.db_set("status", rules.CANCELLED)
		self.reinstate_superseded_versions()

	# validation ---------------------------------------------------------------------------

	def lifecycle_refused(self, label, status):
		return _("Not possible while the agreement is {0}.").format(status)

	def lifecycle_not_approved(self):
		return _(
			"The agreement must be reviewed and approved by the {0} before it is signed, and signed as it "
			"was approved: a change after the approval needs a new approval."
		).format(_(OPERATIONS_MANAGER))

	def set_agreement_code(self):
		if not self.agreement_code and self.amended_from:
			self.agreement_code, self.version = frappe.db.get_value(
				DOCTYPE, self.amended_from, ["agreement_code", "version"]
			)
		self.agreement_code = self.agreement_code or self.name
		self.version = cint(self.version) or 1

	def validate_period(self):
		if getdate(self.valid_to) < getdate(self.valid_from):
			frappe.throw(
				_("Valid To ({0}) cannot be before Valid From ({1}).").format(
					frappe.format(self.valid_to, "Date"), frappe.format(self.valid_from, "Date")
				),
				title=_("Invalid Validity Period"),
			)

	def validate_catalog_items(self):
		"""§5.2.1: an agreement may only use items of the published service catalog."""
		if self.docstatus == 2:
			return
		unknown = rules.unknown_items([i.service_item for i in self.items], published_items(self.catalog))
		if unknown:
			frappe.throw(
				_("These service items are not in the published service catalog: {0}").format(
					", ".join(frappe.bold(i) for i in unknown)
				),
				title=_("Service Item Not Published"),
			)

	def convert_target_durations(self):
		"""Store the very values that are validated: each duration as seconds (float), or refuse it."""
		errors = []
		for t in self.targets:
			for fieldname in rules.TARGET_FIELDNAMES:
				try:
					t.set(fieldname, rules.target_seconds(t.get(fieldname)))
				except ValueError:
					errors.append(
						_("Target row {0}: the {1} must be a number of seconds, not {2}.").format(
							t.idx, _target_label(fieldname), _text(t.get(fieldname))
						)
					)
		if errors:
			frappe.throw("<br>".join(errors), title=_("Invalid Targets"))

	def validate_targets(self):
		problems = rules.target_problems(
			self.engine_targets(), [i.service_item for i in self.items], has_calendar=bool(self.calendar)
		)
		if problems:
			frappe.throw("<br>".join(_problem_message(p) for p in problems), title=_("Invalid Targets"))

	def validate_horizon(self):
		"""Refuse what the SLA engine cannot serve: a validity outside its years, or a target whose
		deadline would fall after them on this agreement's calendar."""
		problems = rules.horizon_problems(
			getdate(self.valid_from), getdate(self.valid_to), self.engine_targets(), self.engine_calendar()
		)
		if problems:
			frappe.throw("<br>".join(_problem_message(p) for p in problems), title=_("Beyond the SLA Engine"))

	def engine_calendar(self):
		"""The engine calendar of the agreement's service calendar; None without one (or if it is invalid:
		the calendar's own validation says why)."""
		if not self.calendar:
			return None
		from sla_management.sla_implement.doctype.sla_service_calendar.sla_service_calendar import (
			get_engine_calendar,
		)

		try:
			return get_engine_calendar(self.calendar)
		except CalendarError:
			return None

	def warn_unanswered_requirement_lines(self):
		"""Traceability (§5.1): say which requirement lines no target or availability field answers yet."""
		if not self.requirement:
			return
		missing = rules.unanswered(
			requirement_metrics(self.requirement),
			self.engine_targets(),
			self.as_dict(),
			service_limits.engine_limits(self),
		)
		if missing:
			frappe.msgprint(
				_("No target or availability field of this agreement answers these lines of {0}:").format(
					frappe.bold(self.requirement)
				)
				+ "<ul>"
				+ "".join(f"<li>{frappe.utils.escape_html(_metric_label(m))}</li>" for m in missing)
				+ "</ul>",
				title=_("Requirement Lines Unanswered"),
				indicator="orange",
			)

	def validate_target_priorities(self):
		priorities.check_rows(self.targets, _("Target row {0}"))

	def validate_requirement_lines(self):
		"""A target answers a line of the agreement's own requirement; its summary is shown in the grid."""
		chosen = [t for t in self.targets if t.requirement_metric]
		if not chosen:
			return
		lines = {m.name: m for m in requirement_metrics(self.requirement)} if self.requirement else {}
		wrong = [t for t in chosen if t.requirement_metric not in lines]
		if wrong:
			frappe.throw(
				"<br>".join(
					_("Target row {0}: requirement line {1} is not a line of {2}.").format(
						t.idx,
						frappe.bold(t.requirement_metric),
						frappe.bold(self.requirement)
						if self.requirement
						else _("the agreement's requirement"),
					)
					for t in wrong
				),
				title=_("Invalid Targets"),
			)
		for t in chosen:
			t.requirement_line = _metric_label(lines[t.requirement_metric])
		for t in self.targets:
			if not t.requirement_metric:
				t.requirement_line = None

	def record_signature(self):
		"""Submitting from the desk records a paper signature; the portal confirmation records its own."""
		self.signature_method = "Portal" if self.flags.portal_confirmation else "Paper"
		if self.signature_method == "Paper" and not self.signed_by_customer:
			frappe.throw(
				_("Enter who signed the paper agreement for the customer in {0} (section {1}).").format(
					frappe.bold(_("Signed by (Customer)")), _("Signature")
				),
				title=_("Signature Missing"),
			)
		self.signed_on = self.signed_on or frappe.utils.now_datetime()

	def lock_customer(self):
		"""Lock the customer's row (or the project's, without a customer) until the transaction ends.

		Concurrent submits for one customer then run their overlap check one after the other; the check
		reads with locking reads, so the second sees what the first committed.
		"""
		if self.customer_type and self.customer:
			frappe.db.get_value(self.customer_type, self.customer, "name", for_update=True)
		elif self.project:
			frappe.db.get_value("SLA Service Project", self.project, "name", for_update=True)

	def validate_no_overlap(self):
		"""Two signed agreements must not both cover one ticket (customer, item, priority, date)."""
		self.lock_customer()  # held already when submitted through _submit; the customer may have changed
		mine = self.coverage()
		for other, other_coverage in _live_agreements_of(
			self.customer_type, self.customer, exclude_code=self.agreement_code
		):
			if rules.overlaps(mine, other_coverage):
				frappe.throw(
					_(
						"Agreement {0} ({1}) already covers the same customer, service item and priority "
						"between {2} and {3}."
					).format(
						frappe.bold(other.name),
						other.agreement_title,
						frappe.format(other.valid_from, "Date"),
						frappe.format(other.valid_to, "Date"),
					),
					title=_("Overlapping Agreement"),
				)

	# helpers ------------------------------------------------------------------------------

	def engine_targets(self) -> list[rules.Target]:
		return [
			rules.Target(
				idx=t.idx,
				service_item=t.service_item or None,
				priority=t.priority or None,
				response_time=rules.target_seconds(t.response_time),
				resolution_time=rules.target_seconds(t.resolution_time),
				default_target=bool(t.default_target),
				requirement_metric=t.requirement_metric or None,
			)
			for t in self.targets
		]

	def coverage(self) -> rules.Coverage:
		return rules.coverage(
			(self.customer_type or "", self.customer or ""),
			getdate(self.valid_from),
			getdate(self.valid_to),
			[i.service_item for i in self.items],
			self.engine_targets(),
		)

	def reinstate_superseded_versions(self):
		"""Cancelling a version gives back their validity to the versions it superseded."""
		today = _today()
		for name in frappe.get_all(DOCTYPE, {"superseded_by": self.name, "docstatus": 1}, pluck="name"):
			old = frappe.get_doc(DOCTYPE, name)
			old.db_set({"status": rules.SIGNED, "superseded_by": None})
			update_status(old, today)

	# actions ------------------------------------------------------------------------------

	@frappe.whitelist()
	def submit_for_review(self):
		self.run_action("submit_for_review", reviewed_by=None, reviewed_on=None, approved_digest=None)

	@frappe.whitelist()
	def return_to_draft(self):
		self.run_action("return_to_draft", reviewed_by=None, reviewed_on=None, approved_digest=None)

	@frappe.whitelist()
	def approve_review(self):
		"""The Operations Manager's approval (§5.2.3) of the content as saved: Approved until signed."""
		self.run_action(
			"approve_review", reviewed_by=frappe.session.user, reviewed_on=frappe.utils.now_datetime()
		)


def _problem_message(p: rules.Problem) -> str:
	"""The translated message of a broken target rule."""
	if p.kind == rules.CALENDAR_REQUIRED:
		return _("A calendar is required: set the Service Calendar in whose working time the targets run.")
	if p.kind == rules.SEVERAL_DEFAULTS:
		return _("Only one target can be the default (rows {0}).").format(", ".join(map(str, p.values)))
	if p.kind == rules.ITEM_NOT_IN_AGREEMENT:
		return _("Target row {0}: service item {1} is not one of the agreement's items.").format(
			p.idx, frappe.bold(p.values[0])
		)
	if p.kind == rules.DUPLICATE_TARGET:
		return _("Target row {0}: row {1} already has the same service item and priority.").format(
			p.idx, p.values[0]
		)
	if p.kind == rules.NEGATIVE_TARGET:
		return _("Target row {0}: response and resolution times cannot be negative.").format(p.idx)
	if p.kind == rules.TARGET_TOO_LONG:
		return _("Target row {0}: a {1} of {2} is longer than all the years the SLA engine covers.").format(
			p.idx, _target_label(p.values[0]), frappe.utils.format_duration(p.values[1])
		)
	if p.kind == rules.TARGET_BEYOND_HORIZON:
		return _(
			"Target row {0}: on this service calendar, a ticket opened on {1} would reach its {2} of {3} "
			"only after {4}, the last year the SLA engine covers."
		).format(
			p.idx,
			frappe.format(p.values[2], "Date"),
			_target_label(p.values[0]),
			frappe.utils.format_duration(p.values[1]),
			p.values[3],
		)
	if p.kind == rules.VALIDITY_OUTSIDE_HORIZON:
		return _("The validity period must lie within the years {0}-{1} that the SLA engine covers.").format(
			*p.values
		)
	if p.kind == rules.EMPTY_TARGET:
		return _("Target row {0}: set a response time or a resolution time longer than zero.").format(p.idx)
	return _("Target row {0}: the resolution time cannot be shorter than the response time.").format(p.idx)


def _target_label(fieldname: str) -> str:
	return _("Response Time") if fieldname == "response_time" else _("Resolution Time")


def _text(value) -> str:
	"""A value the user typed, safe to show in a message."""
	return frappe.bold(frappe.utils.escape_html(str(value)))


def _metric_label(m: rules.Metric) -> str:
	scope = ", ".join(x for x in (m.service_item, m.priority) if x)
	return f"{_(m.metric)} ({scope})" if scope else _(m.metric)


# seconds per unit of a response/resolution line (plan_rules: these metrics are in Hours or Minutes)
_SECONDS = {"Hours": 3600.0, "Minutes": 60.0}


@frappe.whitelist()
def targets_from_requirement(requirement: str) -> list[dict]:
	"""Target rows answering the response and resolution lines of ``requirement``: one per service item
	and priority, in the order of the lines, naming the line it answers first (for the form's button)."""
	doc = frappe.get_doc("SLA Requirement", requirement)
	doc.check_permission("read")
	rows: dict[tuple, dict] = {}
	for line in doc.metrics:
		fieldname = rules.TARGET_FIELDS.get(line.metric)
		if not fieldname or line.unit not in _SECONDS:
			continue
		key = (line.service_item or None, (line.priority or "").strip() or None)
		row = rows.setdefault(
			key,
			{
				"service_item": key[0],
				"priority": key[1],
				"response_time": 0.0,
				"resolution_time": 0.0,
				"requirement_metric": line.name,
			},
		)
		row[fieldname] = flt(line.target_value) * _SECONDS[line.unit]
	for row in rows.values():
		row["requirement_line"] = _metric_label(
			next(m for m in requirement_metrics(requirement) if m.name == row["requirement_metric"])
		)
	return list(rows.values())


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def requirement_line_query(doctype, txt, searchfield, start, page_len, filters):
	"""The lines of one requirement (``filters.requirement``) for the target's Requirement Line picker."""
	requirement = (filters or {}).get("requirement")
	if not requirement:
		return []
	frappe.get_doc("SLA Requirement", requirement).check_permission("read")
	txt = (txt or "").casefold()
	out = []
	for m in requirement_metrics(requirement):
		label = _metric_label(m)
		if txt and txt not in label.casefold() and txt not in m.name.casefold():
			continue
		out.append((m.name, label))
	return out[cint(start) : cint(start) + cint(page_len or 20)]


def requirement_metrics(requirement: str) -> list[rules.Metric]:
	"""The measurable standards (lines) of an SLA Requirement, in their order."""
	rows = frappe.get_all(
		"SLA Requirement Metric",
		filters={"parent": requirement, "parenttype": "SLA Requirement"},
		fields=["name", "metric", "service_item", "priority"],
		order_by="idx asc",
	)
	return [rules.Metric(r.name, r.metric, r.service_item or None, r.priority or None) for r in rows]


def published_items(catalog: str | None = None) -> set[str]:
	"""Service items of the published catalog (§5.2.1): of the agreement's catalog if it names one."""
	from sla_management.sla_plan.doctype.sla_service_catalog.sla_service_catalog import (
		get_published_items,
	)

	return get_published_items(catalog)


def _live_agreements_of(customer_type: str, customer: str, exclude_code: str) -> list[tuple]:
	"""(row, coverage) of the Signed/Active agreements of a customer, other than versions of ``exclude_code``.

	Locking reads: they return what is committed now, not the transaction's older snapshot, so a submit
	that waited for the customer's lock sees the agreement signed just before it.
	"""
	rows = frappe.db.get_values(
		DOCTYPE,
		{
			"docstatus": 1,
			"status": ("in", rules.LIVE_STATUSES),
			"customer_type": customer_type,
			"customer": customer,
			"agreement_code": ("!=", exclude_code),
		},
		["name", "agreement_title", "customer_type", "customer", "valid_from", "valid_to"],
		as_dict=True,
		order_by="name",
		for_update=True,
	)
	if not rows:
		return []
	names = [r.name for r in rows]
	items, targets = {}, {}
	child_filters = {"parent": ("in", names), "parenttype": DOCTYPE}
	for i in frappe.db.get_values(
		"SLA Agreement Item", child_filters, ["parent", "service_item"], as_dict=True, for_update=True
	):
		items.setdefault(i.parent, []).append(i.service_item)
	for t in frappe.db.get_values(
		"SLA Agreement Target",
		child_filters,
		["parent", "idx", "service_item", "priority"],
		as_dict=True,
		for_update=True,
	):
		targets.setdefault(t.parent, []).append(
			rules.Target(t.idx, t.service_item or None, t.priority or None)
		)
	return [
		(
			r,
			rules.coverage(
				(r.customer_type, r.customer),
				getdate(r.valid_from),
				getdate(r.valid_to),
				items.get(r.name, []),
				targets.get(r.name, []),
			),
		)
		for r in rows
	]


def _today():
	return getdate(frappe.utils.nowdate())


# --------------------------------------------------------------------------- whitelisted


@frappe.whitelist()
def make_new_version(name: str) -> SLAAgreement:
	"""A new Draft version of a signed agreement, for its renewal or a change (§5.4.1).

	The old version stays valid until the new one starts (this is not Frappe's cancel/amend); the new
	version covers the period after the old one and can be changed before review.
	"""
	source = frappe.get_doc(DOCTYPE, name)
	source.check_permission("read")
	frappe.has_permission(DOCTYPE, "create", throw=True)
	if source.docstatus != 1:
		frappe.throw(_("Only a signed agreement can get a new version."), title=_("Not Signed"))
	pending = frappe.db.get_value(DOCTYPE, {"agreement_code": source.agreement_code, "docstatus": 0}, "name")
	if pending:
		frappe.throw(
			_("Version {0} of this agreement is already being prepared.").format(frappe.bold(pending)),
			title=_("New Version Exists"),
		)
	latest = frappe.get_all(
		DOCTYPE, {"agreement_code": source.agreement_code}, pluck="version", order_by="version desc", limit=1
	)
	new = frappe.copy_doc(source, ignore_no_copy=False)
	new.docstatus = 0
	_drop_unpublished_items(new)
	new.valid_from, new.valid_to = rules.next_period(getdate(source.valid_from), getdate(source.valid_to))
	new.update(
		{
			"agreement_code": source.agreement_code,
			"version": cint(latest[0] if latest else source.version) + 1,
			"previous_version": source.name,
			"status": rules.DRAFT,
		}
	)
	new.insert()
	return new


def _drop_unpublished_items(doc: SLAAgreement):
	"""A new version keeps only the items still published; their targets go with them (with a notice)."""
	dropped = set(rules.unknown_items([i.service_item for i in doc.items], published_items(doc.catalog)))
	if not dropped:
		return
	doc.items = [i for i in doc.items if i.service_item not in dropped]
	doc.targets = [t for t in doc.targets if t.service_item not in dropped]
	service_limits.drop_items(doc, dropped)
	frappe.msgprint(
		_("These service items are no longer published and were left out of the new version: {0}").format(
			", ".join(sorted(dropped))
		),
		indicator="orange",
		title=_("Service Items Left Out"),
	)


@frappe.whitelist()
def confirm_by_customer(name: str | None = None) -> str:
	"""The customer's portal confirmation (signature) of an approved agreement of its own.

	Called by website users: its errors are 4xx with a message and never carry a traceback, whatever
	the System Settings say (``allow_error_traceback``).
	"""
	frappe.local.flags.disable_traceback = True
	if not name or not isinstance(name, str):
		frappe.throw(_("Say which agreement to confirm."), title=_("Agreement Missing"))
	doc = frappe.get_doc(DOCTYPE, name)
	user = frappe.session.user
	if CUSTOMER not in frappe.get_roles(user) or not _is_customer_user(user, doc.customer_type, doc.customer):
		frappe.throw(
			_("Only a portal user of {0} can confirm this agreement.").format(
				doc.customer_name or doc.customer
			),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	if doc.docstatus != 0 or doc.status != APPROVED or not doc.reviewed_by:
		frappe.throw(_("This agreement is not waiting for your confirmation."), title=_("Not Allowed"))
	doc.update(
		{"signed_by_customer": frappe.utils.get_fullname(user), "signed_on": frappe.utils.now_datetime()}
	)
	doc.flags.ignore_permissions = True
	doc.flags.portal_confirmation = True
	doc.submit()
	return doc.status


def _is_customer_user(user: str, customer_type: str | None, customer: str | None) -> bool:
	from sla_management.common.permissions import get_customers_of_user

	return (customer_type, customer) in set(get_customers_of_user(user))
