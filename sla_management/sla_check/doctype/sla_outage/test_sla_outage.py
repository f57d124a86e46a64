# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""SLA Outage recorded by hand (issue 12): planned maintenance windows by operations and project managers,
with a start and an end after it; a project manager only for the projects they manage."""

import frappe
from frappe.client import insert as client_insert, set_value as client_set_value

from sla_management.tests.factories.agreements import ITEMS, OPS, OTHER_PM, PM
from sla_management.tests.world import WorldTestCase

OUTAGE = "SLA Outage"


class TestManualOutage(WorldTestCase):
	def record(self, user, **values):
		frappe.set_user(user)
		try:
			return client_insert(
				{
					"doctype": OUTAGE,
					"service_item": ITEMS[0],
					"project": self.world.project_a,
					"kind": "Planned Maintenance",
					"start": "2026-03-07 22:00:00",
					"end": "2026-03-07 22:10:00",
					"cause": "Mail server upgrade",
					**values,
				}
			)
		finally:
			frappe.set_user("Administrator")

	def test_managers_record_planned_maintenance(self):
		for user in (OPS, PM):
			with self.subTest(user=user):
				doc = self.record(user)
				self.assertEqual((doc["kind"], doc["found_by"]), ("Planned Maintenance", "Manual"))
				self.assertEqual(doc["customer"], self.world.customer_a)
				self.assertEqual(str(doc["end"]), "2026-03-07 22:10:00")

	def test_planned_maintenance_needs_an_end(self):
		with self.assertRaises(frappe.ValidationError) as caught:
			self.record(PM, end=None)
		self.assertNotIsInstance(caught.exception, frappe.PermissionError)
		# a failure may be open (ongoing); a planned window may not become open later either
		self.assertIsNone(self.record(PM, kind="Down", end=None)["end"])
		name = self.record(PM)["name"]
		frappe.set_user(PM)
		with self.assertRaises(frappe.ValidationError):
			client_set_value(OUTAGE, name, "end", None)

	def test_end_must_follow_start(self):
		for end in ("2026-03-07 21:00:00", "2026-03-07 22:00:00"):
			with self.subTest(end=end), self.assertRaises(frappe.ValidationError) as caught:
				self.record(OPS, end=end)
			self.assertNotIsInstance(caught.exception, frappe.PermissionError)

	def test_a_project_manager_only_for_their_projects(self):
		with self.assertRaises(frappe.PermissionError):
			self.record(OTHER_PM)
		self.assertTrue(self.record(OTHER_PM, project=self.world.project_b)["name"])
