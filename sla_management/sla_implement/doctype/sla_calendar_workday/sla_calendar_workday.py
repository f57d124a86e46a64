# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

from sla_management.common.permissions import ChildRow


class SLACalendarWorkday(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.Data | None
		end_time: DF.Time
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		start_time: DF.Time
		workday_date: DF.Date
	# end: auto-generated types

	pass
