"""Warnings and escalation of one SLA timer level: Notification Log, e-mail queue, optional reassignment."""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import (
	enqueue_create_notification,
	make_notification_logs,
)
from frappe.utils import format_datetime, format_duration, get_url_to_form


def split_list(value: str | None) -> list[str]:
	return [v.strip() for v in re.split(r"[,\n;]", value or "") if v.strip()]


def recipients(level: dict, timer: dict) -> list[str]:
	"""E-mail addresses of the enabled users to notify for ``level`` (named users, holders of the named
	roles, the project manager), ordered by user. Frappe's notification and e-mail APIs take addresses, and a
	user's name need not be one (Administrator's is not)."""
	users = set(split_list(level.get("notify_users")))
	roles = split_list(level.get("notify_roles"))
	if roles:
		users.update(
			frappe.get_all(
				"Has Role",
				filters={"role": ("in", roles), "parenttype": "User"},
				pluck="parent",
				distinct=True,
			)
		)
	if level.get("notify_project_manager") and timer.get("project"):
		manager = frappe.db.get_value("SLA Service Project", timer["project"], "project_manager")
		if manager:
			users.add(manager)
	users.discard("Guest")
	if not users:
		return []
	rows = frappe.get_all(
		"User", filters={"name": ("in", list(users)), "enabled": 1}, fields=["name", "email"], as_list=True
	)
	return [email for _name, email in sorted(rows) if email]


def describe(level: dict, timer: dict) -> tuple[str, str]:
	"""Subject and HTML body of the alert."""
	metric = _(timer["metric"])
	ticket = f"{_(timer['ticket_doctype'])} {timer['ticket']}"
	if timer.get("breached"):
		subject = _("SLA breached ({0}): {1} target of {2} was due {3}").format(
			level.get("level_name"), metric, ticket, format_datetime(timer.get("deadline"))
		)
	else:
		subject = _("SLA warning ({0}): {1} target of {2} is due {3}").format(
			level.get("level_name"), metric, ticket, format_datetime(timer.get("deadline"))
		)
	url = get_url_to_form(timer["ticket_doctype"], timer["ticket"])
	body = "<br>".join(
		[
			_("Ticket: {0}").format(f'<a href="{url}">{frappe.utils.escape_html(ticket)}</a>'),
			_("Agreement: {0}").format(frappe.utils.escape_html(timer.get("agreement") or "")),
			_("Priority: {0}").format(frappe.utils.escape_html(timer.get("priority") or "-")),
			_("Target: {0}, elapsed: {1}").format(
				format_duration(timer.get("target_seconds") or 0),
				format_duration(int(timer.get("elapsed_seconds") or 0)),
			),
			_("Deadline: {0}").format(format_datetime(timer.get("deadline"))),
		]
	)
	return subject, body


def escalate(level: dict, timer: dict) -> None:
	"""Notify (and reassign) for one level of one timer. Each step is independent: one failing is logged."""
	subject, body = describe(level, timer)
	emails = recipients(level, timer)
	doctype, name = timer["ticket_doctype"], timer["ticket"]
	if emails:
		_try(
			notify,
			emails,
			{
				"type": "Alert",
				"document_type": doctype,
				"document_name": name,
				"subject": subject,
				"email_content": body,
				"from_user": "Administrator",
			},
		)
		if level.get("email"):
			_try(
				frappe.sendmail,
				recipients=emails,
				subject=subject,
				message=body,
				reference_doctype=doctype,
				reference_name=name,
				delayed=True,
			)
	if level.get("reassign_to"):
		_try(reassign, doctype, name, level["reassign_to"], subject)


def notify(users: list[str], notification: dict) -> None:
	"""Notification Logs for ``users``: in a background job, or in-line while
	``frappe.flags.sla_mgmt_notify_inline`` is set (the ticket benchmark measures them that way)."""
	if frappe.flags.sla_mgmt_notify_inline:
		make_notification_logs(notification, users)
	else:
		enqueue_create_notification(users, notification)


def reassign(doctype: str, name: str, user: str, description: str) -> None:
	"""Hand the ticket to ``user``: close other open assignments, then assign (once)."""
	from frappe.desk.form import assign_to

	others = frappe.get_all(
		"ToDo",
		filters={
			"reference_type": doctype,
			"reference_name": name,
			"status": "Open",
			"allocated_to": ("!=", user),
		},
		pluck="allocated_to",
	)
	for other in set(others):
		assign_to.remove(doctype, name, other, ignore_permissions=True)
	if not frappe.db.exists(
		"ToDo", {"reference_type": doctype, "reference_name": name, "status": "Open", "allocated_to": user}
	):
		assign_to.add(
			{"doctype": doctype, "name": name, "assign_to": [user], "description": description},
			ignore_permissions=True,
		)


def _try(fn, *args, **kwargs):
	try:
		fn(*args, **kwargs)
	except Exception:
		frappe.log_error(title=_("SLA escalation step failed"))


def level_rows_by_idx(rows: list[dict]) -> dict[int, dict]:
	"""Level rows keyed like ``escalation_rules.levels_from_rows`` keys its levels."""
	return {int(row.get("idx") or position): row for position, row in enumerate(rows, start=1)}
