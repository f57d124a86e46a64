# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench test of the SLA Attainment report on a small year built by hand (``sla_improve.kpi_world``): one
test per part of execute() (columns, data, message, chart, summary), the counting rule, permissions, the
drill-down and bad filters."""

import frappe

from sla_management.sla_check.report.sla_attainment.sla_attainment import execute, ticket_route
from sla_management.sla_improve import kpi_world
from sla_management.tests.factories.agreements import OTHER_PM, PM, frozen
from sla_management.tests.world import WorldTestCase


class TestSLAAttainment(WorldTestCase):
	def setUp(self):
		super().setUp()
		self.year = kpi_world.build_year(self.world)
		kpi_world.set_kpi_target(95)

	def run_report(self, **filters):
		with frozen(*kpi_world.NOW):
			return execute({"year": 2026, **filters})

	def projects(self, rows):
		return {
			r["project"]: (r["measured"], r["met"], r["breached"], r["rate"])
			for r in rows
			if r["indent"] == 0
		}

	def test_columns(self):
		columns = self.run_report()[0]
		self.assertEqual(
			[c["fieldname"] for c in columns],
			[
				"project",
				"agreement",
				"service_item",
				"priority",
				"metric",
				"measured",
				"met",
				"breached",
				"rate",
				"tickets",
			],
		)

	def test_data(self):
		rows = self.run_report()[1]
		pa, pb = self.world.project_a, self.world.project_b
		# a timer counts in the period in which it ended; running unbreached, cancelled, 2025's: not
		self.assertEqual(self.projects(rows), {pa: (10, 9, 1, 90.0), pb: (2, 1, 1, 50.0)})
		leaves = {
			(r["project"], r["priority"], r["metric"]): (r["measured"], r["met"], r["breached"])
			for r in rows
			if r["indent"] == 2
		}
		self.assertEqual(
			leaves,
			{
				(pa, "P1", "Response"): (5, 5, 0),
				(pa, "P1", "Resolution"): (4, 4, 0),
				(pa, "P2", "Resolution"): (1, 0, 1),
				(pb, "P1", "Response"): (1, 1, 0),
				(pb, "P1", "Resolution"): (1, 0, 1),
			},
		)
		# the tree: project → agreement → item/priority/metric
		self.assertEqual([r["indent"] for r in rows if r["project"] == pb], [0, 1, 2, 2])
		agreement_row = next(r for r in rows if r["project"] == pa and r["indent"] == 1)
		self.assertEqual((agreement_row["agreement"], agreement_row["measured"]), (self.year.agreement_a, 10))

		# one month, and the other filters
		march = self.projects(self.run_report(month=3)[1])
		self.assertEqual(march, {pa: (7, 6, 1, round(600 / 7, 4)), pb: (2, 1, 1, 50.0)})
		january = self.run_report(from_date="2026-01-01", to_date="2026-01-31")[1]
		self.assertEqual(self.projects(january), {pa: (3, 3, 0, 100.0)})
		resolution = self.projects(self.run_report(metric="Resolution", priority="P1")[1])
		self.assertEqual(resolution, {pa: (4, 4, 0, 100.0), pb: (1, 0, 1, 0.0)})
		only_b = self.projects(self.run_report(project=pb)[1])
		self.assertEqual(list(only_b), [pb])
		# 2025: the timer that ended then and the one breached then (stopped in 2026)
		self.assertEqual(self.projects(self.run_report(year=2025)[1]), {pa: (2, 1, 1, 50.0)})

	def test_message(self):
		message = self.run_report()[2]
		self.assertIn("breached when its deadline passed in the period", message)

	def test_chart(self):
		chart = self.run_report()[3]
		self.assertEqual(chart["data"]["labels"], [self.world.project_a, self.world.project_b])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [90.0, 50.0])
		self.assertEqual(chart["data"]["yMarkers"][0]["value"], 95.0)

	def test_report_summary(self):
		summary = self.run_report()[4]
		cards = {s["label"]: s["value"] for s in summary}
		self.assertEqual(
			cards,
			{"Measured": 12, "Met": 10, "Breached": 2, "SLA Attainment Rate %": round(1000 / 12, 4)},
		)

	def test_project_manager_sees_own_projects_only(self):
		frappe.set_user(PM)
		self.assertEqual(set(self.projects(self.run_report()[1])), {self.world.project_a})
		frappe.set_user(OTHER_PM)
		rows = self.run_report()[1]
		self.assertEqual(self.projects(rows), {self.world.project_b: (2, 1, 1, 50.0)})
		# nor through the filter or the drill-down
		self.assertEqual(self.run_report(project=self.world.project_a)[1], [])
		self.assertEqual(ticket_route({"project": self.world.project_a}, "2026-01-01", "2026-12-31"), {})

	def test_drill_down_to_timers_and_tickets(self):
		rows = self.run_report()[1]
		leaf = next(
			r for r in rows if r["indent"] == 2 and r["project"] == self.world.project_b and r["breached"]
		)
		# the breached figure's list filters give exactly the timers behind it (as the desk's list reads them)
		options = leaf["drill"]["breached"]
		timers = frappe.get_list(
			"SLA Timer",
			filters=[[f, *v] if isinstance(v, list) else [f, "=", v] for f, v in options.items()],
			pluck="ticket",
		)
		self.assertEqual(len(timers), leaf["breached"])
		project_row = next(r for r in rows if r["indent"] == 0 and r["project"] == self.world.project_b)
		d = project_row["drill"]
		route = ticket_route(frappe.as_json(d["group"]), d["from_date"], d["to_date"])
		self.assertEqual(route["doctype"], "Issue")
		self.assertEqual(len(route["names"]), 2)

	def test_availability_limit_checks_are_measured_targets(self):
		kpi_world.february_failure(self.world, self.year)  # 3 monthly checks so far, February's fails
		rows = self.run_report()[1]
		pa = self.world.project_a
		self.assertEqual(self.projects(rows)[pa], (13, 11, 2, round(1100 / 13, 4)))
		check = next(r for r in rows if r["indent"] == 2 and r["metric"] == "Availability")
		self.assertEqual(
			(check["agreement"], check["service_item"], check["priority"], check["measured"], check["met"]),
			(self.year.agreement_a, kpi_world.EMAIL, "", 3, 2),
		)
		self.assertEqual(check["drill"]["report"], "SLA Service Availability")
		only = self.run_report(metric="Availability")[1]
		self.assertEqual(self.projects(only), {pa: (3, 2, 1, round(200 / 3, 4))})
		# a timer metric or a priority: no checks
		self.assertEqual(self.projects(self.run_report(priority="P1")[1])[pa], (9, 9, 0, 100.0))

	def test_bad_filters_are_417(self):
		for filters in (
			{"from_date": "2026-02-30", "to_date": "2026-03-01"},
			{"from_date": "2026-03-02", "to_date": "2026-03-01"},
			{"from_date": "2020-01-01", "to_date": "2026-03-01"},
			{"from_date": "2026-01-01"},
			{"year": "20x6"},
			{"year": 1900},
			{"month": 13},
			{"metric": "Happiness"},
			{"project": "No Such Project"},
		):
			with self.subTest(filters=filters), self.assertRaises(frappe.ValidationError) as caught:
				self.run_report(**filters)
			self.assertEqual(caught.exception.http_status_code, 417)
