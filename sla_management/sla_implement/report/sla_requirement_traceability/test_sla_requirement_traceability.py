# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench test of the SLA Requirement Traceability report: requested → agreed → achieved per line."""

import frappe

from sla_management.sla_implement.report.sla_requirement_traceability.sla_requirement_traceability import (
	NOT_MEASURED,
	execute,
)
from sla_management.tests.factories.agreements import (
	HOUR,
	ITEMS,
	OTHER_PM,
	PM,
	agreement_doc,
	frozen,
	make_agreement,
	sign,
	stored,
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


class TestTraceabilityAchieved(WorldTestCase):
	"""Limit rows (requested → agreed → achieved) and the achieved figures, computed by hand:

	- 6 response timers of the P1 target: 3 met, 1 breached, 1 running (not measured yet), 1 cancelled
	  (never) → 3 of 4 = 75.0 %; resolution: 1 met, 1 paused → 1 of 1;
	- one outage of the Email item, Tue 14 April 10:00–11:00 (Shanghai), in a 5x8 calendar: from 1 January
	  to 1 May 2026 (now) there are 22 + 20 + 22 + 22 = 86 weekdays × 9 h = 774 service hours, so the
	  availability is 100 × 773 / 774 = 99.871 %, the longest failure 1 h, 1 failure in 4 months.
	"""

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
					{
						"metric": "Resolution Time",
						"unit": "Hours",
						"target_value": 4,
						"service_item": ITEMS[0],
						"priority": "P1",
					},
					{
						"metric": "Availability",
						"unit": "Percent",
						"target_value": 99.9,
						"service_item": ITEMS[0],
					},
					{
						"metric": "Failure Duration",
						"unit": "Hours",
						"target_value": 2,
						"service_item": ITEMS[0],
					},
					{"metric": "Number of Failures", "unit": "Count", "target_value": 2},
				],
			}
		).insert()
		lines = {m.metric: m.name for m in self.requirement.metrics}
		doc = agreement_doc(
			self.world,
			requirement=self.requirement.name,
			max_failures=2,
			service_limits=[
				{
					"service_item": ITEMS[0],
					"availability_target": 99.9,
					"max_failure_duration": 2 * HOUR,
					"requirement_metric": lines["Availability"],
				}
			],
		)
		doc.targets[0].requirement_metric = lines["Response Time"]
		self.agreement = sign(doc.insert())
		self.lines = lines
		for metric, statuses in (
			("Response", ("Met", "Met", "Met", "Breached", "Running", "Cancelled")),
			("Resolution", ("Met", "Paused")),
		):
			for n, status in enumerate(statuses):
				timer = frappe.get_doc(
					{
						"doctype": "SLA Timer",
						"ticket_doctype": "ToDo",
						"ticket": f"_Test trace {metric} {n}",
						"metric": metric,
						"cycle": 1,
						"status": status,
						"breached": int(status == "Breached"),
						"agreement": self.agreement.name,
						"requirement_metric": lines["Response Time"],
						"project": self.world.project_a,
						"customer_type": self.agreement.customer_type,
						"customer": self.agreement.customer,
						"service_item": ITEMS[0],
						"priority": "P1",
						"calendar": self.world.calendar,
						"target_seconds": HOUR,
						"start": "2026-03-02 10:00:00",
					}
				)
				timer.flags.ignore_links = True
				timer.insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "SLA Outage",
				"service_item": ITEMS[0],
				"project": self.world.project_a,
				"agreement": self.agreement.name,
				"kind": "Down",
				"found_by": "Manual",
				"start": stored("2026-04-14 10:00:00"),
				"end": stored("2026-04-14 11:00:00"),
			}
		).insert(ignore_permissions=True)

	def run_report(self):
		now = stored("2026-05-01 00:00:00")
		with frozen(str(now.date()), str(now.time())):
			return execute({"requirement": self.requirement.name})

	def test_limit_rows_and_achieved_figures(self):
		_columns, rows, *_rest = self.run_report()
		by_metric = {r["metric"]: r for r in rows}
		response, resolution = by_metric["Response Time"], by_metric["Resolution Time"]
		self.assertEqual((response["met"], response["measured"], response["achieved"]), (3, 4, "75.0% (3/4)"))
		self.assertEqual((resolution["met"], resolution["measured"]), (1, 1))
		availability = by_metric["Availability"]
		self.assertEqual(
			(availability["limit_row"], availability["target_row"], availability["agreed"]),
			(1, None, "99.9%"),
		)
		self.assertEqual(availability["achieved"], f"{100 * 773 / 774:.3f}%")
		duration = by_metric["Failure Duration"]
		self.assertEqual((duration["limit_row"], duration["agreed"], duration["achieved"]), (1, "2 h", "1 h"))
		failures = by_metric["Number of Failures"]
		self.assertEqual((failures["limit_row"], failures["agreed"]), (None, "2"))
		self.assertEqual(failures["achieved"], "Failures: 1 (0.25 per month)")

	def test_cancelled_agreements_are_not_measured(self):
		self.agreement.cancel()
		_columns, rows, *_rest = self.run_report()
		self.assertTrue(rows)
		self.assertEqual({r["achieved"] for r in rows}, {NOT_MEASURED})

	def test_project_managers_see_the_figures_of_their_projects_only(self):
		frappe.set_user(PM)
		_columns, rows, *_rest = self.run_report()
		self.assertEqual(next(r for r in rows if r["metric"] == "Response Time")["measured"], 4)
		frappe.set_user(OTHER_PM)
		_columns, rows, *_rest = self.run_report()
		self.assertEqual(rows, [])
