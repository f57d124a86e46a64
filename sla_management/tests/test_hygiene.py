# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The app's test case leaves the site as it found it (issue 11, item 13): a class that commits tickets,
agreements' neighbours and changes SLA Settings leaves none of it behind."""

import unittest

import frappe
from frappe.utils import cint

from sla_management.engine import escalation_rules as rules
from sla_management.tests import hygiene
from sla_management.tests.compat import IntegrationTestCase

SUBJECT = "_Test hygiene: committed by a test class"


class _CommittingClass(IntegrationTestCase):
	"""Commits what a race test or DDL would: rows and an SLA Settings change."""

	def test_commits(self):
		frappe.get_doc({"doctype": "SLA Service Item", "item_name": SUBJECT}).insert(ignore_permissions=True)
		if frappe.db.exists("DocType", "Issue"):
			frappe.get_doc({"doctype": "Issue", "subject": SUBJECT}).insert(ignore_permissions=True)
		level = frappe.new_doc("SLA Escalation Level")
		level.update(
			{
				"parent": "SLA Settings",
				"parenttype": "SLA Settings",
				"parentfield": "escalation_levels",
				"idx": 99,
				"level_name": SUBJECT,
				"trigger": rules.PERCENT,
				"percent": 50,
			}
		)
		level.db_insert()
		frappe.db.set_single_value(
			"SLA Settings", "enabled", 1 - cint(frappe.db.get_single_value("SLA Settings", "enabled"))
		)
		frappe.db.commit()  # nosemgrep: what the hygiene must undo


class TestSiteHygiene(IntegrationTestCase):
	def test_a_class_that_commits_leaves_nothing_behind(self):
		before_settings = hygiene.settings_state()
		before_counts = {dt: frappe.db.count(dt) for dt in ("SLA Service Item", "Issue", "SLA Timer")}
		result = unittest.TextTestRunner(verbosity=0, stream=open("/dev/null", "w")).run(
			unittest.defaultTestLoader.loadTestsFromTestCase(_CommittingClass)
		)
		self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
		self.assertEqual(hygiene.settings_state(), before_settings)
		self.assertEqual(
			{dt: frappe.db.count(dt) for dt in before_counts}, before_counts, "committed rows were removed"
		)
		self.assertFalse(frappe.db.exists("SLA Service Item", SUBJECT))
		self.assertFalse(frappe.db.exists("SLA Escalation Level", {"level_name": SUBJECT}))


def load_tests(loader, tests, pattern):
	"""Only TestSiteHygiene runs as a test; _CommittingClass is run by it."""
	return loader.loadTestsFromTestCase(TestSiteHygiene)
