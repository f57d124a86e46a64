# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The app's desk notifications (Notification Log alerts), made one way for every job.

Frappe's Notification Log functions find their users by e-mail address (a user's name need not be one:
Administrator's is not) and read the notification's attributes (``doc.type``): ``emails_of`` gives the
addresses of user names, ``alert`` makes the alerts, ``email_and_alert`` also e-mails them.
"""

from __future__ import annotations

import frappe
from frappe.desk.doctype.notification_log.notification_log import (
	enqueue_create_notification,
	make_notification_logs,
)


def emails_of(users) -> list[str]:
	"""The e-mail addresses of the enabled users ``users`` (user names), ordered."""
	users = sorted({u for u in users if u and u != "Guest"})
	if not users:
		return []
	return frappe.get_all(
		"User",
		filters={"name": ("in", users), "enabled": 1, "email": ("is", "set")},
		pluck="email",
		order_by="email",
	)


def alert(emails: list[str], doctype: str, name: str, subject: str, message: str, enqueue: bool = False):
	"""An Alert of the document ``doctype``/``name`` for the users with these e-mail addresses: made here,
	or with ``enqueue`` in a background job."""
	if not emails:
		return
	notification = frappe._dict(
		type="Alert",
		document_type=doctype,
		document_name=name,
		subject=subject,
		email_content=message,
		from_user="Administrator",
	)
	if enqueue:
		enqueue_create_notification(list(emails), notification)
	else:
		make_notification_logs(notification, list(emails))


def email_and_alert(doc, subject: str, message: str, *, emails, alert_emails, not_emailed: str) -> None:
	"""E-mail ``emails`` about ``doc`` through Frappe's queue (sent by its mail worker) and alert
	``alert_emails`` in the desk. Without an outgoing e-mail account the error is logged on ``doc`` under
	the title ``not_emailed`` and the alert still goes out."""
	if emails:
		try:
			frappe.sendmail(
				recipients=list(emails),
				subject=subject,
				message=message,
				reference_doctype=doc.doctype,
				reference_name=doc.name,
			)
		except frappe.OutgoingEmailError:
			doc.log_error(not_emailed)
	alert(list(alert_emails), doc.doctype, doc.name, subject, message)
