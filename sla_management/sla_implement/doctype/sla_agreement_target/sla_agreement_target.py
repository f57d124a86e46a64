# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

from sla_management.common.permissions import ChildRow


class SLAAgreementTarget(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		default_target: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		priority: DF.Autocomplete | None
		requirement_metric: DF.Link | None
		requirement_line: DF.Data | None
		resolution_time: DF.Duration | None
		response_time: DF.Duration | None
		service_item: DF.Link | None
	# end: auto-generated types

	pass
