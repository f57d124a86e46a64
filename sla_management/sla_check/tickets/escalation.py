"""Warnings and escalation of one SLA timer level: Notification Log, e-mail queue, optional reassignment,
and a comment on the ticket's timeline.

Alerts are rendered in each recipient's language (User.language, else the site's); the timeline comment,
which everyone reads, in the site's language. Durations are business time in hours ("4 h (business)").
"""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.utils import format_datetime, get_url_to_form

from sla_management.common import i18n
from sla_management.common.notifications import alert
from sla_management.engine.durations import format_business_seconds


def split_list(value: str | None) -> list[str]:
	return [v.strip() for v in re.split(r"[,\n;]", value or "") if v.strip()]


def recipients(level: dict, timer: dict) -> list[str]:
	"""E-mail addresses of the enabled users to notify for ``level`` (named users, holders of the named
	roles, the project manager), ordered by user. Frappe's notification and e-mail APIs take addresses, and a
	user's name need not be one (Administrator's is not)."""
	return [email for _user, email in recipient_users(level, timer)]


def recipient_users(level: dict, timer: dict) -> list[tuple[str, str]]:
	"""(user, e-mail address) of the enabled users to notify for ``level``, ordered by user."""
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
	return [(name, email) for name, email in sorted(rows) if email]


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
				format_business_seconds(float(timer.get("target_seconds") or 0), business=True),
				format_business_seconds(float(timer.get("elapsed_seconds") or 0)),
			),
			_("Deadline: {0}").format(format_datetime(timer.get("deadline"))),
		]
	)
	return subject, body


def escalate(level: dict, timer: dict) -> None:
	"""Notify (and reassign) for one level of one timer. Each step is independent: one failing is logged.

	The recipients are grouped by language; each group gets the subject and body rendered in its
	language. The ticket's timeline gets one comment (site language): the level, who was notified, and
	to whom the ticket was reassigned.
	"""
	users = recipient_users(level, timer)
	email_of = dict(users)
	doctype, name = timer["ticket_doctype"], timer["ticket"]
	for lang, group in i18n.languages_of(email_of).items():
		emails = [email_of[user] for user in group]
		with i18n.language(lang):
			subject, body = describe(level, timer)
		# in a background job, or in-line while ``frappe.flags.sla_mgmt_notify_inline`` is set (the ticket
		# benchmark measures them that way)
		_try(alert, emails, doctype, name, subject, body, enqueue=not frappe.flags.sla_mgmt_notify_inline)
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
		with i18n.in_system_language():
			subject, _body = describe(level, timer)
		_try(reassign, doctype, name, level["reassign_to"], subject)
	_try(add_timeline_comment, level, timer, [user for user, _email in users])


def timeline_text(level: dict, timer: dict, users: list[str]) -> str:
	"""What the ticket's timeline says about one escalation: level, timer, who was notified, reassignment."""
	what = (
		_("SLA breached ({0}): {1} target").format(level.get("level_name") or "", _(timer["metric"]))
		if timer.get("breached")
		else _("SLA warning ({0}): {1} target").format(level.get("level_name") or "", _(timer["metric"]))
	)
	parts = [
		what,
		_("due {0}").format(format_datetime(timer.get("deadline"))) if timer.get("deadline") else "",
		_("notified: {0}").format(", ".join(users)) if users else _("nobody to notify"),
	]
	if level.get("reassign_to"):
		parts.append(_("reassigned to {0}").format(level["reassign_to"]))
	return "; ".join(p for p in parts if p) + "."


def add_timeline_comment(level: dict, timer: dict, users: list[str]) -> None:
	"""An Info comment on the ticket, in the site's language (everyone reads the same timeline)."""
	doctype, name = timer["ticket_doctype"], timer["ticket"]
	if not frappe.db.exists(doctype, name):
		return
	with i18n.in_system_language():
		text = timeline_text(level, timer, users)
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Info",
			"reference_doctype": doctype,
			"reference_name": name,
			"content": frappe.utils.escape_html(text),
			"comment_email": "Administrator",
		}
	).insert(ignore_permissions=True)


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
