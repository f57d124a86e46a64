# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The daily lifecycle of signed agreements (§5.4.1): activation, expiry, supersession by a newer version,
and renewal reminders. The scheduler only enqueues; the worker pages through agreements and is idempotent.

Every step claims its work before doing it: a compare-and-set UPDATE of the agreement's row (``claim``).
Two workers running at once (a job enqueued twice, a manual run beside the scheduled one) therefore record
each status step once and send each renewal reminder once: the second worker's UPDATE waits for the
first's commit and then changes nothing.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import getdate

from sla_management.common.i18n import in_system_language
from sla_management.common.jobs import commit_step, pages
from sla_management.common.notifications import email_and_alert
from sla_management.engine import agreement_rules as rules

DOCTYPE = "SLA Agreement"
WORKER = "sla_management.sla_implement.doctype.sla_agreement.validity.process_daily_lifecycle"
LIFECYCLE_JOB_ID = "sla_management:agreement_daily_lifecycle"


def update_status(doc, today) -> str:
	"""Move a signed agreement to the status it has on ``today``; once Active, it supersedes older versions."""
	status = rules.status_on(doc.status, getdate(doc.valid_from), getdate(doc.valid_to), today)
	if status != doc.status:
		set_status(doc, status)
	if status == rules.ACTIVE:
		supersede_older_versions(doc.agreement_code)
	return status


def claim(name: str, field: str, expected, new) -> bool:
	"""Set ``field`` of agreement ``name`` to ``new`` if it still holds ``expected`` (None: empty); True when
	this transaction made the change. The row is locked first: a second worker waits here, then reads the
	first one's committed value (a locking read) and leaves it alone."""
	current = frappe.db.sql(
		f"SELECT `{field}` FROM `tab{DOCTYPE}` WHERE name = %s FOR UPDATE", (name,), pluck=True
	)
	if not current or (current[0] or None) != (expected or None):
		return False
	table = frappe.qb.DocType(DOCTYPE)
	frappe.qb.update(table).set(table[field], new).where(table.name == name).run()
	return True


def set_status(doc, status: str) -> bool:
	"""Record a lifecycle step of a submitted agreement (never edited otherwise), once."""
	if not claim(doc.name, "status", doc.status, status):
		return False
	doc.db_set("status", status)  # the claim's value again, through db_set: modified, on_change hooks
	with in_system_language():  # written by the scheduler for everyone: in the site's language
		doc.add_comment("Info", _("Status changed to {0}.").format(_(status)))
	return True


def supersede_older_versions(agreement_code: str):
	versions = frappe.get_all(
		DOCTYPE,
		filters={"agreement_code": agreement_code, "docstatus": 1},
		fields=["name", "version", "status"],
	)
	status_of = {v.name: v.status for v in versions}
	for old, new in rules.superseded(rules.Version(v.name, v.version, v.status) for v in versions).items():
		if not claim(old, "status", status_of[old], rules.SUPERSEDED):
			continue
		doc = frappe.get_doc(DOCTYPE, old)
		doc.db_set({"status": rules.SUPERSEDED, "superseded_by": new})
		with in_system_language():
			doc.add_comment("Info", _("Superseded by {0}.").format(new))


def _codes_with_several_live_versions() -> list[str]:
	table = frappe.qb.DocType(DOCTYPE)
	return (
		frappe.qb.from_(table)
		.select(table.agreement_code)
		.where((table.docstatus == 1) & table.status.isin(rules.LIVE_STATUSES))
		.groupby(table.agreement_code)
		.having(Count("*") > 1)
		.run(pluck=True)
	)


def run_daily_lifecycle():
	"""Scheduler (daily): queue the lifecycle work; a run already queued or running is not queued again."""
	frappe.enqueue(WORKER, queue="long", job_id=LIFECYCLE_JOB_ID, deduplicate=True)


def process_daily_lifecycle(today: str | None = None, chunk_size: int = 500):
	"""Activate and expire signed agreements, supersede older versions, send due renewal reminders.

	Idempotent. Expiry comes first: a version that ends the day before its renewal starts is Expired;
	one replaced before its end is Superseded.
	"""
	today = getdate(today or frappe.utils.nowdate())
	fields = ["name", "status", "valid_from", "valid_to"]
	for chunk in pages(DOCTYPE, {"docstatus": 1, "status": ("in", rules.LIVE_STATUSES)}, fields, chunk_size):
		for row in chunk:
			status = rules.status_on(row.status, getdate(row.valid_from), getdate(row.valid_to), today)
			if status != row.status:
				set_status(frappe.get_doc(DOCTYPE, row.name), status)
		commit_step()
	for code in _codes_with_several_live_versions():
		supersede_older_versions(code)
	commit_step()
	fields += ["renewal_reminder_days", "renewal_reminder_sent_on", "agreement_code", "version"]
	unsent = {"docstatus": 1, "status": rules.ACTIVE, "renewal_reminder_sent_on": ("is", "not set")}
	for chunk in pages(DOCTYPE, unsent, fields, chunk_size):
		for row in chunk:
			due = rules.reminder_due(
				row.status,
				getdate(row.valid_to),
				row.renewal_reminder_days,
				row.renewal_reminder_sent_on,
				today,
			)
			if (
				due
				and not _has_newer_version(row)
				and claim(row.name, "renewal_reminder_sent_on", None, today)
			):
				commit_step()  # claimed: a second worker skips it; the e-mail is rendered with no row locked
				send_renewal_reminder(frappe.get_doc(DOCTYPE, row.name), today)
		commit_step()


def _has_newer_version(doc) -> bool:
	return bool(
		frappe.db.exists(
			DOCTYPE,
			{"agreement_code": doc.agreement_code, "version": (">", doc.version), "docstatus": ("<", 2)},
		)
	)


def send_renewal_reminder(doc, today):
	"""E-mail (through the queue) and notify the project manager that the agreement is due for renewal
	(the caller has claimed it: ``renewal_reminder_sent_on`` is set)."""
	project_manager = frappe.db.get_value("SLA Service Project", doc.project, "project_manager")
	recipients = {c.email for c in doc.contacts if c.party == "Provider" and c.email}
	# Frappe's e-mail and Notification Log APIs take addresses: a user's name need not be one (Administrator)
	manager_email = project_manager and (
		frappe.db.get_value("User", project_manager, "email") or project_manager
	)
	if manager_email:
		recipients.add(manager_email)
	subject = _("Service level agreement {0} expires on {1}: prepare its renewal").format(
		doc.agreement_title, frappe.format(doc.valid_to, "Date")
	)
	message = _(
		"The service level agreement {0} ({1}) with {2} is valid until {3}. "
		"Create its new version with the button New Version, review it and have it signed before then."
	).format(
		frappe.bold(doc.name),
		frappe.utils.escape_html(doc.agreement_title),
		frappe.utils.escape_html(doc.customer_name or doc.customer or ""),
		frappe.format(doc.valid_to, "Date"),
	)
	email_and_alert(
		doc,
		subject,
		message,
		emails=sorted(recipients),
		alert_emails=[manager_email] if manager_email else [],
		not_emailed=_("Renewal reminder not e-mailed"),
	)
