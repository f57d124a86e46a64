"""The v0.2 patches move a site of the single-module release to the stage modules, nothing lost."""

from __future__ import annotations

import frappe

from sla_management.patches.v0_2 import move_to_stage_modules as move, remove_old_module as remove
from sla_management.tests.compat import IntegrationTestCase

OLD = move.OLD_MODULE


class TestStageModulePatches(IntegrationTestCase):
	def setUp(self):
		"""Put the site back as the single-module release left it (rolled back after each test)."""
		if not frappe.db.exists("Module Def", OLD):
			frappe.get_doc({"doctype": "Module Def", "module_name": OLD, "app_name": move.APP}).db_insert()
		for doctype in ("DocType", "Report", "Workspace"):
			frappe.db.sql(
				f"update `tab{doctype}` set module = %s where module in %s",
				(OLD, tuple(frappe.get_module_list(move.APP))),
			)
		for old, new in move.MOVED_METHODS.items():
			frappe.db.sql("update `tabScheduled Job Type` set method = %s where method = %s", (old, new))
		self.timers = frappe.db.count("SLA Timer")

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_cache()

	def test_records_go_to_the_module_whose_folder_holds_them(self):
		move.execute()
		self.assertEqual(frappe.db.get_value("DocType", "SLA Agreement", "module"), "SLA Implement")
		self.assertEqual(frappe.db.get_value("DocType", "SLA Timer", "module"), "SLA Check")
		self.assertEqual(frappe.db.get_value("DocType", "SLA Requirement", "module"), "SLA Plan")
		self.assertEqual(
			frappe.db.get_value("Report", "SLA Requirement Traceability", "module"), "SLA Implement"
		)
		self.assertEqual(frappe.db.get_value("Workspace", "SLA Management", "module"), "SLA Plan")
		for module in frappe.get_module_list(move.APP):
			self.assertTrue(frappe.db.exists("Module Def", module), module)
		self.assertEqual(frappe.db.count("SLA Timer"), self.timers)

	def test_scheduled_jobs_point_to_the_new_paths(self):
		move.execute()
		for old, new in move.MOVED_METHODS.items():
			self.assertFalse(frappe.db.exists("Scheduled Job Type", {"method": old}), old)
			self.assertTrue(frappe.db.exists("Scheduled Job Type", {"method": new}), new)
			frappe.get_attr(new)  # the new path is importable

	def test_the_old_module_goes_once_empty_and_blocked_modules_carry_over(self):
		user = frappe.get_doc("User", "Administrator")
		frappe.get_doc(
			{
				"doctype": "Block Module",
				"parent": user.name,
				"parenttype": "User",
				"parentfield": "block_modules",
				"module": OLD,
			}
		).db_insert()
		remove.execute()  # before the move: records still belong to the old module, it stays
		self.assertTrue(frappe.db.exists("Module Def", OLD))
		move.execute()
		remove.execute()
		self.assertFalse(frappe.db.exists("Module Def", OLD))
		blocked = set(frappe.get_all("Block Module", {"parent": user.name}, pluck="module"))
		self.assertLessEqual(set(frappe.get_module_list(move.APP)), blocked)
		self.assertNotIn(OLD, blocked)

	def test_running_twice_changes_nothing_more(self):
		move.execute()
		remove.execute()
		modules = dict(frappe.db.sql("select name, module from tabDocType where name like 'SLA %%'"))
		move.execute()
		remove.execute()
		self.assertEqual(
			dict(frappe.db.sql("select name, module from tabDocType where name like 'SLA %%'")), modules
		)
