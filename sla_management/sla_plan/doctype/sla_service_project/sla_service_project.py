# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate


class SLAServiceProject(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customer: DF.DynamicLink
		customer_name: DF.Data | None
		customer_type: DF.Link
		description: DF.Text | None
		end_date: DF.Date | None
		project_manager: DF.Link | None
		project_name: DF.Data
		start_date: DF.Date | None
		status: DF.Literal["Active", "Closed"]  # fmt: skip

	# end: auto-generated types

	def validate(self):
		self.validate_customer_type()
		self.set_customer_name()
		self.validate_dates()

	def validate_customer_type(self):
		if not self.customer_type:
			return
		meta = frappe.get_meta(self.customer_type)
		if meta.istable or meta.issingle:
			frappe.throw(
				_("Customer Type must be a DocType of customer records, not {0}.").format(
					frappe.bold(_(self.customer_type))
				),
				title=_("Invalid Customer Type"),
			)

	def set_customer_name(self):
		if not (self.customer_type and self.customer):
			self.customer_name = None
			return
		title_field = frappe.get_meta(self.customer_type).get_title_field()
		name = frappe.db.get_value(self.customer_type, self.customer, title_field) if title_field else None
		self.customer_name = name or self.customer

	def validate_dates(self):
		if self.start_date and self.end_date and getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("End Date cannot be before Start Date."), title=_("Invalid Service Period"))
