# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class SLAServiceItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal["", "Incident Handling", "Service Request", "Inspection", "Maintenance", "Consulting", "Other"]  # fmt: skip
		content: DF.TextEditor | None
		delivery_hours: DF.Data | None
		disabled: DF.Check
		item_name: DF.Data
		service_object: DF.SmallText | None
		typical_availability: DF.Percent
		typical_resolution_time: DF.Duration | None
		typical_response_time: DF.Duration | None

	# end: auto-generated types

	def validate(self):
		self.validate_typical_availability()
		self.validate_typical_times()

	def validate_typical_availability(self):
		if not 0 <= flt(self.typical_availability) <= 100:
			frappe.throw(
				_("Typical Availability must be between 0 and 100 percent."), title=_("Invalid Service Item")
			)

	def validate_typical_times(self):
		for fieldname in ("typical_response_time", "typical_resolution_time"):
			if flt(self.get(fieldname)) < 0:
				frappe.throw(
					_("{0} cannot be negative.").format(_(self.meta.get_label(fieldname))),
					title=_("Invalid Service Item"),
				)
		if (
			self.typical_response_time
			and self.typical_resolution_time
			and flt(self.typical_resolution_time) < flt(self.typical_response_time)
		):
			frappe.throw(
				_("Typical Resolution Time cannot be shorter than Typical Response Time."),
				title=_("Invalid Service Item"),
			)
