# Copyright (c) 2026, sla_management developers and contributors
# For license information, please see license.txt

import frappe

from sla_management.engine.roles import OPERATIONS_MANAGER, PROJECT_MANAGER
from sla_management.sla_plan.doctype.sla_service_catalog.sla_service_catalog import (
	get_published_items,
)
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.plan import make_service_item, make_user, unique

OPS = "sla-catalog-ops@example.com"
PM = "sla-catalog-pm@example.com"


class TestSLAServiceCatalog(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(OPS, OPERATIONS_MANAGER)
		make_user(PM, PROJECT_MANAGER)
		cls.desk = make_service_item(category="Incident Handling")
		cls.network = make_service_item(category="Maintenance", delivery_hours="7x24")
		cls.backup = make_service_item(category="Service Request")
		cls.retired = make_service_item(disabled=1)

	def tearDown(self):
		frappe.set_user("Administrator")

	# --- helpers ------------------------------------------------------------------------------------

	def make_catalog(self, items=None, catalog_name=None):
		frappe.set_user(PM)
		doc = frappe.get_doc(
			{
				"doctype": "SLA Service Catalog",
				"catalog_name": catalog_name or unique("Catalog"),
				"items": [{"service_item": item} for item in (items or [self.desk, self.network])],
			}
		).insert()
		frappe.set_user("Administrator")
		return doc

	def confirm_all(self, doc):
		frappe.set_user(OPS)
		doc.reload()
		for row in doc.items:
			row.capability_confirmed = 1
		doc.save()
		frappe.set_user("Administrator")

	def published_catalog(self, items=None, catalog_name=None):
		doc = self.make_catalog(items, catalog_name)
		frappe.set_user(PM)
		doc.submit_for_review()
		self.confirm_all(doc)
		frappe.set_user(OPS)
		doc.approve()
		doc.publish()
		frappe.set_user("Administrator")
		return doc

	# --- lifecycle ----------------------------------------------------------------------------------

	def test_new_catalog_is_a_draft_version_1_with_item_details(self):
		doc = self.make_catalog()
		self.assertEqual(doc.status, "Draft")
		self.assertEqual(doc.version, 1)
		self.assertEqual(doc.name, f"{doc.catalog_name}-v1")
		self.assertFalse(doc.previous_version)
		row = doc.items[1]
		self.assertEqual(row.category, "Maintenance")
		self.assertEqual(row.delivery_hours, "7x24")
		self.assertEqual(row.service_object, "All office users")
		self.assertEqual(row.typical_response_time, 1800)

	def test_full_lifecycle(self):
		doc = self.make_catalog()
		frappe.set_user(PM)
		doc.submit_for_review()
		self.assertEqual(doc.status, "In Review")

		frappe.set_user(OPS)
		doc.reload()
		for row in doc.items:
			row.capability_confirmed = 1
			row.review_note = "Team in place"
		doc.save()
		self.assertEqual({row.capability_confirmed_by for row in doc.items}, {OPS})

		doc.approve()
		self.assertEqual(doc.status, "Approved")
		self.assertEqual(doc.approved_by, OPS)
		self.assertEqual(doc.reviewed_by, OPS)
		self.assertTrue(doc.approved_on)

		doc.publish()
		self.assertEqual(doc.status, "Published")
		self.assertTrue(doc.published_on)
		self.assertEqual(get_published_items(doc.catalog_name), {self.desk, self.network})
		self.assertEqual(get_published_items(doc.name), {self.desk, self.network})
		self.assertTrue({self.desk, self.network} <= get_published_items())

	def test_return_to_draft(self):
		doc = self.make_catalog()
		frappe.set_user(PM)
		doc.submit_for_review()
		frappe.set_user(OPS)
		doc.return_to_draft()
		self.assertEqual(doc.status, "Draft")
		self.assertEqual(doc.reviewed_by, OPS)

	def test_submit_needs_items(self):
		doc = self.make_catalog()
		doc.items = []
		doc.save()
		frappe.set_user(PM)
		with self.assertRaisesRegex(frappe.ValidationError, "at least one service item"):
			doc.submit_for_review()

	def test_actions_refused_from_the_wrong_status(self):
		doc = self.make_catalog()
		frappe.set_user(OPS)
		with self.assertRaises(frappe.ValidationError):
			doc.publish()
		with self.assertRaises(frappe.ValidationError):
			doc.approve()
		with self.assertRaises(frappe.ValidationError):
			doc.new_version()
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Draft")

	def test_status_cannot_be_changed_by_saving(self):
		doc = self.make_catalog()
		doc.status = "Published"
		with self.assertRaisesRegex(frappe.ValidationError, "actions only"):
			doc.save()
		doc.reload()
		doc.approved_by = OPS
		doc.save()
		self.assertFalse(frappe.db.get_value(doc.doctype, doc.name, "approved_by"))

	# --- approval and capability --------------------------------------------------------------------

	def test_approve_refused_for_a_project_manager(self):
		doc = self.make_catalog()
		frappe.set_user(PM)
		doc.submit_for_review()
		self.confirm_all(doc)
		frappe.set_user(PM)
		with self.assertRaises(frappe.PermissionError):
			doc.approve()
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "In Review")

	def test_publish_refused_for_a_project_manager(self):
		doc = self.make_catalog()
		frappe.set_user(PM)
		doc.submit_for_review()
		self.confirm_all(doc)
		frappe.set_user(OPS)
		doc.approve()
		frappe.set_user(PM)
		with self.assertRaises(frappe.PermissionError):
			doc.publish()

	def test_approve_refused_while_a_capability_is_unconfirmed(self):
		doc = self.make_catalog([self.desk, self.network, self.backup])
		frappe.set_user(PM)
		doc.submit_for_review()
		frappe.set_user(OPS)
		doc.reload()
		doc.items[0].capability_confirmed = 1
		doc.save()
		with self.assertRaises(frappe.ValidationError) as err:
			doc.approve()
		message = str(err.exception)
		self.assertIn(self.network, message)
		self.assertIn(self.backup, message)
		self.assertNotIn(self.desk, message)
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "In Review")

	def test_only_operations_manager_confirms_capability(self):
		doc = self.make_catalog()
		frappe.set_user(PM)
		doc.reload()
		doc.items[0].capability_confirmed = 1
		with self.assertRaises(frappe.PermissionError):
			doc.save()

		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "SLA Service Catalog",
					"catalog_name": unique("Catalog"),
					"items": [{"service_item": self.desk, "capability_confirmed": 1}],
				}
			).insert()

	def test_confirmed_by_is_set_by_the_server(self):
		doc = self.make_catalog()
		frappe.set_user(OPS)
		doc.reload()
		doc.items[0].capability_confirmed = 1
		doc.items[0].capability_confirmed_by = PM
		doc.items[1].capability_confirmed_by = PM
		doc.save()
		self.assertEqual(doc.items[0].capability_confirmed_by, OPS)
		self.assertFalse(doc.items[1].capability_confirmed_by)

	def test_changing_a_confirmed_service_withdraws_its_confirmation(self):
		doc = self.make_catalog()
		self.confirm_all(doc)
		frappe.set_user(PM)
		doc.reload()
		doc.items[0].content = "<p>Something else</p>"
		doc.save()
		self.assertEqual(doc.items[0].capability_confirmed, 0)
		self.assertFalse(doc.items[0].capability_confirmed_by)
		self.assertEqual(doc.items[1].capability_confirmed, 1)

	# --- item rules ---------------------------------------------------------------------------------

	def test_duplicate_service_items_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "already listed"):
			self.make_catalog([self.desk, self.network, self.desk])

	def test_disabled_items_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "disabled"):
			self.make_catalog([self.desk, self.retired])

	def test_in_review_only_review_fields_change(self):
		doc = self.make_catalog()
		frappe.set_user(PM)
		doc.submit_for_review()
		doc.reload()
		doc.items[0].content = "<p>Changed</p>"
		with self.assertRaisesRegex(frappe.ValidationError, "in review"):
			doc.save()
		doc.reload()
		doc.append("items", {"service_item": self.backup})
		with self.assertRaisesRegex(frappe.ValidationError, "in review"):
			doc.save()
		doc.reload()
		doc.items[0].review_note = "Please check staffing"
		doc.save()

	def test_published_catalog_is_frozen_but_readable(self):
		doc = self.published_catalog()
		for change in (
			lambda d: setattr(d.items[0], "content", "<p>Changed</p>"),
			lambda d: setattr(d.items[0], "capability_confirmed", 0),
			lambda d: d.append("items", {"service_item": self.backup}),
			lambda d: d.items.pop(),
			lambda d: setattr(d, "notes", "changed"),
		):
			frappe.set_user(OPS)
			doc.reload()
			change(doc)
			with self.assertRaisesRegex(frappe.ValidationError, "cannot be changed"):
				doc.save()
		frappe.set_user(PM)
		self.assertTrue(frappe.has_permission(doc.doctype, "read", doc.name))
		with self.assertRaisesRegex(frappe.ValidationError, "draft catalog"):
			frappe.set_user("Administrator")
			frappe.delete_doc(doc.doctype, doc.name)

	# --- versions -----------------------------------------------------------------------------------

	def test_new_version_and_publish_archives_the_previous_version(self):
		v1 = self.published_catalog()
		frappe.set_user(PM)
		v2_name = v1.new_version()
		v2 = frappe.get_doc("SLA Service Catalog", v2_name)
		self.assertEqual(v2.status, "Draft")
		self.assertEqual(v2.version, 2)
		self.assertEqual(v2.previous_version, v1.name)
		self.assertEqual([r.service_item for r in v2.items], [r.service_item for r in v1.items])
		self.assertEqual({r.capability_confirmed_by for r in v2.items}, {OPS})

		# only one version in preparation at a time
		with self.assertRaisesRegex(frappe.ValidationError, "in preparation"):
			v1.new_version()

		v2.append("items", {"service_item": self.backup})
		v2.save()
		v2.submit_for_review()
		self.confirm_all(v2)
		frappe.set_user(OPS)
		v2.approve()
		# still the old version until v2 is published
		self.assertEqual(get_published_items(v1.catalog_name), {self.desk, self.network})
		v2.publish()

		v1.reload()
		self.assertEqual(v1.status, "Archived")
		self.assertTrue(v1.archived_on)
		self.assertEqual(v2.status, "Published")
		self.assertEqual(get_published_items(v1.catalog_name), {self.desk, self.network, self.backup})
		self.assertEqual(get_published_items(v1.name), {self.desk, self.network, self.backup})

		# an archived catalog stays readable and can seed yet another version
		frappe.set_user(PM)
		self.assertTrue(frappe.has_permission(v1.doctype, "read", v1.name))
		v3 = frappe.get_doc("SLA Service Catalog", v1.new_version())
		self.assertEqual((v3.version, v3.previous_version), (3, v1.name))

	def test_published_items_of_unknown_catalog_is_empty(self):
		self.assertEqual(get_published_items(unique("No Such Catalog")), set())
		draft = self.make_catalog()
		self.assertEqual(get_published_items(draft.catalog_name), set())

	def test_only_drafts_can_be_deleted(self):
		doc = self.make_catalog()
		frappe.set_user(PM)
		doc.submit_for_review()
		frappe.set_user("Administrator")
		with self.assertRaisesRegex(frappe.ValidationError, "draft catalog"):
			frappe.delete_doc(doc.doctype, doc.name)
		draft = self.make_catalog()
		frappe.delete_doc(draft.doctype, draft.name)
		self.assertFalse(frappe.db.exists(draft.doctype, draft.name))
