# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Workflows that cannot record the wrong thing (issue 11, items 1, 2, 4 and 12), as a browser drives them.

Every call is one a desk form or REST client makes: ``frappe.client.save`` / ``submit`` / ``get``, the form's
``getdoc`` (its ``__onload``), and the whitelisted document methods through ``run_doc_method``. Two
customers with their project managers (PM manages project A, OTHER_PM project B) and one operations manager.
"""

import json
from unittest.mock import patch

import frappe
import frappe.client
from frappe.desk.form.load import run_onload
from frappe.handler import run_doc_method

from sla_management.tests.factories.agreements import (
	HOUR,
	ITEMS,
	OPS,
	OTHER_PM,
	PM,
	make_agreement,
)
from sla_management.tests.factories.plan import make_requirement
from sla_management.tests.world import WorldTestCase

AGREEMENT = "SLA Agreement"
REQUIREMENT = "SLA Requirement"


_ENQUEUE_OPTIONS = {"queue", "timeout", "enqueue_after_commit", "now", "job_name", "is_async", "event"}
_QUEUED: list = []


def queue_job(method, **kwargs):
	"""frappe.enqueue in these tests: the job runs when the request it was queued in has ended."""
	_QUEUED.append((method, {k: v for k, v in kwargs.items() if k not in _ENQUEUE_OPTIONS}))


def run_queued_jobs():
	while _QUEUED:
		method, kwargs = _QUEUED.pop(0)
		(frappe.get_attr(method) if isinstance(method, str) else method)(**kwargs)


def as_user(user, fn, *args, **kwargs):
	"""One request of ``user``; the jobs it queued run after it, as Administrator (a worker)."""
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")
		try:
			run_queued_jobs()
		finally:
			_QUEUED.clear()


def act(user, doctype, name, method, client_doc=None):
	"""Run a form's action as ``user``: with ``client_doc`` as frm.call sends it, else by doctype and name."""

	def run():
		frappe.local.response = frappe._dict(docs=[])
		frappe.local.request = frappe._dict(method="POST")  # the form posts its actions
		if client_doc is not None:
			run_doc_method(method=method, docs=json.dumps(client_doc, default=str))
		else:
			run_doc_method(method=method, dt=doctype, dn=name)
		return frappe.response.get("message")

	return as_user(user, run)


def form_onload(user, doctype, name) -> dict:
	"""The ``__onload`` of the form as ``user`` opens it."""

	def load():  # what frappe.desk.form.load.getdoc does before sending the form (without view logs)
		doc = frappe.get_doc(doctype, name)
		if not doc.has_permission("read"):
			raise frappe.PermissionError
		run_onload(doc)
		return doc.get("__onload") or {}

	return as_user(user, load)


def button_actions(user, doctype, name) -> list[str]:
	return [a["action"] for a in form_onload(user, doctype, name).get("lifecycle_actions", [])]


def open_todos(doctype, name) -> list[str]:
	return sorted(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": doctype, "reference_name": name, "status": "Open"},
			pluck="allocated_to",
		)
	)


class TestWorkflows(WorldTestCase):
	def setUp(self):
		super().setUp()
		# tests send mail at once, and sending commits: the notification is logged, its mail not sent
		mail = patch("frappe.desk.doctype.notification_log.notification_log.send_notification_email")
		mail.start()
		self.addCleanup(mail.stop)
		# jobs queued after commit (the review's assignment) run at once, inside the test's transaction
		jobs = patch("frappe.enqueue", side_effect=queue_job)
		jobs.start()
		self.addCleanup(jobs.stop)

	def approved_agreement(self):
		doc = make_agreement(self.world)
		act(PM, AGREEMENT, doc.name, "submit_for_review")
		act(OPS, AGREEMENT, doc.name, "approve_review")
		return doc.name

	# ------------------------------------------------------------------ item 1: approval of content

	def test_pm_editing_an_approved_agreements_target_withdraws_the_approval_and_submit_is_refused(self):
		name = self.approved_agreement()
		approved = frappe.client.get(AGREEMENT, name)
		self.assertEqual((approved["status"], approved["reviewed_by"]), ("Approved", OPS))
		self.assertTrue(approved["approved_digest"])

		edited = as_user(PM, frappe.client.get, AGREEMENT, name)
		edited["targets"][0]["response_time"] = 4 * HOUR  # P1 response 1 h → 4 h
		saved = as_user(PM, frappe.client.save, edited)

		self.assertEqual(saved["status"], "In Review", "the approval is withdrawn")
		self.assertEqual((saved["reviewed_by"], saved["reviewed_on"], saved["approved_digest"]), (None,) * 3)
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": AGREEMENT, "reference_name": name, "comment_type": "Info"},
			pluck="content",
		)
		self.assertTrue(any("withdrawn" in c for c in comments), comments)
		self.assertIn(OPS, open_todos(AGREEMENT, name), "the operations manager reviews it again")

		saved["signed_by_customer"] = "Mr. Customer"
		with self.assertRaisesRegex(frappe.ValidationError, "reviewed and approved"):
			as_user(OPS, frappe.client.submit, saved)
		self.assertEqual(frappe.db.get_value(AGREEMENT, name, "docstatus"), 0)

	def test_the_approval_names_the_content_signing_checks_it(self):
		name = self.approved_agreement()
		# a change that skips the controller (a patch, a console) still cannot be signed as approved
		target = frappe.get_all("SLA Agreement Target", {"parent": name, "priority": "P1"}, pluck="name")[0]
		frappe.db.set_value("SLA Agreement Target", target, "response_time", 4 * HOUR)
		doc = frappe.client.get(AGREEMENT, name)
		doc["signed_by_customer"] = "Mr. Customer"
		with self.assertRaisesRegex(frappe.ValidationError, "reviewed and approved"):
			as_user(OPS, frappe.client.submit, doc)

	def test_entering_the_signer_keeps_the_approval_and_signs(self):
		name = self.approved_agreement()
		doc = as_user(PM, frappe.client.get, AGREEMENT, name)
		doc["signed_by_customer"] = "Mr. Customer"
		saved = as_user(PM, frappe.client.save, doc)
		self.assertEqual((saved["status"], saved["reviewed_by"]), ("Approved", OPS))
		signed = as_user(OPS, frappe.client.submit, saved)  # recording the paper signature
		self.assertEqual(signed["docstatus"], 1)
		self.assertIn(signed["status"], ("Signed", "Active"))

	def test_the_approver_approves_the_version_on_the_screen(self):
		doc = make_agreement(self.world)
		act(PM, AGREEMENT, doc.name, "submit_for_review")
		on_screen = as_user(OPS, frappe.client.get, AGREEMENT, doc.name)
		edited = as_user(PM, frappe.client.get, AGREEMENT, doc.name)
		edited["targets"][0]["resolution_time"] = 8 * HOUR
		as_user(PM, frappe.client.save, edited)
		with self.assertRaises(frappe.TimestampMismatchError):
			act(OPS, AGREEMENT, doc.name, "approve_review", client_doc=on_screen)
		self.assertEqual(frappe.db.get_value(AGREEMENT, doc.name, "status"), "In Review")

	# ------------------------------------------------------------------ item 4: buttons, review, signer

	def test_forms_offer_the_actions_the_status_and_roles_allow(self):
		doc = make_agreement(self.world)
		self.assertEqual(button_actions(PM, AGREEMENT, doc.name), ["submit_for_review"])
		self.assertEqual(button_actions(OPS, AGREEMENT, doc.name), ["submit_for_review"])
		act(PM, AGREEMENT, doc.name, "submit_for_review")
		self.assertEqual(button_actions(PM, AGREEMENT, doc.name), ["return_to_draft"])
		self.assertEqual(button_actions(OPS, AGREEMENT, doc.name), ["approve_review", "return_to_draft"])
		act(OPS, AGREEMENT, doc.name, "approve_review")
		self.assertEqual(button_actions(OPS, AGREEMENT, doc.name), ["return_to_draft"])
		actions = form_onload(OPS, AGREEMENT, doc.name)["lifecycle_actions"]
		self.assertEqual(actions[0]["label"], "Return to Draft")

	def test_the_other_projects_manager_is_offered_nothing(self):
		doc = make_agreement(self.world)
		with self.assertRaises(frappe.PermissionError):
			button_actions(OTHER_PM, AGREEMENT, doc.name)
		with self.assertRaises(frappe.PermissionError):
			act(OTHER_PM, AGREEMENT, doc.name, "submit_for_review")

	def test_reopen_is_not_offered_when_a_signed_agreement_answers_the_requirement(self):
		req = as_user(PM, make_requirement, self.world.project_a)
		act(PM, REQUIREMENT, req.name, "confirm")
		self.assertEqual(button_actions(PM, REQUIREMENT, req.name), ["reopen"])
		agreement = make_agreement(self.world, requirement=req.name, signed_by_customer="Mr. Customer")
		act(PM, AGREEMENT, agreement.name, "submit_for_review")
		act(OPS, AGREEMENT, agreement.name, "approve_review")
		frappe.get_doc(AGREEMENT, agreement.name).submit()
		self.assertEqual(button_actions(PM, REQUIREMENT, req.name), [])
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be reopened"):
			act(PM, REQUIREMENT, req.name, "reopen")

	def test_submitting_for_review_assigns_the_operations_managers_and_approval_closes_it(self):
		doc = make_agreement(self.world)
		act(PM, AGREEMENT, doc.name, "submit_for_review")
		self.assertIn(OPS, open_todos(AGREEMENT, doc.name))
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{
					"for_user": OPS,
					"document_type": AGREEMENT,
					"document_name": doc.name,
					"type": "Assignment",
				},
			)
		)
		act(OPS, AGREEMENT, doc.name, "approve_review")
		self.assertEqual(open_todos(AGREEMENT, doc.name), [])
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{
					"reference_type": AGREEMENT,
					"reference_name": doc.name,
					"allocated_to": OPS,
					"status": "Closed",
				},
			)
		)

	def test_returning_to_draft_closes_the_review(self):
		doc = make_agreement(self.world)
		act(PM, AGREEMENT, doc.name, "submit_for_review")
		act(PM, AGREEMENT, doc.name, "return_to_draft")
		self.assertEqual(open_todos(AGREEMENT, doc.name), [])

	def test_a_catalog_in_review_is_assigned_to_the_operations_managers(self):
		catalog = frappe.get_doc(
			{
				"doctype": "SLA Service Catalog",
				"catalog_name": "_Test Implement Workflow Catalog",
				"items": [{"service_item": ITEMS[0]}],
			}
		).insert()
		act(PM, "SLA Service Catalog", catalog.name, "submit_for_review")
		self.assertIn(OPS, open_todos("SLA Service Catalog", catalog.name))

	def test_signing_without_the_signer_names_the_field(self):
		name = self.approved_agreement()
		doc = frappe.client.get(AGREEMENT, name)
		with self.assertRaisesRegex(frappe.ValidationError, "Signed by \\(Customer\\)"):
			as_user(OPS, frappe.client.submit, doc)

	def test_approved_is_its_own_status_in_the_list(self):
		name = self.approved_agreement()
		rows = as_user(PM, frappe.client.get_list, AGREEMENT, filters={"status": "Approved"})
		self.assertIn(name, [r["name"] for r in rows])

	# ------------------------------------------------------------------ item 2: grid defaults

	def test_a_new_requirement_line_is_empty_and_required_not_invalid(self):
		doc = frappe.new_doc(REQUIREMENT)
		row = doc.append("metrics", {})
		self.assertFalse(row.metric, "no metric chosen for the user")
		self.assertFalse(row.unit, "no unit chosen for the user")
		doc.project = self.world.project_a
		with self.assertRaisesRegex(frappe.ValidationError, "Row 1: choose a metric") as err:
			as_user(PM, doc.insert)
		self.assertNotIn("cannot be measured", str(err.exception))
		row.metric = "Availability Hours"
		with self.assertRaisesRegex(frappe.ValidationError, "choose a unit"):
			as_user(PM, doc.insert)

	# ------------------------------------------------------------------ item 12: targets from the requirement

	def requirement_with_lines(self, project=None):
		return as_user(
			PM if project is None else OTHER_PM,
			make_requirement,
			project or self.world.project_a,
			[
				{
					"metric": "Response Time",
					"service_item": ITEMS[0],
					"priority": "P1",
					"target_value": 30,
					"unit": "Minutes",
				},
				{
					"metric": "Resolution Time",
					"service_item": ITEMS[0],
					"priority": "P1",
					"target_value": 4,
					"unit": "Hours",
				},
				{
					"metric": "Response Time",
					"service_item": ITEMS[0],
					"priority": "P2",
					"target_value": 2,
					"unit": "Hours",
				},
				{"metric": "Availability", "target_value": 99.5, "unit": "Percent"},
			],
		)

	def test_targets_are_prefilled_from_the_requirements_lines(self):
		req = self.requirement_with_lines()
		doc = make_agreement(self.world, requirement=req.name, targets=[])
		method = "sla_management.sla_implement.doctype.sla_agreement.sla_agreement.targets_from_requirement"
		rows = as_user(PM, frappe.get_attr(method), req.name)
		lines = {row.metric: row.name for row in req.metrics if row.priority == "P1"}
		self.assertEqual(
			[(r["service_item"], r["priority"], r["response_time"], r["resolution_time"]) for r in rows],
			[(ITEMS[0], "P1", 1800.0, 4 * HOUR), (ITEMS[0], "P2", 2 * HOUR, 0.0)],
		)
		self.assertEqual(rows[0]["requirement_metric"], lines["Response Time"])
		edited = as_user(PM, frappe.client.get, AGREEMENT, doc.name)
		edited["targets"] = rows
		saved = as_user(PM, frappe.client.save, edited)
		self.assertEqual(len(saved["targets"]), 2)
		self.assertIn("Response Time", saved["targets"][0]["requirement_line"])

	def test_a_target_can_only_answer_a_line_of_the_agreements_requirement(self):
		req = self.requirement_with_lines()
		other = self.requirement_with_lines(project=self.world.project_b)
		doc = as_user(PM, frappe.client.get, AGREEMENT, make_agreement(self.world, requirement=req.name).name)
		doc["targets"][0]["requirement_metric"] = other.metrics[0].name
		with self.assertRaisesRegex(frappe.ValidationError, "not a line of"):
			as_user(PM, frappe.client.save, doc)
		query = "sla_management.sla_implement.doctype.sla_agreement.sla_agreement.requirement_line_query"
		found = as_user(
			PM, frappe.get_attr(query), "SLA Requirement Metric", "", "name", 0, 20, {"requirement": req.name}
		)
		self.assertEqual({r[0] for r in found}, {m.name for m in req.metrics})

	def test_priorities_are_the_tickets_priorities(self):
		method = "sla_management.sla_implement.doctype.sla_agreement.priorities.get_ticket_priorities"
		priorities = as_user(PM, frappe.get_attr(method))
		self.assertIn("P1", priorities)
		doc = as_user(PM, frappe.client.get, AGREEMENT, make_agreement(self.world).name)
		doc["targets"][0]["priority"] = "P9 typo"
		with self.assertRaisesRegex(frappe.ValidationError, "P9 typo.*not a priority of the tickets"):
			as_user(PM, frappe.client.save, doc)
		req = frappe.new_doc(REQUIREMENT)
		req.project = self.world.project_a
		req.append(
			"metrics", {"metric": "Response Time", "priority": "P9 typo", "target_value": 1, "unit": "Hours"}
		)
		with self.assertRaisesRegex(frappe.ValidationError, "not a priority of the tickets"):
			as_user(PM, req.insert)

	# ------------------------------------------------------------------ migration of existing approvals

	def test_migration_turns_old_approvals_into_approved_or_withdraws_them(self):
		from sla_management.patches.v0_3 import agreement_approved_status as patch_module

		kept, changed = make_agreement(self.world), make_agreement(self.world)
		for doc, saved_after in ((kept, "2026-03-01 10:00:05"), (changed, "2026-03-02 09:00:00")):
			frappe.db.set_value(
				AGREEMENT,
				doc.name,
				{
					"status": "In Review",
					"reviewed_by": OPS,
					"reviewed_on": "2026-03-01 10:00:00",
					"modified": saved_after,
				},
				update_modified=False,
			)
		patch_module.execute()
		kept = frappe.get_doc(AGREEMENT, kept.name)
		self.assertEqual((kept.status, kept.reviewed_by), ("Approved", OPS))
		self.assertEqual(kept.approved_digest, kept.lifecycle_digest())
		changed = frappe.get_doc(AGREEMENT, changed.name)
		self.assertEqual(
			(changed.status, changed.reviewed_by, changed.approved_digest), ("In Review", None, None)
		)
