# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

from unittest.mock import patch

import frappe

from sla_management.engine.roles import OPERATIONS_MANAGER, PROJECT_MANAGER
from sla_management.sla_plan.doctype.sla_requirement.sla_requirement import get_signed_agreement
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.plan import (
	customer_doctype,
	make_customer,
	make_project,
	make_requirement,
	make_service_item,
	make_user,
	unique,
)

PM = "sla-req-pm@example.com"
OTHER_PM = "sla-req-pm2@example.com"
OPS = "sla-req-ops@example.com"
MODULE = "sla_management.sla_plan.doctype.sla_requirement.sla_requirement"


def metric(name, value, unit, **values):
	return {"metric": name, "target_value": value, "unit": unit, **values}


class TestSLARequirement(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(PM, PROJECT_MANAGER)
		make_user(OTHER_PM, PROJECT_MANAGER)
		make_user(OPS, OPERATIONS_MANAGER)
		cls.customer = make_customer(unique("Requirement Customer"))
		cls.project = make_project(cls.customer, PM)
		cls.item = make_service_item()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_customer_is_fetched_from_the_project(self):
		doc = make_requirement(self.project)
		self.assertTrue(doc.name.startswith("SLA-REQ-"))
		self.assertEqual(doc.status, "Draft")
		self.assertEqual((doc.customer_type, doc.customer), (customer_doctype(), self.customer))
		self.assertTrue(doc.customer_name)

	def test_all_six_standards_with_consistent_units(self):
		doc = make_requirement(
			self.project,
			[
				metric("Availability Hours", 2080, "Hours"),
				metric("Availability", 99.9, "Percent"),
				metric("Number of Failures", 3, "Count"),
				metric("Failure Frequency", 1, "Count per Month"),
				metric("Failure Duration", 4, "Hours"),
				metric("Response Time", 15, "Minutes", priority="P1"),
				metric("Response Time", 1, "Hours", priority="P2"),
				metric("Resolution Time", 4, "Hours", priority="P1", service_item=self.item),
				metric("Resolution Time", 8, "Hours", priority="P1"),
			],
		)
		self.assertEqual(len(doc.metrics), 9)

	def test_metric_validation_errors(self):
		for rows, pattern in (
			([metric("Response Time", -5, "Minutes")], "cannot be negative"),
			([metric("Availability", 100.5, "Percent")], "cannot exceed 100"),
			([metric("Response Time", 5, "Percent")], "cannot be measured in"),
			([metric("Availability", 99, "Hours")], "cannot be measured in"),
			([metric("Failure Frequency", 2, "Count")], "cannot be measured in"),
			(
				[
					metric("Response Time", 15, "Minutes", priority="P1"),
					metric("Response Time", 1, "Hours", priority=" p1"),
				],
				"already defined in row 1",
			),
		):
			with self.subTest(pattern=pattern), self.assertRaisesRegex(frappe.ValidationError, pattern):
				make_requirement(self.project, rows)

	def test_other_service_hours_need_details(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Describe the service hours"):
			make_requirement(self.project, service_days_hours="Other")
		make_requirement(self.project, service_days_hours="Other", service_hours_note="Mon-Sat 08:00-20:00")

	def test_confirm_and_reopen(self):
		doc = make_requirement(self.project)
		frappe.set_user(PM)
		doc.confirm()
		self.assertEqual(doc.status, "Confirmed")
		self.assertEqual(doc.confirmed_by, PM)
		self.assertTrue(doc.confirmed_on)
		with self.assertRaises(frappe.ValidationError):
			doc.confirm()

		doc.reopen()
		self.assertEqual(doc.status, "Draft")
		self.assertFalse(doc.confirmed_by)
		with self.assertRaises(frappe.ValidationError):
			doc.reopen()

	def test_confirm_needs_a_metric(self):
		doc = make_requirement(self.project, [])
		frappe.set_user(PM)
		with self.assertRaisesRegex(frappe.ValidationError, "at least one"):
			doc.confirm()

	def test_confirmed_requirement_is_frozen(self):
		doc = make_requirement(self.project)
		doc.confirm()
		for change in (
			lambda d: setattr(d, "customer_expectations", "More"),
			lambda d: setattr(d.metrics[0], "target_value", 5),
			lambda d: d.append("metrics", metric("Availability", 99, "Percent")),
		):
			doc.reload()
			change(doc)
			with self.assertRaisesRegex(frappe.ValidationError, "Reopen it"):
				doc.save()
		with self.assertRaisesRegex(frappe.ValidationError, "Reopen it"):
			frappe.delete_doc(doc.doctype, doc.name)

	def test_status_cannot_be_changed_by_saving(self):
		doc = make_requirement(self.project)
		doc.status = "Confirmed"
		with self.assertRaisesRegex(frappe.ValidationError, "actions only"):
			doc.save()

	def test_new_requirement_starts_as_draft(self):
		doc = make_requirement(self.project, status="Confirmed", confirmed_by=OPS)
		self.assertEqual(doc.status, "Draft")
		self.assertFalse(doc.confirmed_by)

	def test_only_the_projects_manager_or_operations_manager_confirms(self):
		doc = make_requirement(self.project)
		frappe.set_user(OTHER_PM)
		with self.assertRaises(frappe.PermissionError):
			doc.confirm()
		frappe.set_user(OPS)
		doc.confirm()
		self.assertEqual(doc.confirmed_by, OPS)

	def test_reopen_refused_when_a_signed_agreement_answers_it(self):
		doc = make_requirement(self.project)
		doc.confirm()
		self.assertIsNone(get_signed_agreement(doc.name))
		with patch(f"{MODULE}.get_signed_agreement", return_value="SLA-AGR-2026-00001"):
			with self.assertRaisesRegex(frappe.ValidationError, "SLA-AGR-2026-00001"):
				doc.reopen()
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Confirmed")
