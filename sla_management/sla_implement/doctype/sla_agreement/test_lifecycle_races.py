# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The daily lifecycle job run twice at the same time (two workers, real parallel connections): each
agreement's renewal reminder goes out once, each status step is recorded once."""

import time
from unittest.mock import patch

import frappe

from sla_management.engine import agreement_rules
from sla_management.sla_implement.doctype.sla_agreement import validity
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.agreements import (
	make_agreement,
	make_outgoing_email_account,
	setup_world,
	sign,
)
from sla_management.tests.parallel import run_parallel

DOCTYPE = "SLA Agreement"


class TestDailyLifecycleRaces(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = setup_world()
		make_outgoing_email_account()

	def delete_agreement(self, name: str) -> None:
		frappe.db.rollback()
		for doctype, field in (
			("Email Queue", "reference_name"),
			("Notification Log", "document_name"),
			("Comment", "reference_name"),
			("Version", "docname"),
		):
			frappe.db.delete(doctype, {field: name})
		for child in frappe.get_meta(DOCTYPE).get_table_fields():
			frappe.db.delete(child.options, {"parenttype": DOCTYPE, "parent": name})
		frappe.db.delete(DOCTYPE, {"name": name})
		frappe.db.commit()

	def test_two_daily_jobs_at_once_send_one_renewal_reminder_and_record_one_activation(self):
		# signed before its start: the job activates it on 2026-01-01; 30-day reminder due from 2026-12-01
		doc = sign(make_agreement(self.world, renewal_reminder_days=30), today="2025-12-20")
		self.assertEqual(doc.status, "Signed")
		frappe.db.commit()
		self.addCleanup(self.delete_agreement, doc.name)
		since = frappe.utils.now_datetime()
		real_status_on, real_due = agreement_rules.status_on, agreement_rules.reminder_due

		def slow(real):
			def wrapper(*args, **kwargs):
				time.sleep(0.2)  # both jobs have read the same rows before either writes
				return real(*args, **kwargs)

			return wrapper

		with (
			patch.object(agreement_rules, "status_on", slow(real_status_on)),
			patch.object(agreement_rules, "reminder_due", slow(real_due)),
		):
			outcomes = run_parallel(
				lambda: validity.process_daily_lifecycle("2026-01-01"),
				lambda: validity.process_daily_lifecycle("2026-01-01"),
				timeout=60,
			)
			self.assertEqual([o.error for o in outcomes], [None, None])
			outcomes = run_parallel(
				lambda: validity.process_daily_lifecycle("2026-12-01"),
				lambda: validity.process_daily_lifecycle("2026-12-01"),
				timeout=60,
			)
		self.assertEqual([o.error for o in outcomes], [None, None])
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Active")
		self.assertEqual(self.records(doc.name, since), {"activations": 1, "e-mails": 1, "notifications": 1})

	def records(self, name: str, since) -> dict:
		"""What the jobs recorded for agreement ``name`` after ``since`` (names of rolled-back test
		agreements come back, and so may older rows that point to them)."""
		after = {"creation": (">", since)}
		return {
			"activations": frappe.db.count(
				"Comment",
				{
					"reference_doctype": DOCTYPE,
					"reference_name": name,
					"content": frappe._("Status changed to {0}.").format(frappe._("Active")),
					**after,
				},
			),
			"e-mails": frappe.db.count(
				"Email Queue", {"reference_doctype": DOCTYPE, "reference_name": name, **after}
			),
			"notifications": frappe.db.count(
				"Notification Log", {"document_type": DOCTYPE, "document_name": name, **after}
			),
		}
