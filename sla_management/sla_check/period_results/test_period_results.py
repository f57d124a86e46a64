# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of the frozen period results: a small March 2026 built by hand (frozen time).

Agreement A (project A, customer A): availability ≥ 99 %, at most 1 failure a month, no failure longer than
1.5 h, a credit schedule (below 99.5 % → 5 %, below 99 % → 10 % of 10,000). Timers of March: met
(stopped 1 March 00:00 — the period's first instant — 10 and 11 March), breached (stopped later; still
running at 31 March 23:00), and not measured: running, cancelled, stopped 1 April 00:00 (next period),
breached in February. One outage Tue 17 March 10:00–12:00 (Shanghai): 2 h down of 198 service hours
(22 weekdays × 9 h) → 98.99 %: availability not met, 1 failure met, longest failure 2 h > 1.5 h not met.
So A: timers 3 met of 5, checks 1 of 3 → 4 of 8 (50 %). Agreement B (project B): 2 of 2 met, no limits.
The KPI = mean of project rates (50 + 100) / 2 = 75 %, not the weighted share 6 / 10 = 60 %.
"""

from datetime import datetime
from unittest.mock import patch

import frappe
from frappe.client import get as client_get, get_list as client_get_list

from sla_management.engine import attainment as att
from sla_management.sla_check.period_results import freeze
from sla_management.sla_improve.kpi_world import make_timer
from sla_management.tests.factories.agreements import (
	CUSTOMER_A_USER,
	CUSTOMER_B_USER,
	HOUR,
	ITEMS,
	OPS,
	OTHER_PM,
	PM,
	agreement_doc,
	frozen,
	sign,
	stored,
)
from sla_management.tests.world import WorldTestCase

RESULT = "SLA Period Result"
SERVICE = 22 * 9 * HOUR  # March 2026 in the 5x8 test calendar (Mon-Fri 09:00-18:00)
AFTER_MARCH = ("2026-04-01", "03:00:00")


class TestPeriodResults(WorldTestCase):
	def setUp(self):
		super().setUp()
		for doctype in ("SLA Timer", "SLA Outage", RESULT, "SLA Agreement"):
			frappe.db.delete(doctype)
		frappe.db.set_single_value("SLA Settings", "kpi_target", 95)
		self.n = 0
		w = self.world
		self.a = sign(
			agreement_doc(
				w,
				availability_target=99,
				max_failures=1,
				max_failure_duration=1.5 * HOUR,
				monthly_fee=10000,
				service_credits=[
					{"availability_below": 99.5, "credit_percent": 5},
					{"availability_below": 99, "credit_percent": 10},
				],
			).insert()
		).name
		self.b = sign(agreement_doc(w, project=w.project_b).insert()).name
		pa, pb = w.project_a, w.project_b
		self.first = self.timer(pa, self.a, "Response", "Met", stop="2026-03-10 10:00:00")
		self.timer(pa, self.a, "Resolution", "Met", stop="2026-03-11 10:00:00")
		self.timer(pa, self.a, "Response", "Met", stop="2026-03-01 00:00:00")  # first instant: March
		self.timer(
			pa, self.a, "Resolution", "Breached", priority="P2", breach_at="2026-03-12 10:00:00",
			stop="2026-03-13 10:00:00",
		)  # fmt: skip
		self.timer(pa, self.a, "Response", "Breached", priority="P2", breach_at="2026-03-31 23:00:00")
		# not measured in March
		self.timer(pa, self.a, "Response", "Running", deadline="2026-04-03 10:00:00")
		self.timer(pa, self.a, "Resolution", "Cancelled", stop="2026-03-15 10:00:00")
		self.timer(pa, self.a, "Resolution", "Met", stop="2026-04-01 00:00:00")  # the next period's
		self.timer(
			pa, self.a, "Resolution", "Breached", breach_at="2026-02-27 10:00:00", stop="2026-03-03 10:00:00"
		)
		self.timer(pb, self.b, "Response", "Met", stop="2026-03-20 10:00:00")
		self.timer(pb, self.b, "Resolution", "Met", stop="2026-03-21 10:00:00")
		frappe.get_doc(
			{
				"doctype": "SLA Outage",
				"service_item": ITEMS[0],
				"project": pa,
				"agreement": self.a,
				"kind": "Down",
				"found_by": "Manual",
				"start": stored("2026-03-17 10:00:00"),
				"end": stored("2026-03-17 12:00:00"),
			}
		).insert(ignore_permissions=True)

	def timer(self, project, agreement, metric, status, **values):
		self.n += 1
		return make_timer(
			project,
			agreement,
			metric,
			status,
			**{
				"ticket": f"PR-TEST-{self.n:04d}",
				"target_seconds": HOUR,
				"start": "2026-02-25 09:00:00",
				"deadline": values.get("breach_at"),
				**values,
			},
		)

	def freeze_march(self):
		with frozen(*AFTER_MARCH):
			return freeze.freeze_period("Month", "2026-03-01", commit=False, chunk_size=1)

	def results(self, **filters):
		rows = frappe.get_all(
			RESULT,
			filters={"period_type": "Month", "period_start": "2026-03-01", **filters},
			fields=["name", "scope", "agreement", "project", "docstatus", "revision"],
			order_by="name asc",
		)
		return rows

	def result(self, **filters):
		names = [r.name for r in self.results(docstatus=1, **filters)]
		self.assertEqual(len(names), 1, filters)
		return client_get(RESULT, names[0])

	def test_figures_equal_the_hand_computed_ones(self):
		done = self.freeze_march()
		self.assertEqual((done.agreements, done.projects, done.written), (2, 2, 4))
		a = self.result(scope="Agreement", agreement=self.a)
		self.assertEqual(
			(a["project"], a["customer"], a["docstatus"]), (self.world.project_a, self.world.customer_a, 1)
		)
		self.assertEqual((str(a["period_end"]), a["revision"], a["target"]), ("2026-03-31", 1, 95))
		self.assertEqual((a["measured"], a["met"], a["rate"]), (8, 4, 50))
		self.assertAlmostEqual(a["availability_pct"], 100 * (SERVICE - 2 * HOUR) / SERVICE, places=4)
		self.assertEqual((a["service_time"], a["downtime"]), (SERVICE, 2 * HOUR))
		self.assertEqual((a["failures"], a["longest_failure"], a["mttr"]), (1, 2 * HOUR, 2 * HOUR))
		self.assertEqual((a["credit_percent"], a["credit_amount"]), (10, 1000))
		lines = {(x["metric"], x["priority"] or ""): (x["measured"], x["met"]) for x in a["lines"]}
		self.assertEqual(
			lines,
			{
				("Response", "P1"): (2, 2),
				("Response", "P2"): (1, 0),
				("Resolution", "P1"): (1, 1),
				("Resolution", "P2"): (1, 0),
				("Availability", ""): (1, 0),
				("Number of Failures", ""): (1, 1),
				("Failure Duration", ""): (1, 0),
			},
		)
		availability = next(x for x in a["lines"] if x["metric"] == "Availability")
		self.assertEqual((availability["limit_value"], availability["service_item"]), (99, ITEMS[0]))
		self.assertAlmostEqual(availability["actual"], 100 * (SERVICE - 2 * HOUR) / SERVICE, places=4)

		b = self.result(scope="Agreement", agreement=self.b)
		self.assertEqual((b["measured"], b["met"], b["rate"], b["availability_pct"]), (2, 2, 100, 100))
		self.assertEqual((b["credit_amount"], b["failures"]), (0, 0))
		pa = self.result(scope="Project", project=self.world.project_a)
		self.assertEqual((pa["measured"], pa["met"], pa["rate"], pa["agreement"]), (8, 4, 50, None))
		self.assertEqual(
			(pa["customer"], pa["credit_amount"], pa["failures"]), (self.world.customer_a, 1000, 1)
		)
		pb = self.result(scope="Project", project=self.world.project_b)
		self.assertEqual((pb["measured"], pb["met"], pb["rate"]), (2, 2, 100))

		# the KPI over the frozen project results: the mean of the rates, not the weighted share
		kpi = att.kpi({r["project"]: (r["met"], r["measured"]) for r in (pa, pb)}, 0.95)
		self.assertAlmostEqual(kpi.value, 0.75)
		self.assertAlmostEqual(kpi.weighted_share, 0.6)
		self.assertEqual(kpi.below, (self.world.project_a,))

	def test_frozen_figures_match_the_pure_core(self):
		self.freeze_march()
		rows = frappe.get_all(
			"SLA Timer",
			fields=[
				"agreement",
				"project",
				"metric",
				"priority",
				"service_item",
				"status",
				"stop",
				"breach_at",
			],
		)
		counts = att.count_targets(
			[tuple(r.values()) for r in rows], datetime(2026, 3, 1), datetime(2026, 4, 1)
		)
		for project, c in att.project_rates(counts).items():
			r = self.result(scope="Project", project=project)
			timers = sum(x["measured"] for x in r["lines"] if x["metric"] in ("Response", "Resolution"))
			timers_met = sum(x["met"] for x in r["lines"] if x["metric"] in ("Response", "Resolution"))
			self.assertEqual((timers_met, timers), tuple(c))

	def test_rerun_creates_nothing_and_the_hook_enqueues_only_what_is_missing(self):
		with frozen(*AFTER_MARCH), patch("frappe.enqueue") as enqueue:
			freeze.enqueue_finished_periods()
		# March and the first quarter have no results yet; 2025 has no agreements
		kinds = {(c.kwargs["period_type"], c.kwargs["period_start"]) for c in enqueue.call_args_list}
		self.assertEqual(kinds, {("Month", "2026-03-01"), ("Quarter", "2026-01-01")})
		march = [c.kwargs for c in enqueue.call_args_list if c.kwargs["period_type"] == "Month"]
		self.assertEqual(sorted(a for c in march for a in c.get("agreements", [])), sorted([self.a, self.b]))
		self.assertTrue(all(c["queue"] == "long" and c["deduplicate"] for c in march))

		self.freeze_march()
		before = self.results()
		again = self.freeze_march()
		self.assertEqual((again.agreements, again.projects, again.written), (0, 0, 0))
		# a worker that gets an already frozen chunk writes nothing either
		with frozen(*AFTER_MARCH):
			self.assertEqual(
				freeze.freeze_chunk("Month", "2026-03-01", [self.a], [self.world.project_a], commit=False), 0
			)
		self.assertEqual(self.results(), before)
		with frozen(*AFTER_MARCH), patch("frappe.enqueue") as enqueue:
			freeze.enqueue_finished_periods()
		self.assertNotIn("Month", {c.kwargs["period_type"] for c in enqueue.call_args_list})

	def test_later_edits_do_not_change_the_frozen_result(self):
		self.freeze_march()
		before = self.result(scope="Agreement", agreement=self.a)
		frappe.db.set_value(
			"SLA Timer", self.first, {"status": "Breached", "breach_at": "2026-03-09 10:00:00"}
		)
		self.timer(self.world.project_a, self.a, "Response", "Met", stop="2026-03-25 10:00:00")
		frappe.db.set_value("SLA Agreement", self.a, "availability_target", 90)
		with frozen(*AFTER_MARCH):
			self.freeze_march()
		after = self.result(scope="Agreement", agreement=self.a)
		for field in ("measured", "met", "rate", "availability_pct", "lines", "modified"):
			self.assertEqual(after[field], before[field], field)
		# and nobody changes it through the API
		frappe.set_user(OPS)
		with self.assertRaises(frappe.ValidationError):  # a submitted document cannot be edited
			frappe.client.set_value(RESULT, after["name"], "met", 8)

	def test_recompute_amends_with_the_reason_on_the_timeline(self):
		self.freeze_march()
		original = self.result(scope="Agreement", agreement=self.a)
		project_original = self.result(scope="Project", project=self.world.project_a)
		frappe.db.set_value(
			"SLA Timer", self.first, {"status": "Breached", "breach_at": "2026-03-09 10:00:00"}
		)
		frappe.set_user(OPS)
		with frozen("2026-04-03", "09:00:00"):
			name = freeze.recompute(original["name"], "Timer PR-TEST-0001 was breached")
		self.assertEqual(name, f"{original['name']}-1")
		new = client_get(RESULT, name)
		self.assertEqual((new["revision"], new["docstatus"], new["amended_from"]), (2, 1, original["name"]))
		self.assertEqual((new["measured"], new["met"]), (8, 3))
		self.assertEqual(new["reason"], "Timer PR-TEST-0001 was breached")
		self.assertEqual(frappe.db.get_value(RESULT, original["name"], "docstatus"), 2)
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": RESULT, "reference_name": name, "comment_type": "Comment"},
			fields=["content", "owner"],
		)
		self.assertEqual(len(comments), 1)
		self.assertEqual(comments[0].owner, OPS)
		self.assertIn("Timer PR-TEST-0001 was breached", comments[0].content)
		# the project's result of the period is recomputed with it
		project = self.result(scope="Project", project=self.world.project_a)
		self.assertEqual((project["revision"], project["amended_from"]), (2, project_original["name"]))
		self.assertEqual((project["measured"], project["met"]), (8, 3))
		# a re-run after the recompute still creates nothing
		frappe.set_user("Administrator")
		self.assertEqual(self.freeze_march().written, 0)

	def test_only_managers_recompute(self):
		self.freeze_march()
		name = self.result(scope="Agreement", agreement=self.a)["name"]
		for user in (PM, OTHER_PM, CUSTOMER_A_USER):
			frappe.set_user(user)
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError) as caught:
				freeze.recompute(name, "no")
			self.assertEqual(caught.exception.http_status_code, 403)
		frappe.set_user(OPS)
		with self.assertRaises(frappe.ValidationError) as caught:
			freeze.recompute(name, "  ")
		self.assertEqual(caught.exception.http_status_code, 417)
		# nobody writes a result by hand
		with self.assertRaises(frappe.PermissionError):
			frappe.client.insert(
				{"doctype": RESULT, "period_type": "Month", "period_start": "2026-03-01", "period_end": "2026-03-31",
				 "scope": "Project", "project": self.world.project_a}
			)  # fmt: skip
		with self.assertRaises(frappe.ValidationError) as caught:
			freeze.freeze("Month", "2026-02-15")
		self.assertEqual(caught.exception.http_status_code, 417)

	def test_who_reads_which_results(self):
		self.freeze_march()
		with frozen("2026-04-03", "09:00:00"):
			frappe.set_user(OPS)
			freeze.recompute(self.result(scope="Agreement", agreement=self.b)["name"], "check")
		pa, pb = self.world.project_a, self.world.project_b
		expect = {
			CUSTOMER_A_USER: {(pa, 1)},  # submitted only: not the cancelled first revision
			CUSTOMER_B_USER: {(pb, 1)},
			PM: {(pa, 1)},
			OTHER_PM: {(pb, 1), (pb, 2)},
			OPS: {(pa, 1), (pb, 1), (pb, 2)},
		}
		for user, wanted in expect.items():
			frappe.set_user(user)
			rows = client_get_list(RESULT, fields=["project", "docstatus"], limit_page_length=0)
			with self.subTest(user=user):
				self.assertEqual({(r["project"], r["docstatus"]) for r in rows}, wanted)
		# nor one of another project by name
		other = self.result(scope="Project", project=pb)["name"]
		frappe.set_user(CUSTOMER_A_USER)
		with self.assertRaises(frappe.PermissionError):
			client_get(RESULT, other)
		lines = client_get(RESULT, self.result(scope="Project", project=pa)["name"])["lines"]
		self.assertTrue(lines)

	def test_quarter_counts_the_checks_of_each_month(self):
		with frozen(*AFTER_MARCH):
			done = freeze.freeze_period("Quarter", "2026-01-01", commit=False)
		self.assertEqual(done.written, 4)
		names = frappe.get_all(
			RESULT, filters={"period_type": "Quarter", "agreement": self.a, "docstatus": 1}, pluck="name"
		)
		q = client_get(RESULT, names[0])
		# timers: March's 5 and February's breach (4 → 3 met of 6); checks: 3 limits × 3 months, all met
		# in January and February, 1 of 3 in March (7 of 9)
		self.assertEqual((str(q["period_end"]), q["measured"], q["met"]), ("2026-03-31", 15, 10))
		checks = {x["metric"]: (x["measured"], x["met"]) for x in q["lines"] if not x["priority"]}
		self.assertEqual(
			checks, {"Availability": (3, 2), "Number of Failures": (3, 3), "Failure Duration": (3, 2)}
		)
		# the credit of March only (10 % of one month's fee), as a share of the quarter's fees
		self.assertEqual(q["credit_amount"], 1000)
		self.assertAlmostEqual(q["credit_percent"], 100 * 1000 / 30000, places=4)

	def test_a_site_without_a_kpi_target_freezes_against_95(self):
		# a site migrated before the setting existed stores nothing (read as 0): no target is not 0 %
		frappe.db.set_single_value("SLA Settings", "kpi_target", 0)
		self.assertEqual(freeze.kpi_target(), 95.0)
		frappe.db.set_single_value("SLA Settings", "kpi_target", 97.5)
		self.assertEqual(freeze.kpi_target(), 97.5)
