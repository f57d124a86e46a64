# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

from sla_management.common.permissions import ChildRow


class SLAAgreementServiceCredit(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		availability_below: DF.Percent
		credit_percent: DF.Percent
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		service_item: DF.Link | None
	# end: auto-generated types

	pass
