# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

from sla_management.common.permissions import ChildRow


class SLARequirementMetric(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		metric: DF.Literal["", "Availability Hours", "Availability", "Number of Failures", "Failure Frequency", "Failure Duration", "Response Time", "Resolution Time"]  # fmt: skip
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		priority: DF.Autocomplete | None
		service_item: DF.Link | None
		target_value: DF.Float
		unit: DF.Literal["", "Percent", "Hours", "Minutes", "Count", "Count per Month", "Count per Year"]  # fmt: skip

	# end: auto-generated types

	pass
