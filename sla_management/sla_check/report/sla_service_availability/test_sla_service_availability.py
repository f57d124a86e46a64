# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench test of the SLA Service Availability report: availability per item and month on the 5x8 calendar."""

import frappe

from sla_management.sla_check.report.sla_service_availability.sla_service_availability import execute
from sla_management.tests.factories.agreements import (
	HOUR,
	ITEMS,
	OTHER_PM,
	PM,
	agreement_doc,
	frozen,
	sign,
	stored,
)
from sla_management.tests.world import WorldTestCase

SERVICE_HOURS = 22 * 9  # March and April 2026: 22 weekdays each


class TestSLAServiceAvailability(WorldTestCase):
	def setUp(self):
		super().setUp()
		self.agreement = sign(
			agreement_doc(
				self.world,
				availability_target=99,
				max_failures=1,
				max_failure_duration=1.5 * HOUR,
			).insert()
		)
		for start, end in (
			# Tue 17:00 → Wed 10:00: 1 h of service time in March, 1 h in April; one failure of March
			("2026-03-31 17:00:00", "2026-04-01 10:00:00"),
			("2026-04-14 10:00:00", "2026-04-14 10:30:00"),
		):
			frappe.get_doc(
				{
					"doctype": "SLA Outage",
					"service_item": ITEMS[0],
					"project": self.world.project_a,
					"agreement": self.agreement.name,
					"kind": "Down",
					"found_by": "Manual",
					"start": stored(start),
					"end": stored(end),
				}
			).insert(ignore_permissions=True)

	def run_report(self, **filters):
		with frozen("2026-05-15", "12:00:00"):
			return execute({"year": 2026, **filters})

	def test_months_are_measured_in_the_service_calendar(self):
		columns, rows, _message, chart, summary = self.run_report(agreement=self.agreement.name)
		self.assertIn("mttr_hours", [c["fieldname"] for c in columns])
		# January to May (the current month up to now), the one service item of the agreement
		self.assertEqual([r["month"] for r in rows], [f"2026-0{m}" for m in range(1, 6)])
		self.assertEqual({r["service_item"] for r in rows}, {ITEMS[0]})
		by_month = {r["month"]: r for r in rows}

		march = by_month["2026-03"]
		self.assertEqual((march["service_hours"], march["downtime_hours"]), (SERVICE_HOURS, 1))
		self.assertAlmostEqual(march["availability"], 100 * (SERVICE_HOURS - 1) / SERVICE_HOURS, places=3)
		self.assertEqual(march["target"], 99)
		# the failure crossing the month end counts in March with its whole business duration: 2 h > 1.5 h
		self.assertEqual((march["failures"], march["longest_failure_hours"], march["mttr_hours"]), (1, 2, 2))
		self.assertEqual((march["met"], march["status"]), (0, "Not Met"))

		april = by_month["2026-04"]
		self.assertEqual((april["service_hours"], april["downtime_hours"]), (SERVICE_HOURS, 1.5))
		self.assertAlmostEqual(april["availability"], 100 * (SERVICE_HOURS - 1.5) / SERVICE_HOURS, places=3)
		self.assertEqual(
			(april["failures"], april["longest_failure_hours"], april["mttr_hours"]), (1, 0.5, 0.5)
		)
		self.assertEqual((april["met"], april["status"]), (1, "Met"))

		january = by_month["2026-01"]
		self.assertEqual((january["availability"], january["failures"], january["met"]), (100, 0, 1))

		self.assertEqual(chart["data"]["labels"], [r["month"] for r in rows])
		self.assertEqual(chart["data"]["datasets"][1]["values"], [99] * 5)
		cards = {s["label"]: s["value"] for s in summary}
		self.assertEqual((cards["Months Below Target"], cards["Failures"]), (0, 2))
		self.assertLess(cards["Average Availability"], 100)

	def test_service_item_filter(self):
		_columns, rows, *_rest = self.run_report(agreement=self.agreement.name, service_item=ITEMS[1])
		self.assertEqual(rows, [])

	def test_project_manager_sees_only_own_projects(self):
		frappe.set_user(PM)
		_columns, rows, *_rest = self.run_report(agreement=self.agreement.name)
		self.assertEqual(len(rows), 5)
		frappe.set_user(OTHER_PM)
		_columns, rows, *_rest = self.run_report(agreement=self.agreement.name)
		self.assertEqual(rows, [])
		_columns, rows, *_rest = self.run_report()
		self.assertNotIn(self.agreement.name, {r["agreement"] for r in rows})

	def test_unknown_filters_are_clear_errors(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Unknown agreement"):
			self.run_report(agreement="_Test no such agreement")
		with self.assertRaisesRegex(frappe.ValidationError, "year"):
			self.run_report(year="20x6")

	def test_months_filter(self):
		_columns, rows, *_rest = self.run_report(agreement=self.agreement.name, from_month=3, to_month=4)
		self.assertEqual([r["month"] for r in rows], ["2026-03", "2026-04"])
		with self.assertRaisesRegex(frappe.ValidationError, "from 1 to 12"):
			self.run_report(from_month=13)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be after"):
			self.run_report(from_month=5, to_month=4)


class TestPerItemLimits(WorldTestCase):
	"""Two items of one agreement: the VPN has its own limits row, the Email item the agreement's."""

	def setUp(self):
		super().setUp()
		self.agreement = sign(
			agreement_doc(
				self.world,
				project=self.world.project_b,
				items=[{"service_item": ITEMS[0]}, {"service_item": ITEMS[1]}],
				availability_target=99,
				max_failures=1,
				service_limits=[
					{
						"service_item": ITEMS[1],
						"availability_target": 99.9,
						"max_failures": 2,
						"max_mttr": 0.25 * HOUR,
					}
				],
			).insert()
		)
		for item in ITEMS[:2]:
			frappe.get_doc(
				{
					"doctype": "SLA Outage",
					"service_item": item,
					"project": self.world.project_b,
					"agreement": self.agreement.name,
					"kind": "Down",
					"found_by": "Manual",
					"start": stored("2026-04-14 10:00:00"),
					"end": stored("2026-04-14 10:30:00"),
				}
			).insert(ignore_permissions=True)

	def test_each_item_is_measured_against_its_own_limits(self):
		with frozen("2026-05-15", "12:00:00"):
			_columns, rows, _message, chart, summary = execute(
				{"year": 2026, "agreement": self.agreement.name, "from_month": 4, "to_month": 4}
			)
		by_item = {r["service_item"]: r for r in rows}
		self.assertEqual(set(by_item), set(ITEMS[:2]))
		expected = 100 * (SERVICE_HOURS - 0.5) / SERVICE_HOURS  # 99.7475 %: above 99, below 99.9
		email, vpn = by_item[ITEMS[0]], by_item[ITEMS[1]]
		for row in (email, vpn):
			self.assertAlmostEqual(row["availability"], expected, places=3)
			self.assertEqual((row["failures"], row["mttr_hours"]), (1, 0.5))
		# Email: the agreement's 99 % and one failure per month are kept
		self.assertEqual((email["target"], email["met"], email["status"]), (99, 1, "Met"))
		# VPN: its row's 99.9 % and MTTR ≤ 15 min are missed (two failures would be allowed)
		self.assertEqual((vpn["target"], vpn["met"], vpn["status"]), (99.9, 0, "Not Met"))
		cards = {s["label"]: s["value"] for s in summary}
		self.assertEqual(cards["Months Below Target"], 1)
		self.assertEqual(chart["data"]["datasets"][1]["values"], [99.9])

	def test_project_managers_see_the_limits_of_their_projects_only(self):
		with frozen("2026-05-15", "12:00:00"):
			frappe.set_user(OTHER_PM)
			rows = execute({"year": 2026, "agreement": self.agreement.name, "from_month": 4, "to_month": 4})[
				1
			]
			self.assertEqual({r["target"] for r in rows}, {99, 99.9})
			frappe.set_user(PM)
			self.assertEqual(execute({"year": 2026, "agreement": self.agreement.name})[1], [])
