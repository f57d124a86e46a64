"""What the headless-browser pass (``scripts/browser-pass``) needs beyond the small demo.

The pass makes its outages, inspection plan and inspection through the REST API and deletes them
afterwards; frozen period results, though, are written only by the freeze job (a background job, and the
pass's site runs no worker). ``freeze_demo_month`` freezes the latest finished month of the demo's service
projects here and now, as the job would, and returns the names of the results it wrote; the pass cancels
and deletes them through the REST API when it is done. System Managers only; nothing but the demo's
projects is touched.
"""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.demo.data import CUSTOMERS
from sla_management.engine import attainment as att
from sla_management.sla_check.period_results import freeze

RESULT = "SLA Period Result"


@frappe.whitelist(methods=["POST"])
def freeze_demo_month() -> list[str]:
	"""Freeze the latest finished month of the demo's projects and their agreements (what has no result
	yet); the names of the results written."""
	if "System Manager" not in frappe.get_roles():  # not frappe.only_for: it lets everyone pass in tests
		frappe.throw(
			_("Only a System Manager may freeze the demo's period results."), exc=frappe.PermissionError
		)
	projects = frappe.get_all(
		"SLA Service Project", filters={"name": ("in", [c.project for c in CUSTOMERS])}, pluck="name"
	)
	if not projects:
		return []
	start, end = freeze.bounds(att.MONTH, att.latest_finished(att.MONTH, frappe.utils.getdate()))
	before = set(frappe.get_all(RESULT, filters={"project": ("in", projects)}, pluck="name"))
	agreements = freeze.agreements_of_period(start, end, projects)
	freeze.freeze_chunk(att.MONTH, start, agreements=agreements, projects=projects, commit=False)
	after = frappe.get_all(RESULT, filters={"project": ("in", projects)}, pluck="name", order_by="name asc")
	return [name for name in after if name not in before]
