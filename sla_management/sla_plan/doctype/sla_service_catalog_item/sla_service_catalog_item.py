# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

from sla_management.common.permissions import ChildRow


class SLAServiceCatalogItem(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		capability_confirmed: DF.Check
		capability_confirmed_by: DF.Link | None
		category: DF.Literal["", "Incident Handling", "Service Request", "Inspection", "Maintenance", "Consulting", "Other"]  # fmt: skip
		content: DF.TextEditor | None
		delivery_hours: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		review_note: DF.SmallText | None
		service_item: DF.Link
		service_object: DF.SmallText | None
		typical_resolution_time: DF.Duration | None
		typical_response_time: DF.Duration | None

	# end: auto-generated types

	pass
