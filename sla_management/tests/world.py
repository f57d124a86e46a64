"""The base class of the bench tests that work in the agreement test world (``factories.agreements``)."""

import frappe

from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.agreements import setup_world

SAVEPOINT = "sla_world_test"


class WorldTestCase(IntegrationTestCase):
	"""``setup_world()`` once per class (``cls.world``: two customers with portal users, their projects,
	two project managers, an operations manager, a calendar, a published catalog); each test runs as
	Administrator inside a savepoint that is rolled back after it, with the message log cleared."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = setup_world()

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint(SAVEPOINT)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.local.message_log = []
