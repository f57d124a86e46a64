# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

from sla_management.common.permissions import ChildRow


class SLAAgreementServiceLimit(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		availability_target: DF.Percent
		max_failure_duration: DF.Duration | None
		max_failures: DF.Int
		max_mttr: DF.Duration | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		requirement_line: DF.Data | None
		requirement_metric: DF.Link | None
		service_item: DF.Link
	# end: auto-generated types

	pass
