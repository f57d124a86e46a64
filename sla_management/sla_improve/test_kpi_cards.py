# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench test of the workspace's number cards and monthly attainment chart on the hand-built year
(``kpi_world``), called as the desk calls them (the whitelisted methods the standard cards name)."""

import frappe

from sla_management.sla_improve import kpi_world
from sla_management.tests.factories.agreements import OTHER_PM, PM, frozen
from sla_management.tests.world import WorldTestCase

CARDS = {
	"SLA KPI Year to Date": "kpi_year_to_date",
	"SLA Projects Below Target": "projects_below_target",
	"SLA Timers Breached This Month": "timers_breached_this_month",
	"SLA Timers at Risk Now": "timers_at_risk_now",
}
CHART_SOURCE = (
	"sla_management.sla_improve.dashboard_chart_source.sla_monthly_attainment.sla_monthly_attainment.get"
)


def card(name: str):
	"""A card's value the way the desk gets it: the whitelisted method the standard Number Card names."""
	fn = frappe.get_attr(frappe.db.get_value("Number Card", name, "method"))
	frappe.is_whitelisted(fn)
	with frozen(*kpi_world.NOW):
		return fn(filters="[]")["value"]


class TestKPICards(WorldTestCase):
	def setUp(self):
		super().setUp()
		self.year = kpi_world.build_year(self.world)
		kpi_world.set_kpi_target(95)

	def test_standard_cards_name_their_methods(self):
		for name, method in CARDS.items():
			doc = frappe.get_doc("Number Card", name)
			self.assertEqual((doc.type, doc.is_standard, doc.module), ("Custom", 1, "SLA Improve"))
			self.assertEqual(doc.method, f"sla_management.sla_improve.kpi.{method}")
		chart = frappe.get_doc("Dashboard Chart", "SLA Monthly Attainment")
		self.assertEqual((chart.chart_type, chart.source, chart.is_standard), ("Custom", chart.name, 1))
		workspace = frappe.get_doc("Workspace", "SLA Management")
		self.assertEqual({c.number_card_name for c in workspace.number_cards}, set(CARDS))
		self.assertEqual([c.chart_name for c in workspace.charts], ["SLA Monthly Attainment"])

	def test_card_values(self):
		# KPI so far (2026-03-20): (90 + 50) / 2; both projects below 95 %; March: one breach each; at risk:
		# the timer due at 12:30 and the one past an escalation level (not the paused one, not the one due
		# in April)
		self.assertEqual(card("SLA KPI Year to Date"), 70.0)
		self.assertEqual(card("SLA Projects Below Target"), 2)
		self.assertEqual(card("SLA Timers Breached This Month"), 2)
		self.assertEqual(card("SLA Timers at Risk Now"), 2)
		kpi_world.set_kpi_target(60)
		self.assertEqual(card("SLA Projects Below Target"), 1)

	def test_cards_count_what_the_user_may_read(self):
		frappe.set_user(PM)  # project A: 90 %, its breach of March, its timer due within the hour
		self.assertEqual(
			[card(name) for name in CARDS],
			[90.0, 1, 1, 1],
		)
		frappe.set_user(OTHER_PM)  # project B: 50 %, its breach of March, its timer past a level
		self.assertEqual([card(name) for name in CARDS], [50.0, 1, 1, 1])

	def test_target_defaults_to_95_when_not_stored(self):
		# a site migrated before the setting existed stores no value: not a 0 % target
		frappe.db.delete("Singles", {"doctype": "SLA Settings", "field": "kpi_target"})
		frappe.clear_document_cache("SLA Settings", "SLA Settings")
		self.assertEqual(card("SLA Projects Below Target"), 2)
		kpi_world.set_kpi_target(60)
		self.assertEqual(card("SLA Projects Below Target"), 1)

	def test_monthly_attainment_chart(self):
		with frozen(*kpi_world.NOW):
			data = frappe.call(CHART_SOURCE, chart_name="SLA Monthly Attainment", filters='{"year": 2026}')
		self.assertEqual(data["labels"], ["2026-01", "2026-02", "2026-03"])
		# January: project A only (3 of 3); February: nothing measured; March: (6/7 + 1/2) / 2
		values = data["datasets"][0]["values"]
		self.assertEqual(values[:2], [100.0, None])
		self.assertAlmostEqual(values[2], (600 / 7 + 50) / 2, places=3)
		self.assertEqual(data["yMarkers"][0]["value"], 95.0)
		frappe.set_user(OTHER_PM)
		with frozen(*kpi_world.NOW):
			data = frappe.call(CHART_SOURCE, filters='{"year": 2026}')
		self.assertEqual(data["datasets"][0]["values"], [None, None, 50.0])
