"""Bench test of the demo (run with: CI=1 bench --site SITE run-tests --module sla_management.tests.test_demo).

The demo is made twice: the second run must neither fail, nor add, nor change a record.
"""

import io
import unittest
from contextlib import redirect_stdout

import frappe

from sla_management import demo
from sla_management.tests.compat import IntegrationTestCase


def enable_issue_tickets() -> bool:
	"""Whether the ticket integration is there; if so, make Issue a ticket DocType (as migrate would)."""
	if not frappe.db.exists("DocType", "Issue") or not frappe.db.exists("DocType", "SLA Ticket Type"):
		return False
	try:
		from sla_management.sla_check.tickets import config
		from sla_management.sla_check.tickets.setup import ensure_default_ticket_types
	except ImportError:
		return False
	ensure_default_ticket_types()
	for doctype, name in (("SLA Ticket Type", "Issue"), ("SLA Settings", "SLA Settings")):
		doc = frappe.get_doc(doctype, name)
		if not doc.enabled:
			doc.enabled = 1
			doc.save()
	config.clear_cache()
	return "Issue" in config.ticket_types()


def run_demo(**kwargs) -> str:
	with redirect_stdout(io.StringIO()) as out:
		demo.make_demo(**kwargs)
	return out.getvalue()


def demo_customers() -> list[str]:
	return frappe.get_all(
		"Customer", filters={"customer_name": ("in", [c.name for c in demo.CUSTOMERS])}, pluck="name"
	)


def demo_projects() -> list[str]:
	return [c.project for c in demo.CUSTOMERS]


def demo_issues() -> list[str]:
	if not frappe.db.exists("DocType", "Issue"):
		return []
	return frappe.get_all("Issue", filters={"customer": ("in", demo_customers())}, pluck="name")


def snapshot() -> dict[str, list]:
	"""(name, modified) of every demo record, per DocType."""
	filters = {
		"User": {"name": ("in", [demo.PM, demo.OPS])},
		"Customer": {"name": ("in", demo_customers())},
		"SLA Service Calendar": {"name": ("in", [demo.CALENDAR_5X8, demo.CALENDAR_7X24])},
		"SLA Service Item": {"name": ("in", list(demo.SERVICE_ITEMS))},
		"SLA Service Catalog": {"catalog_name": demo.CATALOG},
		"SLA Service Project": {"name": ("in", demo_projects())},
		"SLA Requirement": {"project": ("in", demo_projects())},
		"SLA Agreement": {"project": ("in", demo_projects())},
	}
	issues = demo_issues()
	if issues:
		filters["Issue"] = {"name": ("in", issues)}
		filters["SLA Timer"] = {"ticket_doctype": "Issue", "ticket": ("in", issues)}
	return {
		doctype: frappe.get_all(doctype, filters=f, fields=["name", "modified"], order_by="name asc")
		for doctype, f in filters.items()
	}


class TestDemo(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		if not frappe.db.exists("DocType", "Customer"):
			raise unittest.SkipTest("the demo data needs ERPNext")
		super().setUpClass()
		cls.with_tickets = enable_issue_tickets()
		cls.output = run_demo(reset=True)
		cls.first = snapshot()

	def test_second_run_adds_and_changes_nothing(self):
		before = snapshot()
		output = run_demo()
		self.assertEqual(snapshot(), before)
		self.assertIn("SLA Management demo", output)

	def test_one_of_each_record(self):
		counts = {doctype: len(rows) for doctype, rows in self.first.items()}
		self.assertEqual(counts["User"], 2)
		self.assertEqual(counts["Customer"], 2)
		self.assertEqual(counts["SLA Service Calendar"], 2)
		self.assertEqual(counts["SLA Service Item"], len(demo.SERVICE_ITEMS))
		self.assertEqual(counts["SLA Service Project"], 2)
		self.assertEqual(counts["SLA Requirement"], 2)
		self.assertEqual(counts["SLA Agreement"], 2)
		self.assertEqual(
			frappe.db.count("SLA Service Catalog", {"catalog_name": demo.CATALOG, "status": "Published"}), 1
		)

	def test_roles_of_the_demo_users(self):
		self.assertIn("SLA Project Manager", frappe.get_roles(demo.PM))
		self.assertIn("SLA Operations Manager", frappe.get_roles(demo.OPS))
		self.assertEqual(
			frappe.db.get_value("SLA Service Project", demo_projects()[0], "project_manager"), demo.PM
		)

	def test_an_active_agreement_per_customer_answering_a_confirmed_requirement(self):
		for customer in demo.CUSTOMERS:
			agreement = frappe.get_all(
				"SLA Agreement",
				filters={"project": customer.project, "docstatus": 1},
				fields=["name", "status", "customer", "requirement", "calendar", "reviewed_by"],
			)
			self.assertEqual(len(agreement), 1, customer.name)
			agreement = agreement[0]
			self.assertEqual(agreement.status, "Active", customer.name)
			self.assertEqual(
				agreement.customer, frappe.db.get_value("Customer", {"customer_name": customer.name})
			)
			self.assertEqual(agreement.calendar, customer.calendar)
			self.assertEqual(agreement.reviewed_by, demo.OPS)
			self.assertEqual(
				frappe.db.get_value("SLA Requirement", agreement.requirement, "status"), "Confirmed"
			)

	def test_5x8_calendar_has_windows_and_statutory_days(self):
		calendar = frappe.get_doc("SLA Service Calendar", demo.CALENDAR_5X8)
		self.assertEqual(calendar.timezone, "Asia/Shanghai")
		self.assertEqual(len(calendar.windows), 10)
		year = frappe.utils.getdate().year
		holidays = [h for h in calendar.holidays if frappe.utils.getdate(h.holiday_date).year == year]
		if "not added" not in self.output:  # the holiday library may not cover this year yet
			self.assertTrue(holidays)

	def test_tickets_have_sla_timers(self):
		if not self.with_tickets:
			self.skipTest("the ticket integration is not enabled for Issue on this site")
		issues = demo_issues()
		self.assertEqual(len(issues), len(demo.TICKETS))
		statuses = set(demo.demo_timers(issues, "status"))
		self.assertTrue({"Running", "Paused", "Met", "Breached"} <= statuses, statuses)
		oldest = max(demo.TICKETS, key=lambda t: t.opened_minutes_ago)  # back-dated: breached
		name = frappe.db.get_value("Issue", {"subject": oldest.subject, "name": ("in", issues)})
		self.assertEqual(frappe.db.get_value("Issue", name, "sla_mgmt_status"), "Breached")

	def test_reset_deletes_and_remakes_without_duplicates(self):
		run_demo(reset=True)
		counts = {doctype: len(rows) for doctype, rows in snapshot().items()}
		self.assertEqual(counts, {doctype: len(rows) for doctype, rows in self.first.items()})
