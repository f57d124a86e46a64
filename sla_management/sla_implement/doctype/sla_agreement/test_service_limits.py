# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of the agreement's limits per service item and its credit schedule (issues 12, 13):
validation through frappe.client, frozen with the signed version, copied into a new version, part of the
approval, ``limits_for`` and row permissions of the new child tables for two customers and two PMs."""

import frappe
import frappe.client

from sla_management.engine.availability import Limits
from sla_management.engine.credits import Step, credit_owed
from sla_management.sla_check.limits import credits_for, limits_for
from sla_management.sla_implement.doctype.sla_agreement.service_limits import limits_from_requirement
from sla_management.sla_implement.doctype.sla_agreement.sla_agreement import make_new_version
from sla_management.tests.factories import plan as plan_factory
from sla_management.tests.factories.agreements import (
	CUSTOMER_A_USER,
	CUSTOMER_B_USER,
	HOUR,
	ITEMS,
	OTHER_PM,
	PM,
	agreement_doc,
	approve,
	sign,
)
from sla_management.tests.world import WorldTestCase

AGREEMENT = "SLA Agreement"
LIMIT = "SLA Agreement Service Limit"
CREDIT = "SLA Agreement Service Credit"


def limited(world, project=None, item=ITEMS[0], **values):
	"""An unsaved agreement with two items, a limit row for ``item`` and a two-step credit schedule."""
	defaults = {
		"items": [{"service_item": ITEMS[0]}, {"service_item": ITEMS[1]}],
		"targets": [
			{"service_item": item, "priority": "P1", "response_time": HOUR, "resolution_time": 4 * HOUR}
		],
		"availability_target": 99,
		"max_failures": 3,
		"max_failure_duration": 4 * HOUR,
		"service_limits": [
			{
				"service_item": item,
				"availability_target": 99.9,
				"max_failures": 1,
				"max_failure_duration": HOUR,
				"max_mttr": 1800,
			}
		],
		"monthly_fee": 10000,
		"service_credits": [
			{"availability_below": 99.5, "credit_percent": 5},
			{"availability_below": 99, "credit_percent": 10, "service_item": item},
		],
	}
	return agreement_doc(world, project=project, **{**defaults, **values})


class TestServiceLimits(WorldTestCase):
	def insert_as_pm(self, doc):
		frappe.set_user(PM)
		try:
			return frappe.client.insert(doc.as_dict())
		finally:
			frappe.set_user("Administrator")

	def assert_refused(self, pattern, **changes):
		doc = limited(self.world)
		for fieldname, value in changes.items():
			doc.set(fieldname, value)
		with self.assertRaisesRegex(frappe.ValidationError, pattern):
			self.insert_as_pm(doc)

	def test_limits_are_validated_with_clear_errors(self):
		row = {"availability_target": 99}
		self.assert_refused(
			"not one of the agreement's items", service_limits=[{**row, "service_item": ITEMS[2]}]
		)
		self.assert_refused(
			"one row per service item",
			service_limits=[{**row, "service_item": ITEMS[0]}, {**row, "service_item": ITEMS[0]}],
		)
		self.assert_refused(
			"between 0 and 100", service_limits=[{"service_item": ITEMS[0], "availability_target": 101}]
		)
		self.assert_refused(
			"cannot be negative", service_limits=[{"service_item": ITEMS[0], "max_failures": -1}]
		)
		self.assert_refused(
			"at least one limit", service_limits=[{"service_item": ITEMS[0], "availability_target": 0}]
		)
		self.assert_refused(
			"credit must lie between 0 and 100",
			service_credits=[{"availability_below": 99, "credit_percent": 120}],
		)
		self.assert_refused(
			"Credit step 1: service item",
			service_credits=[{"availability_below": 99, "credit_percent": 5, "service_item": ITEMS[2]}],
		)
		self.assert_refused("monthly fee cannot be negative", monthly_fee=-1)
		saved = self.insert_as_pm(limited(self.world))
		self.assertEqual(saved["service_limits"][0]["max_mttr"], 1800)

	def test_error_is_http_417(self):
		self.assertEqual(frappe.ValidationError.http_status_code, 417)

	def test_signed_agreement_freezes_its_limits_and_credits(self):
		doc = sign(limited(self.world).insert())
		saved = frappe.client.get(AGREEMENT, doc.name)
		saved["service_limits"][0]["availability_target"] = 90
		with self.assertRaises(frappe.ValidationError):
			frappe.client.save(saved)
		with self.assertRaises(frappe.ValidationError):
			frappe.client.set_value(LIMIT, doc.service_limits[0].name, "max_failures", 5)
		with self.assertRaises(frappe.ValidationError):
			frappe.client.set_value(CREDIT, doc.service_credits[0].name, "credit_percent", 50)
		with self.assertRaises(frappe.ValidationError):
			frappe.client.set_value(AGREEMENT, doc.name, "monthly_fee", 1)
		doc.reload()
		self.assertEqual(
			(doc.service_limits[0].availability_target, doc.service_limits[0].max_failures), (99.9, 1)
		)
		self.assertEqual((doc.service_credits[0].credit_percent, doc.monthly_fee), (5, 10000))

	def test_changing_limits_withdraws_the_approval(self):
		doc = approve(limited(self.world).insert())
		self.assertEqual(doc.status, "Approved")
		saved = frappe.client.get(AGREEMENT, doc.name)
		saved["service_limits"][0]["max_failures"] = 2
		self.assertEqual(frappe.client.save(saved)["status"], "In Review")
		doc = approve(limited(self.world).insert())
		saved = frappe.client.get(AGREEMENT, doc.name)
		saved["service_credits"][0]["credit_percent"] = 6
		self.assertEqual(frappe.client.save(saved)["status"], "In Review")

	def test_new_version_copies_limits_and_credits(self):
		doc = sign(limited(self.world).insert())
		new = make_new_version(doc.name)
		self.assertEqual(
			[
				(r.service_item, r.availability_target, r.max_failures, r.max_failure_duration, r.max_mttr)
				for r in new.service_limits
			],
			[(ITEMS[0], 99.9, 1, HOUR, 1800)],
		)
		self.assertEqual(
			[(r.service_item, r.availability_below, r.credit_percent) for r in new.service_credits],
			[(None, 99.5, 5), (ITEMS[0], 99, 10)],
		)
		self.assertEqual(new.monthly_fee, 10000)
		self.assertNotEqual(new.service_limits[0].name, doc.service_limits[0].name)

	def test_limits_for_per_item_row_wins_else_agreement_defaults(self):
		doc = limited(self.world).insert()
		doc.service_limits[0].max_failures = 0  # a field the row leaves empty is the agreement's
		doc.save()
		limits = limits_for([doc.name])
		self.assertEqual(
			limits[(doc.name, ITEMS[0])],
			Limits(
				availability_pct=99.9,
				max_failures_per_month=3,
				max_failure_seconds=HOUR,
				max_mttr_seconds=1800,
			),
		)
		self.assertEqual(
			limits[(doc.name, ITEMS[1])],
			Limits(availability_pct=99, max_failures_per_month=3, max_failure_seconds=4 * HOUR),
		)
		# the agreement as a dict with its defaults is used as it is
		as_dict = {
			"name": doc.name,
			"availability_target": 98,
			"max_failures": 6,
			"failure_frequency_limit": 0,
			"max_failure_duration": 0,
			"report_period": "Quarterly",
		}
		self.assertEqual(
			limits_for([as_dict])[(doc.name, ITEMS[1])], Limits(availability_pct=98, max_failures_per_month=2)
		)
		self.assertEqual(limits_for([]), {})

	def test_credits_for_gives_fee_and_schedule(self):
		doc = limited(self.world).insert()
		fee, steps = credits_for([doc.name])[doc.name]
		self.assertEqual((fee, steps), (10000, [Step(99.5, 5, None), Step(99, 10, ITEMS[0])]))
		# 98.9 % of the Email item: both steps apply, the higher (10 %) is owed, not 15 %
		self.assertEqual(credit_owed(98.9, steps, fee, ITEMS[0]), (10, 1000))
		self.assertEqual(credit_owed(98.9, steps, fee, ITEMS[1]), (5, 500))

	def test_fill_limits_from_requirement_lines(self):
		requirement = plan_factory.make_requirement(
			self.world.project_a,
			[
				{"metric": "Availability", "unit": "Percent", "target_value": 99.8, "service_item": ITEMS[0]},
				{
					"metric": "Failure Duration",
					"unit": "Minutes",
					"target_value": 30,
					"service_item": ITEMS[0],
				},
				{
					"metric": "Failure Frequency",
					"unit": "Count per Month",
					"target_value": 2,
					"service_item": ITEMS[1],
				},
				{"metric": "Availability", "unit": "Percent", "target_value": 99},  # no item: agreement level
				{"metric": "Response Time", "unit": "Minutes", "target_value": 30, "priority": "P1"},
			],
		)
		rows = limits_from_requirement(requirement.name)
		by_item = {r["service_item"]: r for r in rows}
		self.assertEqual(set(by_item), {ITEMS[0], ITEMS[1]})
		self.assertEqual(
			(by_item[ITEMS[0]]["availability_target"], by_item[ITEMS[0]]["max_failure_duration"]),
			(99.8, 1800),
		)
		self.assertEqual(by_item[ITEMS[1]]["max_failures"], 2)
		self.assertTrue(by_item[ITEMS[0]]["requirement_line"].startswith("Availability"))
		doc = limited(self.world, requirement=requirement.name, service_limits=rows).insert()
		self.assertEqual(
			[r.requirement_line for r in doc.service_limits], [r["requirement_line"] for r in rows]
		)
		# a line of another kind is refused
		response_line = frappe.db.get_value(
			"SLA Requirement Metric", {"parent": requirement.name, "metric": "Response Time"}
		)
		doc.service_limits[0].requirement_metric = response_line
		with self.assertRaisesRegex(frappe.ValidationError, "not an availability or failure line"):
			doc.save()

	def test_a_limit_row_answers_its_requirement_line(self):
		requirement = plan_factory.make_requirement(
			self.world.project_a,
			[{"metric": "Availability", "unit": "Percent", "target_value": 99.8, "service_item": ITEMS[1]}],
		)
		frappe.local.message_log = []
		limited(self.world, requirement=requirement.name, availability_target=0).insert()
		self.assertIn("Requirement Lines Unanswered", str(frappe.local.message_log))
		frappe.local.message_log = []
		limited(
			self.world,
			requirement=requirement.name,
			availability_target=0,
			service_limits=[{"service_item": ITEMS[1], "availability_target": 99.8}],
		).insert()
		self.assertNotIn("Requirement Lines Unanswered", str(frappe.local.message_log))


class TestServiceLimitPermissions(WorldTestCase):
	def setUp(self):
		super().setUp()
		w = self.world
		self.signed_a = sign(limited(w, w.project_a, ITEMS[0]).insert())
		self.draft_a = limited(w, w.project_a, ITEMS[0]).insert()
		self.signed_b = sign(limited(w, w.project_b, ITEMS[1]).insert())
		self.draft_b = limited(w, w.project_b, ITEMS[1]).insert()

	def parents(self, child):
		rows = frappe.client.get_list(child, parent=AGREEMENT, fields=["name", "parent"], limit_page_length=0)
		return {r.parent for r in rows}

	def test_customers_see_only_rows_of_their_signed_agreements(self):
		for user, mine, other in (
			(CUSTOMER_A_USER, self.signed_a, self.signed_b),
			(CUSTOMER_B_USER, self.signed_b, self.signed_a),
		):
			frappe.set_user(user)
			for child in (LIMIT, CREDIT):
				with self.subTest(user=user, child=child):
					self.assertEqual(self.parents(child), {mine.name})
					row = frappe.db.get_value(child, {"parent": other.name}, "name")
					with self.assertRaises(frappe.PermissionError):
						frappe.client.get(child, row, parent=AGREEMENT)

	def test_project_managers_see_only_rows_of_their_projects(self):
		for user, mine, theirs in (
			(PM, {self.signed_a.name, self.draft_a.name}, {self.signed_b.name, self.draft_b.name}),
			(OTHER_PM, {self.signed_b.name, self.draft_b.name}, {self.signed_a.name, self.draft_a.name}),
		):
			frappe.set_user(user)
			for child in (LIMIT, CREDIT):
				with self.subTest(user=user, child=child):
					parents = self.parents(child)
					self.assertTrue(mine <= parents)
					self.assertFalse(theirs & parents)
