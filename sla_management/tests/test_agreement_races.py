# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Races on the agreement's rules, with real parallel database connections (issue 10, item 7).

Two overlapping agreements (same customer, all items, any priority, overlapping dates) submitted at the
same instant: exactly one may be signed. The overlap query is held open until both connections reached it
or a short wait ran out, so without serialisation both connections read "no overlap" and both commit.
"""

import threading
from unittest.mock import patch

import frappe

from sla_management.sla_implement.doctype.sla_agreement import sla_agreement as module
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories import plan as plan_factory
from sla_management.tests.parallel import run_parallel

DOCTYPE = "SLA Agreement"
PREFIX = "_Test Race"
HOLD_SECONDS = 2


class TestAgreementRaces(IntegrationTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.rows: list[tuple[str, str]] = []

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for doctype, name in reversed(self.rows):
			if doctype == DOCTYPE:
				_delete_agreement(name)
			elif frappe.db.exists(doctype, name):
				if doctype == "SLA Service Catalog":  # only a draft catalog may be deleted
					frappe.db.set_value(doctype, name, "status", "Draft", update_modified=False)
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
			_delete_feed(doctype, name)
		frappe.db.commit()

	def make_world(self) -> list[str]:
		"""A customer, its project, a published item and two approved, overlapping agreements, committed."""
		customer = plan_factory.make_customer(plan_factory.unique(f"{PREFIX} Customer"))
		self.rows.append((plan_factory.customer_doctype(), customer))
		project = plan_factory.make_project(customer, "Administrator")
		self.rows.append(("SLA Service Project", project))
		item = plan_factory.make_service_item()
		self.rows.append(("SLA Service Item", item))
		catalog = frappe.get_doc(
			{"doctype": "SLA Service Catalog", "catalog_name": item, "items": [{"service_item": item}]}
		).insert(ignore_permissions=True)
		catalog.db_set("status", "Published")
		self.rows.append(("SLA Service Catalog", catalog.name))
		names = []
		for valid_from, valid_to in (("2026-01-01", "2026-12-31"), ("2026-06-01", "2027-05-31")):
			doc = frappe.get_doc(
				{
					"doctype": DOCTYPE,
					"agreement_title": f"{PREFIX} Agreement",
					"project": project,
					"catalog": catalog.name,
					"items": [{"service_item": item}],
					"valid_from": valid_from,
					"valid_to": valid_to,
					"signed_by_customer": "Mr. Customer",
				}
			).insert()
			self.rows.append((DOCTYPE, doc.name))
			doc.submit_for_review()
			doc.approve_review()
			names.append(doc.name)
		frappe.db.commit()
		return names

	def test_concurrent_submits_of_overlapping_agreements_sign_exactly_one(self):
		names = self.make_world()
		original = module._live_agreements_of
		both_inside = threading.Barrier(2)

		def held_overlap_query(*args, **kwargs):
			# hold this connection inside the overlap check until the other one got there too (or a short
			# wait ran out: it is then waiting for this one, which is what serialisation means)
			found = original(*args, **kwargs)
			try:
				both_inside.wait(HOLD_SECONDS)
			except threading.BrokenBarrierError:
				pass
			return found

		def submit(name):
			return lambda: frappe.get_doc(DOCTYPE, name).submit().name

		with patch.object(module, "_live_agreements_of", held_overlap_query):
			outcomes = run_parallel(submit(names[0]), submit(names[1]), timeout=60)

		errors = [o.error for o in outcomes if o.error]
		self.assertEqual(len(errors), 1, f"exactly one of the two submits is refused: {outcomes}")
		self.assertIsInstance(errors[0], frappe.ValidationError)
		self.assertIn("already covers", str(errors[0]))
		frappe.db.rollback()
		docstatus = frappe.get_all(DOCTYPE, {"name": ("in", names)}, pluck="docstatus")
		self.assertEqual(sorted(docstatus), [0, 1], "one agreement signed, the other still a draft")

	def test_sequential_submits_refuse_the_second(self):
		names = self.make_world()
		frappe.get_doc(DOCTYPE, names[0]).submit()
		self.assertRaisesRegex(
			frappe.ValidationError, "already covers", frappe.get_doc(DOCTYPE, names[1]).submit
		)


def _delete_agreement(name: str):
	"""A committed test agreement, submitted or not, with its children, comments and versions."""
	if not frappe.db.exists(DOCTYPE, name):
		return
	frappe.db.set_value(DOCTYPE, name, "docstatus", 2, update_modified=False)
	frappe.delete_doc(DOCTYPE, name, force=True, ignore_permissions=True, delete_permanently=True)
	frappe.db.delete("Comment", {"reference_doctype": DOCTYPE, "reference_name": name})


def _delete_feed(doctype: str, name: str):
	"""The "Deleted" feed comment frappe.delete_doc leaves behind."""
	frappe.db.delete(
		"Comment", {"comment_type": "Deleted", "reference_doctype": doctype, "subject": f"{doctype} {name}"}
	)
	frappe.db.delete("Version", {"ref_doctype": DOCTYPE, "docname": name})
