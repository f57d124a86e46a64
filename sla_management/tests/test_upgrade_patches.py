"""The v0.2 patches move a site of the single-module release to the stage modules, nothing lost; the v0.3
patch gives SLA Timer its unique key on a site with duplicates."""

from __future__ import annotations

import frappe

from sla_management.patches.v0_2 import move_to_stage_modules as move, remove_old_module as remove
from sla_management.patches.v0_3 import one_timer_per_cycle
from sla_management.sla_check.doctype.sla_timer.sla_timer import on_doctype_update
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


class TestOneTimerPerCyclePatch(IntegrationTestCase):
	"""v0.3: a site whose concurrent replies doubled timers gets its unique key, the oldest timer kept."""

	def tearDown(self):
		frappe.db.rollback()
		on_doctype_update()  # DDL: whatever happened above, the key is back

	def test_duplicates_are_removed_oldest_kept_and_the_unique_key_added(self):
		from datetime import datetime

		from sla_management.sla_check.doctype.sla_timer.sla_timer import UNIQUE_CYCLE
		from sla_management.sla_check.tickets.timer_store import TIMER, TIMER_PAUSE, insert_rows

		frappe.db.sql_ddl(f"ALTER TABLE `tab{TIMER}` DROP INDEX `{UNIQUE_CYCLE}`")  # as before 0.3
		tag = frappe.generate_hash(length=8)
		columns = ["name", "ticket_doctype", "ticket", "metric", "cycle", "status", "creation", "modified"]
		rows = [
			[
				f"_dup_old_{tag}",
				"Issue",
				f"DUP-{tag}",
				"Resolution",
				2,
				"Running",
				datetime(2026, 6, 1, 9),
				datetime(2026, 6, 1, 9),
			],
			[
				f"_dup_new_{tag}",
				"Issue",
				f"DUP-{tag}",
				"Resolution",
				2,
				"Running",
				datetime(2026, 6, 1, 9, 0, 1),
				datetime(2026, 6, 1, 9, 0, 1),
			],
			[
				f"_dup_other_{tag}",
				"Issue",
				f"DUP-{tag}",
				"Response",
				1,
				"Met",
				datetime(2026, 6, 1, 9),
				datetime(2026, 6, 1, 9),
			],
		]
		insert_rows(TIMER, columns, rows)
		insert_rows(
			TIMER_PAUSE,
			["name", "parent", "parenttype", "parentfield", "pause_start"],
			[[f"_dup_pause_{tag}", f"_dup_new_{tag}", TIMER, "pauses", datetime(2026, 6, 1, 10)]],
		)
		one_timer_per_cycle.execute()
		left = frappe.get_all(TIMER, filters={"ticket": f"DUP-{tag}"}, pluck="name", order_by="name")
		self.assertEqual(left, [f"_dup_old_{tag}", f"_dup_other_{tag}"])
		self.assertFalse(frappe.db.exists(TIMER_PAUSE, f"_dup_pause_{tag}"))
		self.assertTrue(frappe.db.sql(f"SHOW INDEX FROM `tab{TIMER}` WHERE Key_name = %s", UNIQUE_CYCLE))
		one_timer_per_cycle.execute()  # again: nothing to do, no error
		frappe.db.delete(TIMER, {"ticket": f"DUP-{tag}"})
