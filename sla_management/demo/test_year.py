"""Bench test of the demo year, small (60 tickets):

    CI=1 bench --site SITE run-tests --app sla_management --module sla_management.demo.test_year

It makes the demo year, makes it again (nothing is added), and deletes it (nothing is left). The demo
commits, as it does from the command line; the test deletes what it made. On a site that already holds
the demo year the test is skipped: it would delete it.
"""

from __future__ import annotations

import io
import unittest
from contextlib import redirect_stdout

import frappe
from frappe.client import get_count, get_list

from sla_management import demo
from sla_management.common.compat import aggregate
from sla_management.demo import year_data as Y
from sla_management.demo.year import count_year, make_demo_year
from sla_management.demo.year_outages import SOURCE
from sla_management.demo.year_reset import demo_customers
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.test_demo import enable_issue_tickets

YEAR = 2026
TICKETS = 60


def make(**kwargs) -> dict:
	with redirect_stdout(io.StringIO()):
		return make_demo_year(year=YEAR, tickets=TICKETS, workers=1, **kwargs)


def demo_records() -> dict[str, list[str]]:
	"""Names of the records of the demo year, per DocType."""
	projects = [c.project for c in Y.CUSTOMERS]
	issues = frappe.get_all("Issue", filters={"name": ("like", f"ISS-{Y.KEY_PREFIX}%")}, pluck="name")
	return {
		"Customer": demo_customers(),
		"Contact": frappe.get_all(
			"Contact", filters={"email_id": ("in", [c.contact_email for c in Y.CUSTOMERS])}, pluck="name"
		),
		"SLA Service Project": frappe.get_all(
			"SLA Service Project", {"name": ("in", projects)}, pluck="name"
		),
		"SLA Requirement": frappe.get_all("SLA Requirement", {"project": ("in", projects)}, pluck="name"),
		"SLA Agreement": frappe.get_all("SLA Agreement", {"project": ("in", projects)}, pluck="name"),
		"SLA Service Calendar": frappe.get_all(
			"SLA Service Calendar",
			{"name": ("in", [Y.CALENDAR_5X8, Y.CALENDAR_7X24, Y.CALENDAR_7X12])},
			pluck="name",
		),
		"Issue": sorted(issues),
		"Communication": frappe.get_all(
			"Communication",
			{"reference_doctype": "Issue", "reference_name": ("in", issues or [""])},
			pluck="name",
			order_by="name",
		),
		"SLA Timer": frappe.get_all(
			"SLA Timer",
			{"ticket_doctype": "Issue", "ticket": ("in", issues or [""])},
			pluck="name",
			order_by="name",
		),
		"SLA Outage": frappe.get_all("SLA Outage", {"source": SOURCE}, pluck="name", order_by="name"),
		**{
			doctype: frappe.get_all(doctype, {"project": ("in", projects)}, pluck="name", order_by="name")
			for doctype in ("SLA Inspection Plan", "SLA Inspection", "SLA Period Result")
			if frappe.db.exists("DocType", doctype)
		},
	}


def story() -> dict[str, list]:
	"""What happened, without the random names of replies and timers: equal for equal seeds."""
	issues = frappe.get_all("Issue", filters={"name": ("like", f"ISS-{Y.KEY_PREFIX}%")}, pluck="name")
	return {
		"issues": frappe.get_all(
			"Issue",
			filters={"name": ("in", issues or [""])},
			fields=["name", "subject", "priority", "status", "opening_date", "opening_time", "customer"],
			order_by="name",
			as_list=True,
		),
		"timers": frappe.get_all(
			"SLA Timer",
			filters={"ticket_doctype": "Issue", "ticket": ("in", issues or [""])},
			fields=["ticket", "metric", "cycle", "status", "start", "stop", "deadline"],
			order_by="ticket, metric, cycle",
			as_list=True,
		),
	}


class TestDemoYear(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		if not frappe.db.exists("DocType", "Customer"):
			raise unittest.SkipTest("the demo year needs ERPNext")
		super().setUpClass()
		if not enable_issue_tickets():
			raise unittest.SkipTest("the ticket integration is not enabled for Issue on this site")
		if demo_customers():
			raise unittest.SkipTest("this site holds the demo year; the test would delete it")
		cls.figures = make()
		cls.first = demo_records()
		cls.story = story()

	@classmethod
	def tearDownClass(cls):
		demo.delete_demo_year()
		frappe.db.commit()
		super().tearDownClass()

	def test_three_projects_with_signed_agreements_on_three_calendars(self):
		agreements = get_list(
			"SLA Agreement",
			fields=["name", "status", "calendar", "valid_from", "valid_to", "docstatus"],
			filters={"project": ("in", [c.project for c in Y.CUSTOMERS])},
		)
		self.assertEqual(len(agreements), 3)
		self.assertEqual({a.docstatus for a in agreements}, {1})
		self.assertEqual({a.calendar for a in agreements}, {Y.CALENDAR_5X8, Y.CALENDAR_7X24, Y.CALENDAR_7X12})
		self.assertEqual({str(a.valid_from) for a in agreements}, {f"{YEAR}-01-01"})
		self.assertEqual(
			get_count(
				"SLA Requirement",
				{"project": ("in", [c.project for c in Y.CUSTOMERS]), "status": "Confirmed"},
			),
			3,
		)
		calendar = frappe.get_doc("SLA Service Calendar", Y.CALENDAR_5X8)
		self.assertEqual(calendar.timezone, "Asia/Shanghai")
		self.assertTrue([h for h in calendar.holidays if str(h.holiday_date).startswith(str(YEAR))])
		self.assertTrue([w for w in calendar.workdays if str(w.workday_date).startswith(str(YEAR))], "调休")

	def test_tickets_with_replies_pauses_breaches_and_a_reopened_cycle(self):
		issues = self.first["Issue"]
		# planned over the whole year: those opened after now are left to a later run
		self.assertEqual(len(issues), self.figures["tickets_added"])
		self.assertGreater(len(issues), TICKETS // 2)
		timers = frappe.get_all(
			"SLA Timer",
			filters={"ticket_doctype": "Issue", "ticket": ("in", issues)},
			fields=["ticket", "metric", "cycle", "status", "agreement"],
		)
		statuses = {t.status for t in timers}
		self.assertLessEqual({"Met", "Breached"}, statuses)
		self.assertTrue(all(t.agreement for t in timers))
		self.assertEqual({t.ticket for t in timers if t.metric == "Response"}, set(issues))
		self.assertTrue([t for t in timers if t.cycle > 1 and t.metric == "Resolution"], "a reopened ticket")
		for sent_or_received in ("Sent", "Received"):
			self.assertTrue(
				get_count(
					"Communication",
					{"reference_name": ("in", issues), "sent_or_received": sent_or_received},
				)
			)
		paused = frappe.db.sql(
			"""SELECT COUNT(*) FROM `tabSLA Timer Pause` p JOIN `tabSLA Timer` t ON t.name = p.parent
			WHERE t.ticket IN %(issues)s""",
			{"issues": issues},
		)[0][0]
		self.assertTrue(paused, "On Hold pauses a timer")
		# a ticket's timer ran against the demo's clock: it was opened and measured in the demo year
		first = frappe.get_all(
			"SLA Timer",
			filters={"ticket": ("in", issues)},
			fields=[aggregate("min", "start", "s")],
			as_list=True,
		)[0][0]
		self.assertEqual(first.year, YEAR)

	def test_outages_down_degraded_and_a_planned_maintenance(self):
		kinds = {
			kind: get_count("SLA Outage", {"source": SOURCE, "kind": kind})
			for kind in ("Down", "Degraded", "Planned Maintenance")
		}
		self.assertTrue(all(kinds.values()), kinds)
		self.assertFalse(get_count("SLA Outage", {"source": SOURCE, "agreement": ("is", "not set")}))

	def test_inspections_and_frozen_results_of_the_closed_months(self):
		projects = [c.project for c in Y.CUSTOMERS]
		if not frappe.db.exists("DocType", "SLA Inspection"):
			self.skipTest("no SLA Inspection on this site")
		self.assertEqual(get_count("SLA Inspection Plan", {"project": ("in", projects)}), 3)
		self.assertTrue(get_count("SLA Inspection", {"project": ("in", projects), "status": "Completed"}))
		self.assertTrue(get_count("SLA Inspection", {"project": ("in", projects), "docstatus": 0}))
		if not frappe.db.exists("DocType", "SLA Period Result"):
			self.skipTest("no SLA Period Result on this site")
		january = get_list(
			"SLA Period Result",
			fields=["scope", "docstatus", "measured"],
			filters={"period_type": "Month", "period_start": f"{YEAR}-01-01", "project": ("in", projects)},
		)
		self.assertEqual(sorted(r.scope for r in january), ["Agreement"] * 3 + ["Project"] * 3)
		self.assertEqual({r.docstatus for r in january}, {1})
		self.assertTrue(sum(r.measured or 0 for r in january))

	def test_second_run_adds_nothing(self):
		before = count_year(YEAR)
		figures = make()
		self.assertEqual(figures.get("tickets_added", 0), 0)
		self.assertEqual(figures["outages_added"], 0)
		self.assertEqual(count_year(YEAR), before)
		self.assertEqual(demo_records(), self.first)

	def test_zz_delete_leaves_nothing_and_the_seed_makes_the_same_year_again(self):
		# (runs last: the tests run in alphabetical order)
		kept = demo.delete_demo_year()
		self.assertEqual({k: v for k, v in demo_records().items() if v}, {})
		self.assertFalse([k for k in kept if "Demo Year" in k], kept)
		make()
		self.assertEqual(story(), self.story)
