# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The frozen SLA result of one agreement or service project in one month, quarter or year (issue 13).

Written and submitted only by the freeze job or a recompute (``sla_check.period_results``), never by hand:
a submitted copy, so later edits of tickets, timers or agreements do not change it. A recompute cancels
it and submits its amendment (revision + 1, the reason on the timeline). ``result_key`` (unique) is
(period type, period start, scope, agreement or project, revision): one result per revision.

Who reads them (§4, ``engine.access.ROW_RULES``): managers every result, a project manager those of their
projects, a customer the submitted results of their own projects.
"""

import frappe
from frappe import _
from frappe.model.document import Document


class SLAPeriodResult(Document):
	def before_insert(self):
		if not self.flags.sla_period_result:
			frappe.throw(
				_("Period results are written by the freeze job or by a recompute, not by hand."),
				exc=frappe.PermissionError,
			)

	def db_insert(self, *args, **kwargs):
		"""The result and its lines in two INSERTs (a result has a line per metric, priority and item)."""
		super().db_insert(*args, **kwargs)
		lines = self.get("lines") or []
		if not lines:
			return
		rows = []
		for d in lines:
			if not d.creation:
				d.creation, d.modified = self.creation, self.modified
				d.owner = d.modified_by = self.owner
			rows.append(d.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True))
			d.flags.inserted_with_parent = True
		columns = list(rows[0])
		frappe.db.bulk_insert(lines[0].doctype, columns, [[r.get(c) for c in columns] for r in rows])

	def validate(self):
		self.result_key = result_key(
			self.period_type, self.period_start, self.scope, self.agreement or self.project, self.revision
		)


def result_key(period_type, period_start, scope, reference, revision) -> str:
	return f"{period_type}|{period_start}|{scope}|{reference}|{int(revision or 1)}"
