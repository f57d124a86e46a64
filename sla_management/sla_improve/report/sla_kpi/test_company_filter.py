# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench test of the company filter of the SLA KPI and SLA Attainment reports (multi-company ERPNext sites):
project A in one company, project B in another (``sla_improve.kpi_world``'s year: A 9 of 10 met, B 1 of 2);
the filter narrows the live and the frozen figures to the company's projects; an unknown company, or a
company on a site without companies, is a clear error (HTTP 417)."""

from unittest.mock import patch

import frappe

from sla_management.sla_check.report.sla_attainment import sla_attainment
from sla_management.sla_improve import kpi, kpi_world
from sla_management.sla_improve.report.sla_kpi import sla_kpi
from sla_management.sla_improve.report.sla_kpi.test_sla_kpi import freeze_year
from sla_management.tests.factories.agreements import frozen
from sla_management.tests.world import WorldTestCase

OTHER_COMPANY = "SLA Test Company B"


def other_company() -> str:
	"""A second company, inside the test's savepoint (its row only: no chart of accounts is needed to link a
	project to it)."""
	if not frappe.db.exists("Company", OTHER_COMPANY):
		doc = frappe.new_doc("Company")
		doc.update(
			{
				"name": OTHER_COMPANY,
				"company_name": OTHER_COMPANY,
				"abbr": "SLATB",
				"default_currency": "USD",
				"country": "United States",
			}
		)
		doc.db_insert()
	return OTHER_COMPANY


class CompanyCase(WorldTestCase):
	def setUp(self):
		super().setUp()
		if not frappe.db.exists("DocType", "Company"):
			self.skipTest("no Company DocType on this site (Helpdesk only)")
		self.year = kpi_world.build_year(self.world)
		kpi_world.set_kpi_target(95)
		companies = frappe.get_all("Company", pluck="name", order_by="creation asc")
		self.company_a = companies[0] if companies[0] != OTHER_COMPANY else other_company()
		self.company_b = other_company()
		frappe.db.set_value(kpi.PROJECT, self.world.project_a, "company", self.company_a)
		frappe.db.set_value(kpi.PROJECT, self.world.project_b, "company", self.company_b)

	def assert_invalid(self, report, message, **filters):
		with self.assertRaises(frappe.ValidationError) as raised:
			self.report_of(report, **filters)
		self.assertEqual(raised.exception.http_status_code, 417)
		self.assertIn(message, str(raised.exception))

	def report_of(self, report, **filters):
		with frozen(*kpi_world.NOW):
			return report.execute({"year": 2026, **filters})


class TestSLAKPICompany(CompanyCase):
	def rows(self, **filters):
		return [
			(r["project"], r["measured"], r["met"], r["rate"]) for r in self.report_of(sla_kpi, **filters)[1]
		]

	def kpi_value(self, **filters):
		return {s["label"]: s["value"] for s in self.report_of(sla_kpi, **filters)[4]}[
			"KPI (SLA Attainment Rate)"
		]

	def test_live_results_of_one_company(self):
		pa, pb = self.world.project_a, self.world.project_b
		self.assertEqual(self.rows(), [(pa, 10, 9, 90.0), (pb, 2, 1, 50.0)])
		self.assertEqual(self.rows(company=self.company_a), [(pa, 10, 9, 90.0)])
		self.assertEqual(self.kpi_value(company=self.company_a), 90.0)
		self.assertEqual(self.rows(company=self.company_b), [(pb, 2, 1, 50.0)])
		self.assertEqual(self.kpi_value(company=self.company_b), 50.0)
		self.assertEqual(self.report_of(sla_kpi, company=self.company_b)[3]["data"]["labels"], [pb])

	def test_frozen_results_of_one_company(self):
		pa, pb = self.world.project_a, self.world.project_b
		freeze_year(2026, {pa: (20, 19), pb: (4, 4)})
		self.assertEqual(self.rows(company=self.company_a), [(pa, 20, 19, 95.0)])
		self.assertEqual(self.rows(company=self.company_b), [(pb, 4, 4, 100.0)])
		self.assertEqual(self.kpi_value(company=self.company_b), 100.0)

	def test_open_year_with_frozen_months_of_one_company(self):
		pa, pb = self.world.project_a, self.world.project_b
		freeze_year(2026, {pa: (100, 100), pb: (10, 5)}, "Month", "2026-01-01", "2026-01-31")
		# B: 5 of 10 frozen in January + 1 of 2 live (February, March)
		self.assertEqual([r[:3] for r in self.rows(company=self.company_b)], [(pb, 12, 6)])

	def test_company_without_projects_shows_nothing(self):
		frappe.db.set_value(kpi.PROJECT, self.world.project_b, "company", self.company_a)
		rows, _message, chart, summary = self.report_of(sla_kpi, company=self.company_b)[1:]
		self.assertEqual(rows, [])
		self.assertIsNone(chart)
		self.assertIsNone({s["label"]: s["value"] for s in summary}["KPI (SLA Attainment Rate)"])

	def test_unknown_company(self):
		self.assert_invalid(sla_kpi, "Unknown company", company="No Such Company Ltd")

	def test_company_on_a_site_without_companies(self):
		with patch.object(kpi, "has_companies", return_value=False):
			self.assert_invalid(sla_kpi, "no companies", company=self.company_a)
			self.assertEqual(len(self.report_of(sla_kpi)[1]), 2)  # without the filter: all projects


class TestSLAAttainmentCompany(CompanyCase):
	def projects(self, **filters):
		return {
			r["project"]: (r["measured"], r["met"], r["rate"])
			for r in self.report_of(sla_attainment, **filters)[1]
			if r["indent"] == 0
		}

	def test_results_of_one_company(self):
		pa, pb = self.world.project_a, self.world.project_b
		everything = self.projects()
		self.assertEqual(set(everything), {pa, pb})
		self.assertEqual(self.projects(company=self.company_a), {pa: everything[pa]})
		self.assertEqual(self.projects(company=self.company_b), {pb: everything[pb]})
		self.assertEqual(everything[pb][:2], (2, 1))
		summary = {s["label"]: s["value"] for s in self.report_of(sla_attainment, company=self.company_b)[4]}
		self.assertEqual(summary["Measured"], everything[pb][0])

	def test_company_and_project_together(self):
		pa = self.world.project_a
		self.assertEqual(self.projects(company=self.company_b, project=pa), {})
		self.assertEqual(set(self.projects(company=self.company_a, project=pa)), {pa})

	def test_unknown_company(self):
		self.assert_invalid(sla_attainment, "Unknown company", company="No Such Company Ltd")

	def test_company_on_a_site_without_companies(self):
		with patch.object(kpi, "has_companies", return_value=False):
			self.assert_invalid(sla_attainment, "no companies", company=self.company_a)


class TestProjectCompanyPatch(CompanyCase):
	def test_existing_projects_get_the_default_company(self):
		from sla_management.patches.v0_3 import project_company

		frappe.db.set_value(kpi.PROJECT, self.world.project_a, "company", None)
		with (
			patch.object(project_company, "make_custom_fields"),
			patch.object(project_company, "default_company", return_value=self.company_a),
		):
			project_company.execute()
		self.assertEqual(frappe.db.get_value(kpi.PROJECT, self.world.project_a, "company"), self.company_a)
		# a project that has a company keeps it
		self.assertEqual(frappe.db.get_value(kpi.PROJECT, self.world.project_b, "company"), self.company_b)

	def test_default_company_is_the_sites_default_or_its_only_one(self):
		from sla_management.patches.v0_3 import project_company

		with patch.object(frappe.defaults, "get_global_default", return_value=self.company_b):
			self.assertEqual(project_company.default_company(), self.company_b)

	def test_a_new_project_takes_the_users_default_company(self):
		# what the desk's new form does (frappe.new_doc fills a Link from the user default of its fieldname)
		self.addCleanup(frappe.clear_cache, user=frappe.session.user)  # after the rollback of tearDown
		frappe.defaults.set_user_default("company", self.company_b)
		self.assertEqual(frappe.new_doc(kpi.PROJECT).company, self.company_b)
