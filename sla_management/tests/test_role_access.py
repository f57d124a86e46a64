# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of what the app's roles may do outside the app's own DocTypes (issue 11, item 10): select
customers, and the tickets of the projects a project manager manages — through the calls a browser or a
REST client makes, as two project managers, an operations manager and two customers.
"""

import frappe
import frappe.client
from frappe.desk.search import search_link

from sla_management.common import permissions
from sla_management.engine.roles import OPERATIONS_MANAGER, PROJECT_MANAGER
from sla_management.setup import role_permissions
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.agreements import OPS, OTHER_PM, PM, PREFIX, setup_world

ISSUE = "Issue"


def _call_whitelisted(method: str, **kwargs):
	"""Run ``method`` the way /api/method/<method> does: through the site's override_whitelisted_methods."""
	return frappe.call(frappe.get_attr(frappe.override_whitelisted_method(method)), **kwargs)


def _issue(project: str, customer: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": ISSUE,
				"subject": f"{PREFIX} role access ticket of {project}",
				"customer": customer,
				"sla_mgmt_project": project,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestRoleAccess(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not frappe.db.exists("DocType", ISSUE) or not frappe.db.exists("DocType", "Customer"):
			raise __import__("unittest").SkipTest("ERPNext (Issue, Customer) is not installed")
		cls.world = setup_world()

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("role_access_test")
		w = self.world
		self.issue_a = _issue(w.project_a, w.customer_a)
		self.issue_b = _issue(w.project_b, w.customer_b)
		self.issue_none = frappe.get_doc(
			{"doctype": ISSUE, "subject": f"{PREFIX} role access ticket without project"}
		).insert(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="role_access_test")
		frappe.local.message_log = []

	def _issues(self) -> set[str]:
		mine = {self.issue_a, self.issue_b, self.issue_none.name}
		return set(frappe.get_list(ISSUE, filters={"name": ("in", list(mine))}, pluck="name"))

	# ------------------------------------------------------------------ customers: select, not edit

	def test_managers_select_customers_but_do_not_edit_them(self):
		for user in (PM, OTHER_PM, OPS):
			frappe.set_user(user)
			self.assertTrue(frappe.has_permission("Customer", "select"), user)
			found = {row["value"] for row in search_link("Customer", f"{PREFIX} Customer")}
			self.assertTrue({self.world.customer_a, self.world.customer_b} <= found, (user, found))
			if hasattr(frappe.client, "validate_link"):  # v15 (v16 validates links through the search)
				self.assertEqual(
					frappe.client.validate_link("Customer", self.world.customer_a).get("name"),
					self.world.customer_a,
				)
			self.assertFalse(frappe.has_permission("Customer", "write"), user)
			self.assertFalse(frappe.has_permission("Customer", "create"), user)
			self.assertFalse(frappe.has_permission("Customer", "delete"), user)
			with self.assertRaises(frappe.PermissionError):
				frappe.client.set_value("Customer", self.world.customer_a, "customer_name", "taken over")
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Customer", self.world.customer_a, "customer_name"), self.world.customer_a
		)

	# ------------------------------------------------------------------ tickets of the managed projects

	def test_project_manager_reads_and_writes_only_the_tickets_of_their_projects(self):
		frappe.set_user(PM)
		self.assertEqual(self._issues(), {self.issue_a})
		self.assertEqual(frappe.client.get(ISSUE, self.issue_a)["name"], self.issue_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get(ISSUE, self.issue_b)
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get(ISSUE, self.issue_none.name)
		self.assertEqual(
			_call_whitelisted(
				"frappe.client.get_count",
				doctype=ISSUE,
				filters={"name": ("in", [self.issue_a, self.issue_b, self.issue_none.name])},
			),
			1,
		)
		self.assertFalse(frappe.client.get_value(ISSUE, "name", {"name": self.issue_b}), "PM reads PM2's")
		# their own ticket they work on; the other's they cannot change, nor move their own out
		frappe.client.set_value(ISSUE, self.issue_a, "description", "worked on by its manager")
		with self.assertRaises(frappe.PermissionError):
			frappe.client.set_value(ISSUE, self.issue_b, "description", "taken over")
		with self.assertRaises(frappe.PermissionError):
			frappe.client.set_value(ISSUE, self.issue_b, "sla_mgmt_project", self.world.project_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.client.set_value(ISSUE, self.issue_a, "sla_mgmt_project", self.world.project_b)
		self.assertFalse(frappe.has_permission(ISSUE, "create"))
		self.assertFalse(frappe.has_permission(ISSUE, "delete", self.issue_a))

		frappe.set_user(OTHER_PM)
		self.assertEqual(self._issues(), {self.issue_b})
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get(ISSUE, self.issue_a)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(ISSUE, self.issue_b, "sla_mgmt_project"), self.world.project_b)
		self.assertEqual(frappe.db.get_value(ISSUE, self.issue_a, "sla_mgmt_project"), self.world.project_a)

	def test_managers_open_the_issue_form_which_reads_support_settings(self):
		if not frappe.db.exists("DocType", "Support Settings"):
			self.skipTest("ERPNext is not installed")
		for user in (PM, OPS):
			frappe.set_user(user)
			self.assertTrue(frappe.has_permission("Support Settings", "read"), user)
			self.assertFalse(frappe.has_permission("Support Settings", "write"), user)
			frappe.client.get_value("Support Settings", "track_service_level_agreement", "Support Settings")

	def test_operations_manager_reads_and_writes_every_ticket(self):
		frappe.set_user(OPS)
		self.assertEqual(self._issues(), {self.issue_a, self.issue_b, self.issue_none.name})
		self.assertEqual(frappe.client.get(ISSUE, self.issue_b)["name"], self.issue_b)
		frappe.client.set_value(ISSUE, self.issue_none.name, "description", "triaged")
		self.assertFalse(frappe.has_permission(ISSUE, "delete", self.issue_b))

	def test_other_roles_keep_their_access_unnarrowed(self):
		"""A support agent who is also a project manager still sees every ticket (the rule narrows only
		what the project manager role gives)."""
		agent = "implement.agent.pm@example.com"
		from sla_management.tests.factories.plan import make_user

		make_user(agent, PROJECT_MANAGER, "Support Team")
		frappe.set_user(agent)
		self.assertEqual(self._issues(), {self.issue_a, self.issue_b, self.issue_none.name})
		self.assertEqual(frappe.client.get(ISSUE, self.issue_b)["name"], self.issue_b)

	def test_ticket_rule_follows_the_ticket_types_project_field(self):
		"""The project field is read from the SLA Ticket Type: without a configured ticket type, a
		project manager sees no tickets at all."""
		frappe.db.set_value("SLA Ticket Type", ISSUE, "enabled", 0)
		frappe.set_user(PM)
		self.assertEqual(self._issues(), set())
		self.assertFalse(frappe.has_permission(ISSUE, "read", self.issue_a))

	def test_portal_customer_gets_no_ticket_or_customer_access_from_this(self):
		from sla_management.tests.factories.agreements import CUSTOMER_A_USER

		frappe.set_user(CUSTOMER_A_USER)
		self.assertFalse(frappe.has_permission(ISSUE, "read"))
		self.assertFalse(frappe.has_permission("Customer", "select"))

	# ------------------------------------------------------------------ install / uninstall symmetry

	def test_grants_are_idempotent_and_removed_symmetrically(self):
		def rows():
			return frappe.get_all(
				"Custom DocPerm",
				filters={
					"parent": ("in", ["Customer", ISSUE]),
					"role": ("in", [PROJECT_MANAGER, OPERATIONS_MANAGER]),
				},
				fields=["parent", "role", "read", "write", "select", "create", "delete"],
				order_by="parent, role",
			)

		before = rows()
		self.assertTrue(before, "install/migrate created the grants")
		role_permissions.apply_role_permissions()
		self.assertEqual(rows(), before)
		customer_rows = frappe.db.count("Custom DocPerm", {"parent": "Customer"})
		role_permissions.remove_role_permissions()
		self.assertEqual(rows(), [])
		# the copy of the standard rules made for the grants goes too: the DocType's own rules apply again
		self.assertEqual(frappe.db.count("Custom DocPerm", {"parent": "Customer"}), 0, customer_rows)
		role_permissions.apply_role_permissions()
		self.assertEqual(rows(), before)
		self.assertIsNotNone(permissions)
