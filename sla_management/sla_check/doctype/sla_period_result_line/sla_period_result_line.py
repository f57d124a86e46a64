# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

from sla_management.common.permissions import ChildRow


class SLAPeriodResultLine(ChildRow):
	def db_insert(self, *args, **kwargs):
		if self.flags.inserted_with_parent:  # in the parent's one INSERT of its lines
			self.flags.inserted_with_parent = False
			return
		super().db_insert(*args, **kwargs)
