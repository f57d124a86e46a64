# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

"""SLA Service Project, and the row-level permissions (§4) of projects, requirements and agreements."""

import frappe
from frappe.utils import add_days, nowdate

from sla_management.common import permissions
from sla_management.engine.roles import OPERATIONS_MANAGER, PROJECT_MANAGER
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.plan import (
	customer_doctype,
	make_customer,
	make_portal_user,
	make_project,
	make_requirement,
	make_user,
	unique,
)

PM1 = "sla-perm-pm1@example.com"
PM2 = "sla-perm-pm2@example.com"
OPS = "sla-perm-ops@example.com"
CUST1 = "sla-perm-cust1@example.com"
CUST2 = "sla-perm-cust2@example.com"
NOBODY = "sla-perm-nobody@example.com"


class TestSLAServiceProject(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(PM1, PROJECT_MANAGER)
		make_user(PM2, PROJECT_MANAGER)
		make_user(OPS, OPERATIONS_MANAGER)
		# a quote in the name proves the SQL conditions are escaped
		cls.customer1 = make_customer(unique("O'Brien Trading"))
		cls.customer2 = make_customer(unique("Zenith Works"))
		make_portal_user(CUST1, cls.customer1)
		make_portal_user(CUST2, cls.customer2)
		cls.project1 = make_project(cls.customer1, PM1)
		cls.project2 = make_project(cls.customer2, PM2)
		cls.requirement1 = make_requirement(cls.project1).name
		cls.requirement2 = make_requirement(cls.project2).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible(self, doctype, user):
		frappe.set_user(user)
		try:
			return set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
		finally:
			frappe.set_user("Administrator")

	# --- the project itself -------------------------------------------------------------------------

	def test_customer_name_and_defaults(self):
		doc = frappe.get_doc("SLA Service Project", self.project1)
		self.assertEqual(doc.customer_type, customer_doctype())
		self.assertTrue(doc.customer_name)
		self.assertEqual(doc.status, "Active")
		frappe.set_user(PM1)
		new = frappe.new_doc("SLA Service Project")
		self.assertEqual(new.project_manager, PM1)

	def test_end_date_not_before_start_date(self):
		with self.assertRaisesRegex(frappe.ValidationError, "End Date"):
			make_project(self.customer1, PM1, start_date=nowdate(), end_date=add_days(nowdate(), -1))
		make_project(self.customer1, PM1, start_date=nowdate(), end_date=nowdate())

	def test_customer_type_must_be_a_record_doctype(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Customer Type"):
			frappe.get_doc(
				{
					"doctype": "SLA Service Project",
					"project_name": unique("Project"),
					"customer_type": "Has Role",
					"customer": frappe.db.get_value("Has Role", {}, "name"),
				}
			).insert()

	# --- project permissions ------------------------------------------------------------------------

	def test_project_manager_sees_only_own_projects(self):
		seen = self.visible("SLA Service Project", PM1)
		self.assertIn(self.project1, seen)
		self.assertNotIn(self.project2, seen)
		self.assertTrue(frappe.has_permission("SLA Service Project", "write", self.project1, user=PM1))
		self.assertFalse(frappe.has_permission("SLA Service Project", "read", self.project2, user=PM1))

	def test_project_manager_cannot_create_a_project_for_someone_else(self):
		frappe.set_user(PM1)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "SLA Service Project",
					"project_name": unique("Project"),
					"customer_type": customer_doctype(),
					"customer": self.customer1,
					"project_manager": PM2,
				}
			).insert()

	def test_operations_manager_sees_everything(self):
		seen = self.visible("SLA Service Project", OPS)
		self.assertTrue({self.project1, self.project2} <= seen)
		self.assertTrue(frappe.has_permission("SLA Service Project", "write", self.project2, user=OPS))
		seen = self.visible("SLA Requirement", OPS)
		self.assertTrue({self.requirement1, self.requirement2} <= seen)

	def test_customer_reads_only_own_projects(self):
		self.assertEqual(frappe.db.get_value("User", CUST1, "user_type"), "Website User")
		seen = self.visible("SLA Service Project", CUST1)
		self.assertEqual(seen, {self.project1})
		self.assertEqual(self.visible("SLA Service Project", CUST2), {self.project2})
		self.assertTrue(frappe.has_permission("SLA Service Project", "read", self.project1, user=CUST1))
		self.assertFalse(frappe.has_permission("SLA Service Project", "read", self.project2, user=CUST1))
		self.assertFalse(frappe.has_permission("SLA Service Project", "write", self.project1, user=CUST1))

	def test_user_without_contact_sees_no_customer_rows(self):
		make_user(NOBODY, "Customer")
		self.assertEqual(permissions.query_conditions(NOBODY, "SLA Service Project"), "1=0")
		self.assertEqual(self.visible("SLA Service Project", NOBODY), set())

	# --- requirement permissions --------------------------------------------------------------------

	def test_project_manager_sees_requirements_of_own_projects(self):
		seen = self.visible("SLA Requirement", PM1)
		self.assertIn(self.requirement1, seen)
		self.assertNotIn(self.requirement2, seen)
		self.assertFalse(frappe.has_permission("SLA Requirement", "read", self.requirement2, user=PM1))
		self.assertTrue(frappe.has_permission("SLA Requirement", "write", self.requirement1, user=PM1))

	def test_project_manager_cannot_create_requirement_for_other_project(self):
		frappe.set_user(PM1)
		with self.assertRaises(frappe.PermissionError):
			make_requirement(self.project2)
		self.assertEqual(make_requirement(self.project1).project, self.project1)

	def test_customer_never_sees_requirements(self):
		self.assertFalse(frappe.has_permission("SLA Requirement", "read", self.requirement1, user=CUST1))
		self.assertEqual(permissions.query_conditions(CUST1, "SLA Requirement"), "1=0")
		doc = frappe.get_doc("SLA Requirement", self.requirement1)
		self.assertFalse(permissions.has_permission(doc, "read", CUST1))

	# --- agreement rules (the DocType belongs to another module: checked on plain records) ----------

	def agreement(self, project, customer, docstatus):
		return frappe._dict(
			doctype="SLA Agreement",
			project=project,
			customer_type=customer_doctype(),
			customer=customer,
			docstatus=docstatus,
		)

	def test_agreement_rules_for_customers(self):
		check = permissions.has_permission
		self.assertTrue(check(self.agreement(self.project1, self.customer1, 1), "read", CUST1))
		self.assertFalse(check(self.agreement(self.project1, self.customer1, 0), "read", CUST1))
		self.assertFalse(check(self.agreement(self.project2, self.customer2, 1), "read", CUST1))
		condition = permissions.query_conditions(CUST1, "SLA Agreement")
		self.assertIn("`tabSLA Agreement`.`docstatus` = 1", condition)
		self.assertIn(frappe.db.escape(self.customer1), condition)
		self.assertNotIn(frappe.db.escape(self.customer2), condition)

	def test_agreement_rules_for_project_managers_and_managers(self):
		check = permissions.has_permission
		self.assertTrue(check(self.agreement(self.project1, self.customer1, 0), "write", PM1))
		self.assertFalse(check(self.agreement(self.project2, self.customer2, 0), "read", PM1))
		self.assertTrue(check(self.agreement(self.project2, self.customer2, 0), "read", OPS))
		self.assertTrue(check(None, "read", PM1))
		self.assertIn(frappe.db.escape(self.project1), permissions.query_conditions(PM1, "SLA Agreement"))
		self.assertEqual(permissions.query_conditions(OPS, "SLA Agreement"), "")
		self.assertEqual(permissions.query_conditions("Administrator", "SLA Agreement"), "")

	def test_conditions_are_valid_sql(self):
		for user in (PM1, CUST1, OPS):
			for doctype in ("SLA Service Project", "SLA Requirement", "SLA Agreement"):
				condition = permissions.query_conditions(user, doctype) or "1=1"
				frappe.db.sql(f"select count(*) from `tab{doctype}` where {condition}")
