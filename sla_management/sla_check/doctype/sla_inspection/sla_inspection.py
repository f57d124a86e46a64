# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""One inspection (巡检, §5.3.1): the results of a plan's checklist for one period, due on ``due_on``.

Draft while it is worked on (status Open, Overdue after its due day), submitted when every line has a
result (Completed, by whom and when). A failed line raises a ticket and/or an outage with one action
(``sla_check.inspections.actions``). Scheduled inspections carry ``schedule_key`` (plan and period), unique
in the database: one inspection per plan and period, however often the scheduler runs.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from sla_management.engine import inspections as schedule
from sla_management.sla_check.doctype.sla_inspection_plan.sla_inspection_plan import (
	check_agreement_of_project,
)

UNIQUE_SCHEDULE = "unique_schedule_key"


class SLAInspection(Document):
	def validate(self):
		self.schedule_key = self.schedule_key or None  # NULL: inspections made by hand never conflict
		check_agreement_of_project(self)
		if self.docstatus == 0:
			today = getdate(frappe.utils.nowdate())
			overdue = schedule.is_overdue(schedule.OPEN, getdate(self.due_on), today)
			self.status = schedule.OVERDUE if overdue else schedule.OPEN

	def before_submit(self):
		missing = [str(row.idx) for row in self.results if not row.passed]
		if missing:
			frappe.throw(
				_("Record Pass or Fail on every line before completing the inspection (lines {0}).").format(
					", ".join(missing)
				),
				exc=frappe.ValidationError,
				title=_("Inspection Incomplete"),
			)
		self.status = schedule.COMPLETED
		self.completed_by = frappe.session.user
		self.completed_on = frappe.utils.now_datetime()

	def on_cancel(self):
		self.db_set("status", schedule.CANCELLED)


def on_doctype_update():
	frappe.db.add_unique("SLA Inspection", ["schedule_key"], constraint_name=UNIQUE_SCHEDULE)
	frappe.db.add_index("SLA Inspection", ["project", "due_on"])
