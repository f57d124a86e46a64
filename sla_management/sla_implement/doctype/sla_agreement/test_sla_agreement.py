# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of the service level agreement: lifecycle, rules, versions, daily job and roles."""

import json
from unittest.mock import patch

import frappe

from sla_management.sla_implement.doctype.sla_agreement import sla_agreement as module, validity
from sla_management.tests.factories.agreements import (
	CUSTOMER_A_USER,
	CUSTOMER_B_USER,
	HOUR,
	ITEMS,
	OPS,
	PM,
	UNPUBLISHED_ITEM,
	agreement_doc,
	approve,
	frozen,
	make_agreement,
	make_outgoing_email_account,
	sign,
)
from sla_management.tests.world import WorldTestCase

DOCTYPE = "SLA Agreement"


class TestSLAAgreement(WorldTestCase):
	def setUp(self):
		super().setUp()

	# ------------------------------------------------------------------ lifecycle

	def test_new_agreement_is_a_draft_with_its_own_code_and_version_1(self):
		doc = make_agreement(self.world, status="Active", reviewed_by="Administrator")
		self.assertEqual((doc.status, doc.version, doc.agreement_code), ("Draft", 1, doc.name))
		self.assertFalse(doc.reviewed_by)
		doc.status = "Signed"
		doc.save()
		self.assertEqual(doc.status, "Draft", "status changes only through the actions")

	def test_review_approval_and_return_to_draft(self):
		doc = make_agreement(self.world)
		doc.submit_for_review()
		self.assertEqual(doc.status, "In Review")
		self.assertFalse(doc.reviewed_by)
		doc.return_to_draft()
		self.assertEqual(doc.status, "Draft")
		doc.submit_for_review()
		with frozen("2025-12-20"):
			doc.approve_review()
		doc.reload()
		self.assertEqual((doc.status, doc.reviewed_by), ("Approved", "Administrator"))
		self.assertEqual(str(doc.reviewed_on), "2025-12-20 10:00:00")
		doc.return_to_draft()
		self.assertEqual((doc.status, doc.reviewed_by, doc.reviewed_on), ("Draft", None, None))

	def test_approval_needs_review_status(self):
		doc = make_agreement(self.world)
		self.assertRaisesRegex(frappe.ValidationError, "Not possible while", doc.approve_review)

	def test_submit_needs_an_approved_review(self):
		doc = make_agreement(self.world, signed_by_customer="Mr. Customer")
		self.assertRaisesRegex(frappe.ValidationError, "reviewed and approved", doc.submit)
		doc.reload()
		doc.submit_for_review()
		self.assertRaisesRegex(frappe.ValidationError, "reviewed and approved", doc.submit)

	def test_paper_signature_needs_the_signer(self):
		doc = approve(make_agreement(self.world))
		self.assertRaisesRegex(frappe.ValidationError, "who signed", doc.submit)

	def test_signing_within_the_period_makes_it_active(self):
		doc = sign(make_agreement(self.world), today="2026-02-01")
		self.assertEqual((doc.docstatus, doc.status), (1, "Active"))
		self.assertEqual(doc.signature_method, "Paper")
		self.assertEqual(str(doc.signed_on), "2026-02-01 10:00:00")

	def test_signed_before_start_then_activated_then_expired_by_the_daily_job(self):
		doc = sign(make_agreement(self.world), today="2025-12-15")
		self.assertEqual(doc.status, "Signed")
		validity.process_daily_lifecycle("2025-12-31")
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Signed")
		validity.process_daily_lifecycle("2026-01-01")
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Active")
		validity.process_daily_lifecycle("2026-12-31")
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Active")
		validity.process_daily_lifecycle("2027-01-01")
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Expired")
		validity.process_daily_lifecycle("2027-01-02")
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Expired")

	def test_cancel_sets_cancelled(self):
		doc = sign(make_agreement(self.world))
		doc.cancel()
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Cancelled")

	# ------------------------------------------------------------------ versions

	def test_renewal_version_takes_over_when_the_old_one_ends(self):
		old = sign(make_agreement(self.world), today="2026-01-01")
		new = module.make_new_version(old.name)
		self.assertEqual(
			(new.status, new.docstatus, new.version, new.agreement_code, new.previous_version),
			("Draft", 0, 2, old.agreement_code, old.name),
		)
		self.assertEqual((str(new.valid_from), str(new.valid_to)), ("2027-01-01", "2027-12-31"))
		self.assertEqual(len(new.targets), 2)
		self.assertRaisesRegex(
			frappe.ValidationError, "already being prepared", module.make_new_version, old.name
		)

		new = sign(frappe.get_doc(DOCTYPE, new.name), today="2026-12-01")
		self.assertEqual(new.status, "Signed")
		self.assertEqual(frappe.db.get_value(DOCTYPE, old.name, "status"), "Active", "old stays valid")
		for _run in range(2):  # idempotent
			validity.process_daily_lifecycle("2027-01-01")
			self.assertEqual(frappe.db.get_value(DOCTYPE, new.name, "status"), "Active")
			self.assertEqual(frappe.db.get_value(DOCTYPE, old.name, "status"), "Expired")

	def test_mid_term_version_supersedes_the_old_one_when_it_starts(self):
		old = sign(make_agreement(self.world), today="2026-01-01")
		new = module.make_new_version(old.name)
		new.valid_from, new.valid_to = "2026-06-01", "2027-05-31"
		new.save()
		new = sign(new, today="2026-05-01")
		self.assertEqual(new.status, "Signed")
		validity.process_daily_lifecycle("2026-05-31")
		self.assertEqual(frappe.db.get_value(DOCTYPE, old.name, "status"), "Active")
		for _run in range(2):  # idempotent
			validity.process_daily_lifecycle("2026-06-01")
			self.assertEqual(frappe.db.get_value(DOCTYPE, new.name, "status"), "Active")
			self.assertEqual(
				frappe.db.get_value(DOCTYPE, old.name, ["status", "superseded_by"]), ("Superseded", new.name)
			)
		self.assertTrue(frappe.has_permission(DOCTYPE, "read", old.name), "the old version stays readable")

	def test_new_version_starting_at_once_supersedes_on_submit(self):
		old = sign(make_agreement(self.world), today="2026-01-01")
		new = module.make_new_version(old.name)
		new.valid_from, new.valid_to = "2026-06-01", "2027-05-31"
		new.save()
		sign(new, today="2026-06-01")
		self.assertEqual(frappe.db.get_value(DOCTYPE, old.name, "status"), "Superseded")

	def test_cancelling_the_new_version_gives_the_old_one_back(self):
		old = sign(make_agreement(self.world), today="2026-01-01")
		new = module.make_new_version(old.name)
		new.valid_from = "2026-06-01"
		new.save()
		new = sign(new, today="2026-06-01")
		with frozen("2026-07-01"):
			new.cancel()
		self.assertEqual(
			frappe.db.get_value(DOCTYPE, old.name, ["status", "superseded_by"]), ("Active", None)
		)

	def test_only_signed_agreements_get_a_new_version(self):
		doc = make_agreement(self.world)
		self.assertRaisesRegex(frappe.ValidationError, "Only a signed", module.make_new_version, doc.name)

	# ------------------------------------------------------------------ rules

	def test_a_calendar_without_holidays_for_the_validity_warns_but_saves(self):
		frappe.local.message_log = []
		doc = make_agreement(self.world, valid_from="2026-01-01", valid_to="2027-06-30")
		self.assertTrue(frappe.db.exists(DOCTYPE, doc.name))
		messages = " ".join(str(m) for m in frappe.local.message_log)
		self.assertIn(self.world.calendar, messages)
		self.assertIn("2027", messages)

	def test_valid_to_before_valid_from(self):
		doc = agreement_doc(self.world, valid_from="2026-06-01", valid_to="2026-05-31")
		self.assertRaisesRegex(frappe.ValidationError, "cannot be before Valid From", doc.insert)

	def test_items_must_be_in_the_published_catalog(self):
		doc = agreement_doc(self.world, items=[{"service_item": UNPUBLISHED_ITEM}], targets=[])
		self.assertRaisesRegex(frappe.ValidationError, "not in the published service catalog", doc.insert)

	def test_target_rules(self):
		cases = {
			"not one of the agreement's items": [{"service_item": ITEMS[1], "response_time": HOUR}],
			"already has the same service item and priority": [
				{"service_item": ITEMS[0], "priority": "P1", "response_time": HOUR},
				{"service_item": ITEMS[0], "priority": "P1", "response_time": 2 * HOUR},
			],
			"cannot be negative": [{"priority": "P1", "response_time": -60}],
			"longer than zero": [{"priority": "P1", "response_time": 0, "resolution_time": 0}],
			"cannot be shorter than the response time": [
				{"priority": "P1", "response_time": 4 * HOUR, "resolution_time": HOUR}
			],
		}
		for message, targets in cases.items():
			with self.subTest(message):
				doc = agreement_doc(self.world, targets=targets)
				self.assertRaisesRegex(frappe.ValidationError, message, doc.insert)

	def test_targets_need_a_calendar(self):
		doc = agreement_doc(self.world, calendar=None)
		self.assertRaisesRegex(frappe.ValidationError, "calendar is required", doc.insert)
		agreement_doc(self.world, calendar=None, targets=[]).insert()  # no targets: no calendar needed

	def test_overlapping_agreement_of_another_code_cannot_be_signed(self):
		first = sign(make_agreement(self.world))
		clash = agreement_doc(self.world, valid_from="2026-06-01", valid_to="2027-05-31").insert()
		with self.assertRaises(frappe.ValidationError) as ctx:
			sign(clash, today="2026-05-01")
		self.assertIn(first.name, str(ctx.exception))
		# another priority of the same item does not overlap
		other = agreement_doc(
			self.world, targets=[{"service_item": ITEMS[0], "priority": "P3", "response_time": HOUR}]
		).insert()
		self.assertEqual(sign(other).status, "Active")

	def test_unanswered_requirement_lines_give_an_orange_warning(self):
		requirement = frappe.get_doc(
			{
				"doctype": "SLA Requirement",
				"project": self.world.project_a,
				"metrics": [
					{"metric": "Availability", "unit": "Percent", "target_value": 99.5},
					{
						"metric": "Response Time",
						"unit": "Hours",
						"target_value": 1,
						"service_item": ITEMS[0],
						"priority": "P1",
					},
					{"metric": "Number of Failures", "unit": "Count", "target_value": 2},
				],
			}
		).insert()
		frappe.local.message_log = []
		doc = make_agreement(self.world, requirement=requirement.name, availability_target=99.5)
		warnings = [m for m in _messages() if m.get("title") == "Requirement Lines Unanswered"]
		self.assertEqual(len(warnings), 1)
		self.assertEqual(warnings[0].get("indicator"), "orange")
		self.assertIn("Number of Failures", warnings[0]["message"])
		self.assertNotIn("Availability", warnings[0]["message"])
		self.assertNotIn("Response Time", warnings[0]["message"])
		self.assertEqual(doc.docstatus, 0, "a warning, not an error")

	# ------------------------------------------------------------------ daily job

	def test_scheduler_only_enqueues_deduplicated_chunked_work(self):
		with patch("frappe.enqueue") as enqueue:
			validity.run_daily_lifecycle()
		enqueue.assert_called_once_with(
			validity.WORKER, queue="long", job_id=validity.LIFECYCLE_JOB_ID, deduplicate=True
		)

	def test_renewal_reminder_is_queued_once(self):
		make_outgoing_email_account()
		doc = sign(make_agreement(self.world, renewal_reminder_days=30))

		def reminders():
			return frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": DOCTYPE, "reference_name": doc.name},
				pluck="name",
			)

		validity.process_daily_lifecycle("2026-11-30")
		self.assertEqual(reminders(), [])
		validity.process_daily_lifecycle("2026-12-01")
		self.assertEqual(len(reminders()), 1)
		validity.process_daily_lifecycle("2026-12-02")
		self.assertEqual(len(reminders()), 1)
		self.assertEqual(
			str(frappe.db.get_value(DOCTYPE, doc.name, "renewal_reminder_sent_on")), "2026-12-01"
		)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": PM, "document_name": doc.name, "type": "Alert"})
		)

	def test_renewal_reminder_reaches_a_project_manager_who_is_administrator(self):
		# Frappe finds a Notification Log's users by e-mail address: Administrator's name is not its address
		doc = sign(make_agreement(self.world, renewal_reminder_days=30))
		frappe.db.set_value("SLA Service Project", doc.project, "project_manager", "Administrator")
		validity.process_daily_lifecycle("2026-12-01")
		self.assertTrue(
			frappe.db.exists(
				"Notification Log", {"for_user": "Administrator", "document_name": doc.name, "type": "Alert"}
			)
		)

	def test_no_reminder_once_a_new_version_exists(self):
		doc = sign(make_agreement(self.world, renewal_reminder_days=30))
		module.make_new_version(doc.name)
		validity.process_daily_lifecycle("2026-12-10")
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": doc.name}))

	# ------------------------------------------------------------------ roles

	def test_project_manager_drafts_but_cannot_approve_or_submit(self):
		frappe.set_user(PM)
		doc = make_agreement(self.world)
		doc.submit_for_review()
		self.assertRaises(frappe.PermissionError, doc.approve_review)
		frappe.set_user("Administrator")
		frappe.get_doc(DOCTYPE, doc.name).approve_review()
		frappe.set_user(PM)
		doc = frappe.get_doc(DOCTYPE, doc.name)
		doc.signed_by_customer = "Mr. Customer"
		self.assertRaises(frappe.PermissionError, doc.submit)

	def test_operations_manager_approves_and_submits(self):
		doc = make_agreement(self.world)
		doc.submit_for_review()
		frappe.set_user(OPS)
		doc = frappe.get_doc(DOCTYPE, doc.name)
		with frozen("2026-01-05"):
			doc.approve_review()
			doc.signed_by_customer = "Mr. Customer"
			doc.submit()
		self.assertEqual((doc.reviewed_by, frappe.db.get_value(DOCTYPE, doc.name, "status")), (OPS, "Active"))

	def test_customer_reads_only_its_own_signed_agreements(self):
		signed_a = sign(make_agreement(self.world))
		draft_a = make_agreement(self.world)
		signed_b = sign(
			make_agreement(
				self.world, project=self.world.project_b, targets=[], items=[{"service_item": ITEMS[1]}]
			)
		)
		frappe.set_user(CUSTOMER_A_USER)
		self.assertTrue(frappe.has_permission(DOCTYPE, "read", signed_a.name))
		self.assertFalse(frappe.has_permission(DOCTYPE, "read", signed_b.name))
		self.assertFalse(frappe.has_permission(DOCTYPE, "read", draft_a.name))
		self.assertFalse(frappe.has_permission(DOCTYPE, "write", signed_a.name))
		visible = set(frappe.get_list(DOCTYPE, pluck="name"))
		self.assertIn(signed_a.name, visible)
		self.assertNotIn(signed_b.name, visible)
		self.assertNotIn(draft_a.name, visible)

	def test_customer_confirms_its_approved_agreement_on_the_portal(self):
		doc = approve(make_agreement(self.world))
		frappe.set_user(CUSTOMER_B_USER)
		self.assertRaises(frappe.PermissionError, module.confirm_by_customer, doc.name)
		frappe.set_user(CUSTOMER_A_USER)
		with frozen("2026-03-01"):
			status = module.confirm_by_customer(doc.name)
		frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((status, doc.docstatus, doc.signature_method), ("Active", 1, "Portal"))
		self.assertTrue(doc.signed_by_customer)
		self.assertEqual(str(doc.signed_on), "2026-03-01 10:00:00")

	def test_customer_cannot_confirm_an_unapproved_agreement(self):
		doc = make_agreement(self.world)
		doc.submit_for_review()
		frappe.set_user(CUSTOMER_A_USER)
		self.assertRaisesRegex(frappe.ValidationError, "not waiting", module.confirm_by_customer, doc.name)


def _messages() -> list[dict]:
	out = []
	for message in frappe.local.message_log:
		out.append(json.loads(message) if isinstance(message, str) else message)
	return out
