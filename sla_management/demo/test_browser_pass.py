"""Bench test of what the browser pass asks the server for (``demo.browser_pass``):

CI=1 bench --site SITE run-tests --app sla_management --module sla_management.demo.test_browser_pass
"""

from __future__ import annotations

import frappe

from sla_management.demo.browser_pass import freeze_demo_month
from sla_management.demo.data import CUSTOMERS
from sla_management.engine import attainment as att
from sla_management.tests.compat import IntegrationTestCase


class TestFreezeDemoMonth(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_refused_to_anyone_but_a_system_manager(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			freeze_demo_month()

	def test_the_demo_projects_get_the_latest_finished_month_once(self):
		projects = [c.project for c in CUSTOMERS if frappe.db.exists("SLA Service Project", c.project)]
		if not projects:
			self.skipTest("the demo is not loaded on this site")
		start = att.latest_finished(att.MONTH, frappe.utils.getdate())
		written = freeze_demo_month()
		results = frappe.get_all(
			"SLA Period Result",
			filters={"project": ("in", projects), "period_type": att.MONTH, "period_start": start},
			fields=["name", "scope", "project", "docstatus"],
		)
		self.assertEqual({r.project for r in results if r.scope == "Project"}, set(projects))
		self.assertTrue(all(r.docstatus == 1 for r in results))
		self.assertLessEqual(set(written), {r.name for r in results})
		self.assertEqual(freeze_demo_month(), [])  # nothing is frozen twice
