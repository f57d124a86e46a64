# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench test of the SLA Requirement Traceability report: requested → agreed → achieved per line."""

import frappe

from sla_management.sla_implement.report.sla_requirement_traceability.sla_requirement_traceability import (
	NOT_MEASURED,
	execute,
)
from sla_management.tests.factories.agreements import (
	ITEMS,
	PM,
	make_agreement,
)
from sla_management.tests.world import WorldTestCase


class TestSLARequirementTraceability(WorldTestCase):
	def setUp(self):
		super().setUp()
		self.requirement = frappe.get_doc(
			{
				"doctype": "SLA Requirement",
				"project": self.world.project_a,
				"metrics": [
					{
						"metric": "Response Time",
						"unit": "Hours",
						"target_value": 1,
						"service_item": ITEMS[0],
						"priority": "P1",
					},
					{"metric": "Availability", "unit": "Percent", "target_value": 99.9},
				],
			}
		).insert()
		self.agreement = make_agreement(self.world, requirement=self.requirement.name)

	def test_each_line_shows_requested_agreed_and_unmeasured_achieved(self):
		columns, rows, *_rest = execute({"requirement": self.requirement.name})
		self.assertIn("achieved", [c["fieldname"] for c in columns])
		self.assertTrue(next(c for c in columns if c["fieldname"] == "achieved").get("description"))
		by_metric = {r["metric"]: r for r in rows}
		self.assertEqual(set(by_metric), {"Response Time", "Availability"})
		response = by_metric["Response Time"]
		self.assertEqual(response["requested"], "1 Hours")
		self.assertEqual(
			(response["agreement"], response["version"], response["target_row"]), (self.agreement.name, 1, 1)
		)
		self.assertEqual(response["agreed"], "1 h (business)")  # business time, never days
		self.assertEqual((response["answered"], response["achieved"]), (1, NOT_MEASURED))
		availability = by_metric["Availability"]
		self.assertEqual((availability["answered"], availability["agreed"]), (0, None))
		self.assertEqual(availability["achieved"], NOT_MEASURED)

	def test_only_unanswered_filter_and_summary(self):
		_columns, rows, _message, _chart, summary = execute(
			{"requirement": self.requirement.name, "only_unanswered": 1}
		)
		self.assertEqual([r["metric"] for r in rows], ["Availability"])
		self.assertEqual(next(s for s in summary if s["label"] == "Unanswered")["value"], 1)

	def test_agreement_level_answer_is_shown(self):
		self.agreement.availability_target = 99.9
		self.agreement.save()
		_columns, rows, *_rest = execute({"requirement": self.requirement.name})
		availability = next(r for r in rows if r["metric"] == "Availability")
		self.assertEqual((availability["answered"], availability["agreed"]), (1, "99.9%"))

	def test_project_manager_sees_lines_of_own_projects(self):
		frappe.set_user(PM)
		_columns, rows, *_rest = execute({"requirement": self.requirement.name})
		self.assertEqual(len(rows), 2)
