"""Bench tests of install, migrate and uninstall steps (run with: CI=1 bench --site SITE run-tests --app sla_management)."""

import frappe
from frappe import _

from sla_management import install
from sla_management.engine.roles import APP_ROLES, CUSTOMER
from sla_management.setup.custom_fields import get_custom_fields
from sla_management.tests.compat import IntegrationTestCase


class TestInstall(IntegrationTestCase):
	def test_roles_exist_with_desk_access(self):
		for role, desk in APP_ROLES.items():
			self.assertTrue(frappe.db.exists("Role", role), role)
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), int(desk))

	def test_workspace_exists(self):
		self.assertEqual(frappe.db.get_value("Workspace", "SLA Management", "module"), "SLA Plan")

	def test_custom_fields_on_existing_ticket_doctypes(self):
		for doctype, fields in get_custom_fields().items():
			if not frappe.db.exists("DocType", doctype):
				continue
			meta = frappe.get_meta(doctype)
			for df in fields:
				self.assertTrue(meta.has_field(df["fieldname"]), f"{doctype}.{df['fieldname']}")

	def test_uninstall_steps_remove_exactly_the_custom_fields_and_install_restores_them(self):
		doctypes = [dt for dt in get_custom_fields() if frappe.db.exists("DocType", dt)]
		self.assertTrue(doctypes, "at least one ticket DocType (ERPNext Issue) is expected on the test site")
		others_before = frappe.db.count("Custom Field", {"dt": ("in", doctypes)})
		ours = sum(len(get_custom_fields()[dt]) for dt in doctypes)
		install.delete_custom_fields()
		for dt in doctypes:
			for df in get_custom_fields()[dt]:
				self.assertFalse(frappe.db.exists("Custom Field", {"dt": dt, "fieldname": df["fieldname"]}))
		self.assertEqual(frappe.db.count("Custom Field", {"dt": ("in", doctypes)}), others_before - ours)
		install.make_custom_fields()
		install.make_custom_fields()  # idempotent, like a second migrate
		self.assertEqual(frappe.db.count("Custom Field", {"dt": ("in", doctypes)}), others_before)

	def test_company_field_on_service_projects_comes_and_goes_with_the_app(self):
		from sla_management.setup.custom_fields import COMPANY_DOCTYPE, get_company_fields

		if not frappe.db.exists("DocType", COMPANY_DOCTYPE):
			self.assertFalse(frappe.get_meta("SLA Service Project").has_field("company"))
			return
		for dt, fields in get_company_fields().items():
			for df in fields:
				self.assertEqual(frappe.get_meta(dt).get_field(df["fieldname"]).options, COMPANY_DOCTYPE)
		install.delete_custom_fields()
		for dt, fields in get_company_fields().items():
			for df in fields:
				self.assertFalse(frappe.db.exists("Custom Field", {"dt": dt, "fieldname": df["fieldname"]}))
		install.make_custom_fields()
		install.make_custom_fields()  # idempotent
		for dt, fields in get_company_fields().items():
			for df in fields:
				self.assertEqual(frappe.db.count("Custom Field", {"dt": dt, "fieldname": df["fieldname"]}), 1)

	def test_install_keeps_the_customer_role_a_portal_role(self):
		frappe.db.set_value("Role", CUSTOMER, "desk_access", 1)  # as Frappe's DocType sync creates it
		install.create_roles()
		self.assertEqual(frappe.db.get_value("Role", CUSTOMER, "desk_access"), 1, "migrate leaves it alone")
		install.create_roles(enforce_desk_access=True)
		self.assertEqual(frappe.db.get_value("Role", CUSTOMER, "desk_access"), 0)

	def test_create_roles_is_idempotent(self):
		count = frappe.db.count("Role")
		install.create_roles()
		self.assertEqual(frappe.db.count("Role"), count)

	def test_hooks_stay_quiet_while_uninstall_drops_the_doctypes(self):
		"""Uninstall drops the app's DocTypes while the "*" hooks still run on every save."""
		from unittest.mock import patch

		from sla_management.sla_check.tickets import config

		config.clear_cache()
		original = frappe.get_meta

		def dropped(doctype, *args, **kwargs):
			if doctype == config.SETTINGS:
				raise frappe.DoesNotExistError(f"DocType {doctype} not found")
			return original(doctype, *args, **kwargs)

		try:
			# the DocType records are deleted first (their Singles rows with them), the tables at the end
			with (
				patch.object(frappe, "get_meta", side_effect=dropped),
				patch.object(config, "_stored_settings", return_value={}),
			):
				self.assertEqual(config.ticket_types(), {})
				frappe.get_single("Installed Applications").save()  # what uninstall saves last
		finally:
			config.clear_cache()

	def test_chinese_translation_is_served(self):
		install.compile_translations()
		frappe.local.lang = "zh"
		frappe.local.lang_full_dict = None
		try:
			self.assertEqual(_("SLA Management"), "SLA 服务级别管理")
		finally:
			frappe.local.lang = "en"
			frappe.local.lang_full_dict = None


class TestTicketTypeFields(IntegrationTestCase):
	PROBE = "Test SLA Field Probe"

	def test_the_sla_section_comes_and_goes_with_the_ticket_type(self):
		from sla_management.tests.factories.plan import customer_doctype

		frappe.get_doc(
			{
				"doctype": "DocType",
				"name": self.PROBE,
				"module": "Custom",
				"custom": 1,
				"autoname": "hash",
				"fields": [
					{
						"fieldname": "client",
						"fieldtype": "Link",
						"options": customer_doctype(),
						"label": "Client",
					},
					{"fieldname": "state", "fieldtype": "Select", "options": "Open\nDone", "label": "State"},
					{"fieldname": "opened_at", "fieldtype": "Datetime", "label": "Opened At"},
				],
				"permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}],
			}
		).insert(ignore_permissions=True)
		try:
			ticket_type = frappe.get_doc(
				{
					"doctype": "SLA Ticket Type",
					"ticket_doctype": self.PROBE,
					"customer_doctype": customer_doctype(),
					"customer_field": "client",
					"status_field": "state",
					"opening_field": "opened_at",
					"status_rules": [{"status": "Done", "effect": "Resolve"}],
				}
			).insert(ignore_permissions=True)
			self.assertTrue(frappe.get_meta(self.PROBE).has_field("sla_mgmt_status"))
			ticket_type.delete(ignore_permissions=True)
			self.assertFalse(frappe.db.exists("Custom Field", {"dt": self.PROBE}))
			self.assertFalse(frappe.get_meta(self.PROBE).has_field("sla_mgmt_status"))
		finally:
			frappe.db.rollback()
			if frappe.db.exists("SLA Ticket Type", self.PROBE):
				frappe.delete_doc("SLA Ticket Type", self.PROBE, ignore_permissions=True, force=True)
			frappe.db.delete("Custom Field", {"dt": self.PROBE})
			frappe.delete_doc("DocType", self.PROBE, ignore_permissions=True, force=True)
			frappe.db.commit()
