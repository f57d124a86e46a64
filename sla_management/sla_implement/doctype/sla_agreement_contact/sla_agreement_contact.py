# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

from sla_management.common.permissions import ChildRow


class SLAAgreementContact(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact_name: DF.Data
		email: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		party: DF.Literal["Provider", "Customer"]
		phone: DF.Data | None
		role: DF.Data | None
		user: DF.Link | None
	# end: auto-generated types

	pass
