# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench test of the SLA KPI report on a small year built by hand (``sla_improve.kpi_world``): one test per
part of execute(), the KPI as the mean of per-project rates (not the ticket-weighted share), live and
frozen sources, permissions and bad filters."""

import frappe

from sla_management.sla_improve import kpi_world
from sla_management.sla_improve.report.sla_kpi.sla_kpi import execute
from sla_management.tests.factories.agreements import OTHER_PM, PM, frozen
from sla_management.tests.world import WorldTestCase


def freeze_year(year: int, rows: dict, period_type="Year", start=None, end=None) -> None:
	"""Submitted project results as the freeze job writes them: {project: (measured, met)}."""
	for project, (measured, met) in rows.items():
		doc = frappe.get_doc(
			{
				"doctype": "SLA Period Result",
				"period_type": period_type,
				"period_start": start or f"{year}-01-01",
				"period_end": end or f"{year}-12-31",
				"scope": "Project",
				"project": project,
				"measured": measured,
				"met": met,
				"rate": 100.0 * met / measured if measured else None,
				"revision": 1,
			}
		)
		doc.flags.sla_period_result = True
		doc.insert(ignore_permissions=True)
		doc.submit()


class TestSLAKPI(WorldTestCase):
	def setUp(self):
		super().setUp()
		self.year = kpi_world.build_year(self.world)
		kpi_world.set_kpi_target(95)

	def run_report(self, **filters):
		with frozen(*kpi_world.NOW):
			return execute({"year": 2026, **filters})

	def cards(self, summary):
		return {s["label"]: s["value"] for s in summary}

	def test_columns(self):
		columns = self.run_report()[0]
		self.assertEqual(
			[c["fieldname"] for c in columns], ["project", "measured", "met", "breached", "rate", "status"]
		)

	def test_data(self):
		rows = self.run_report()[1]
		self.assertEqual(
			[(r["project"], r["measured"], r["met"], r["rate"], r["status"]) for r in rows],
			[
				(self.world.project_a, 10, 9, 90.0, "Below Target"),
				(self.world.project_b, 2, 1, 50.0, "Below Target"),
			],
		)
		kpi_world.set_kpi_target(80)
		rows = self.run_report()[1]
		self.assertEqual([r["status"] for r in rows], ["On Target", "Below Target"])

	def test_message(self):
		message = self.run_report()[2]
		self.assertIn("mean of the service projects' attainment rates", message)
		self.assertIn("Source: live", message)

	def test_chart(self):
		chart = self.run_report()[3]
		self.assertEqual(chart["data"]["labels"], [self.world.project_a, self.world.project_b])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [90.0, 50.0])
		self.assertEqual(chart["data"]["yMarkers"][0]["value"], 95.0)
		self.assertEqual(chart["type"], "bar")

	def test_report_summary(self):
		cards = self.cards(self.run_report()[4])
		# the mean of the per-project rates (90 + 50) / 2, not the weighted share 10 / 12 = 83.33 %
		self.assertEqual(cards["KPI (SLA Attainment Rate)"], 70.0)
		self.assertEqual(cards["Met ÷ Measured (not the KPI)"], round(1000 / 12, 4))
		self.assertEqual(cards["Projects Below Target"], 2)
		self.assertEqual(cards["Targets Measured"], 12)
		self.assertEqual(cards["Source"], "Live")

	def test_frozen_results_when_the_year_is_closed(self):
		# the frozen figures differ from the live timers: the report shows the frozen ones and says so
		freeze_year(2026, {self.world.project_a: (20, 19), self.world.project_b: (4, 4)})
		_columns, rows, message, _chart, summary = self.run_report()
		self.assertEqual(
			[(r["project"], r["measured"], r["met"], r["rate"]) for r in rows],
			[(self.world.project_a, 20, 19, 95.0), (self.world.project_b, 4, 4, 100.0)],
		)
		cards = self.cards(summary)
		self.assertEqual(cards["KPI (SLA Attainment Rate)"], 97.5)
		self.assertEqual(cards["Projects Below Target"], 0)
		self.assertEqual(cards["Source"], "Frozen Results (Year Closed)")
		self.assertIn("frozen yearly results of 2026", message)
		# another year stays live
		self.assertEqual(self.cards(self.run_report(year=2025)[4])["Source"], "Live")

	def test_open_year_takes_the_closed_months_from_frozen_monthly_results(self):
		# January is frozen (with figures unlike the live timers'), February and March are live
		pa, pb = self.world.project_a, self.world.project_b
		freeze_year(2026, {pa: (100, 100), pb: (10, 5)}, "Month", "2026-01-01", "2026-01-31")
		_columns, rows, message, _chart, summary = self.run_report()
		# A: 100/100 frozen + 7 measured, 6 met live; B: 5/10 frozen + 1 of 2 live
		self.assertEqual(
			[(r["project"], r["measured"], r["met"]) for r in rows], [(pa, 107, 106), (pb, 12, 6)]
		)
		cards = self.cards(summary)
		self.assertEqual(cards["KPI (SLA Attainment Rate)"], round((100 * 106 / 107 + 50) / 2, 4))
		self.assertEqual(cards["Source"], "Live")
		self.assertIn("2026-01 to 2026-01", message)
		# a gap (March frozen, February not): only the months from January on without a gap count
		freeze_year(2026, {pa: (1, 0)}, "Month", "2026-03-01", "2026-03-31")
		self.assertEqual([r["measured"] for r in self.run_report()[1]], [107, 12])

	def test_project_without_measured_targets_is_listed_not_counted(self):
		frappe.db.delete("SLA Timer", {"project": self.world.project_b})
		_columns, rows, message, _chart, summary = self.run_report()
		self.assertEqual([(r["project"], r["rate"]) for r in rows][1], (self.world.project_b, None))
		self.assertEqual(self.cards(summary)["KPI (SLA Attainment Rate)"], 90.0)
		self.assertIn(self.world.project_b, message)

	def test_project_manager_sees_own_projects_only(self):
		freeze_year(2025, {self.world.project_a: (10, 10), self.world.project_b: (10, 5)})
		for user, project, kpi_value, frozen_kpi in (
			(PM, self.world.project_a, 90.0, 100.0),
			(OTHER_PM, self.world.project_b, 50.0, 50.0),
		):
			frappe.set_user(user)
			rows, summary = self.run_report()[1], self.run_report()[4]
			self.assertEqual([r["project"] for r in rows], [project])
			self.assertEqual(self.cards(summary)["KPI (SLA Attainment Rate)"], kpi_value)
			frozen_rows = self.run_report(year=2025)
			self.assertEqual([r["project"] for r in frozen_rows[1]], [project])
			self.assertEqual(self.cards(frozen_rows[4])["KPI (SLA Attainment Rate)"], frozen_kpi)

	def test_live_counts_availability_limit_checks(self):
		kpi_world.february_failure(self.world, self.year)  # 3 monthly checks so far, February's fails
		rows = self.run_report()[1]
		# project A: 9 of 10 timers + 2 of 3 checks; project B: timers only
		self.assertEqual(
			[(r["project"], r["measured"], r["met"]) for r in rows],
			[(self.world.project_a, 13, 11), (self.world.project_b, 2, 1)],
		)
		cards = self.cards(self.run_report()[4])
		self.assertEqual(cards["KPI (SLA Attainment Rate)"], round((100 * 11 / 13 + 50) / 2, 4))

	def test_bad_filters_are_417(self):
		for filters in ({"year": "twenty"}, {"year": 3000}, {"project": "No Such Project"}):
			with self.subTest(filters=filters), self.assertRaises(frappe.ValidationError) as caught:
				self.run_report(**filters)
			self.assertEqual(caught.exception.http_status_code, 417)
