# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

import frappe

from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.plan import make_service_item


class TestSLAServiceItem(IntegrationTestCase):
	def test_valid_item_is_named_after_its_name(self):
		name = make_service_item(item_name="Desktop Support (test)")
		self.assertEqual(name, "Desktop Support (test)")
		self.assertEqual(frappe.db.get_value("SLA Service Item", name, "delivery_hours"), "5x8")

	def test_typical_availability_is_a_percentage(self):
		for value in (100.5, -1):
			with self.assertRaisesRegex(frappe.ValidationError, "between 0 and 100"):
				make_service_item(typical_availability=value)
		make_service_item(typical_availability=100)

	def test_resolution_not_shorter_than_response(self):
		with self.assertRaisesRegex(frappe.ValidationError, "shorter"):
			make_service_item(typical_response_time=7200, typical_resolution_time=3600)

	def test_negative_times_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "negative"):
			make_service_item(typical_response_time=-60, typical_resolution_time=None)

	def test_item_name_is_unique(self):
		make_service_item(item_name="Unique Service (test)")
		with self.assertRaises(frappe.DuplicateEntryError):
			make_service_item(item_name="Unique Service (test)")
