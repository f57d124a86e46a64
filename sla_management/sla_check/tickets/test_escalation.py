"""Escalation reaches every recipient it names, whatever their user name is."""

from __future__ import annotations

import frappe

from sla_management.sla_check.tickets import escalation
from sla_management.tests.compat import IntegrationTestCase


class TestEscalationRecipients(IntegrationTestCase):
	def timer(self) -> dict:
		return {
			"ticket_doctype": "ToDo",
			"ticket": frappe.get_doc({"doctype": "ToDo", "description": "escalated"}).insert().name,
			"metric": "Resolution",
			"agreement": "AGR-TEST",
			"priority": "P1",
			"deadline": frappe.utils.now_datetime(),
			"target_seconds": 3600,
			"elapsed_seconds": 4000,
			"breached": 1,
		}

	def test_a_user_whose_name_is_not_their_email_is_notified(self):
		# Administrator's user name is not an e-mail address (its e-mail is admin@example.com)
		self.assertNotEqual(frappe.db.get_value("User", "Administrator", "email"), "Administrator")
		timer = self.timer()
		escalation.escalate({"level_name": "At breach", "notify_users": "Administrator"}, timer)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": "Administrator", "document_type": "ToDo", "document_name": timer["ticket"]},
			)
		)
