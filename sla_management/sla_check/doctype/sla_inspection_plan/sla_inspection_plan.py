# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""An inspection plan (巡检, §5.3.1): a checklist a service project's assignee works through at a frequency.

The scheduler (``sla_check.inspections.jobs``) creates one SLA Inspection per period from ``next_due`` on,
assigns it to ``assignee`` and moves ``next_due`` on. Who reads plans: managers all, a project manager
those of their projects (``engine.access.ROW_RULES``).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from sla_management.engine import inspections as schedule


class SLAInspectionPlan(Document):
	def validate(self):
		check_agreement_of_project(self)
		check_assignee(self)
		if (
			self.is_new()
			or not self.next_due
			or self.has_value_changed("start_date")
			or self.has_value_changed("frequency")
		):
			today = getdate(frappe.utils.nowdate())
			self.next_due = schedule.first_due(getdate(self.start_date), self.frequency, today)


def check_assignee(doc) -> None:
	"""A project manager may work only on their own projects' inspections (the row rules): one who does not
	manage this project could not save the inspections assigned to them."""
	from sla_management.common.permissions import MANAGED, get_scope

	if not doc.assignee or get_scope(doc.assignee) != MANAGED:
		return
	if frappe.db.get_value("SLA Service Project", doc.project, "project_manager") != doc.assignee:
		frappe.throw(
			_("{0} manages other service projects, not {1}: they could not work on its inspections.").format(
				doc.assignee, doc.project
			),
			exc=frappe.ValidationError,
			title=_("Wrong Assignee"),
		)


def check_agreement_of_project(doc) -> None:
	"""An inspection plan or inspection names an agreement of its own project only."""
	if not doc.agreement:
		return
	project = frappe.db.get_value("SLA Agreement", doc.agreement, "project")
	if project != doc.project:
		frappe.throw(
			_("Agreement {0} belongs to service project {1}, not to {2}.").format(
				doc.agreement, project, doc.project
			),
			exc=frappe.ValidationError,
			title=_("Wrong Agreement"),
		)
