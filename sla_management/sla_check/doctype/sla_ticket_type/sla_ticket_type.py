# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Which DocType is a ticket and how SLA reads it: fields for customer, project, service item, priority,
status and opening time, and the statuses that pause, respond, resolve and reopen (§5.3.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import frappe
from frappe import _
from frappe.model.document import Document

from sla_management.engine import ticket_rules
from sla_management.engine.ticket_rules import FIELD_TYPES, STANDARD_DATETIME_FIELDS
from sla_management.setup.custom_fields import FIELD_PREFIX

APP = "sla_management"


class SLATicketType(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	if TYPE_CHECKING:
		from frappe.types import DF

		from sla_management.sla_check.doctype.sla_ticket_status_rule.sla_ticket_status_rule import (
			SLATicketStatusRule,
		)

		customer_doctype: DF.Link | None
		customer_field: DF.Data | None
		enabled: DF.Check
		opening_field: DF.Data
		opening_time_field: DF.Data | None
		priority_field: DF.Data | None
		project_field: DF.Data | None
		service_item_field: DF.Data | None
		status_field: DF.Data
		status_rules: DF.Table[SLATicketStatusRule]
		ticket_doctype: DF.Link
	# end: auto-generated types

	def validate(self):
		self.validate_ticket_doctype()
		self.validate_fields()
		self.validate_status_rules()

	def validate_ticket_doctype(self):
		meta = frappe.get_meta(self.ticket_doctype)
		if meta.istable or meta.issingle:
			frappe.throw(
				_("{0} cannot be a ticket: child tables and single DocTypes have no tickets.").format(
					_(self.ticket_doctype)
				),
				title=_("Invalid Ticket DocType"),
			)
		if meta.module in frappe.get_module_list(APP):
			frappe.throw(
				_("{0} belongs to SLA Management and cannot be a ticket.").format(_(self.ticket_doctype)),
				title=_("Invalid Ticket DocType"),
			)

	def validate_fields(self):
		meta = frappe.get_meta(self.ticket_doctype)
		for role, fieldtypes in FIELD_TYPES.items():
			fieldname = (self.get(role) or "").strip()
			self.set(role, fieldname or None)
			if not fieldname or fieldname.startswith(FIELD_PREFIX):
				continue  # the app creates its own fields when the ticket type is saved
			if role == "opening_field" and fieldname in STANDARD_DATETIME_FIELDS:
				continue
			field = meta.get_field(fieldname)
			if not field:
				frappe.throw(
					_("{0}: {1} has no field {2}.").format(
						_(self.meta.get_label(role)), _(self.ticket_doctype), fieldname
					),
					title=_("Unknown Field"),
				)
			if field.fieldtype not in fieldtypes:
				frappe.throw(
					_("{0}: field {1} is a {2} field; expected one of: {3}.").format(
						_(self.meta.get_label(role)),
						fieldname,
						_(field.fieldtype),
						", ".join(_(t) for t in fieldtypes),
					),
					title=_("Wrong Field Type"),
				)

	def validate_status_rules(self):
		for row in self.status_rules:
			row.status = (row.status or "").strip()
		rules = [ticket_rules.StatusRule(r.idx, r.status, r.effect) for r in self.status_rules]
		for problem in ticket_rules.status_rule_problems(rules):
			if problem.kind == ticket_rules.DUPLICATE_RULE:
				frappe.throw(
					_("Row {0}: status {1} is listed twice for {2}.").format(
						problem.idx, problem.statuses[0], _(problem.effect)
					),
					title=_("Duplicate Status Rule"),
				)
			frappe.throw(
				_("Status {0} cannot both resolve and pause or reopen a ticket.").format(
					", ".join(problem.statuses)
				),
				title=_("Conflicting Status Rules"),
			)

	def on_update(self):
		from sla_management.sla_check.tickets.config import clear_cache
		from sla_management.sla_check.tickets.setup import ensure_ticket_fields

		if self.enabled:
			ensure_ticket_fields(self.ticket_doctype, self.priority_field or self.status_field)
		clear_cache()

	def on_trash(self):
		"""The SLA section goes with the ticket type that added it (symmetric with on_update)."""
		from sla_management.sla_check.tickets.config import clear_cache
		from sla_management.sla_check.tickets.setup import remove_ticket_fields

		remove_ticket_fields(self.ticket_doctype)
		clear_cache()
