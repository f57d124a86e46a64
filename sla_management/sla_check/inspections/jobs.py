"""The daily inspection work (巡检, §5.3.1): create the due inspections and flag the overdue ones.

The scheduler only enqueues ``process_inspections``; it pages through plans and inspections by name and
is idempotent. Each step claims its work first: the plan row is locked and its ``next_due`` compared
(a second worker waits, then sees the moved date and skips), the inspection's ``schedule_key`` is unique
in the database, and an overdue inspection is claimed by setting ``overdue_notified_on`` on its locked
row; the notification is sent after that claim is committed, so each overdue inspection notifies once.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from sla_management.common.i18n import language, languages_of
from sla_management.common.jobs import commit_step, pages
from sla_management.common.notifications import email_and_alert
from sla_management.engine import inspections as schedule

PLAN = "SLA Inspection Plan"
INSPECTION = "SLA Inspection"
WORKER = "sla_management.sla_check.inspections.jobs.process_inspections"
JOB_ID = "sla_management:inspections_daily"


def enqueue_inspections():
	"""Scheduler (daily): queue the inspection work; a run already queued or running is not queued again."""
	frappe.enqueue(WORKER, queue="long", job_id=JOB_ID, deduplicate=True)


def process_inspections(today: str | None = None, chunk_size: int = 200) -> dict:
	"""Create the due inspections, then flag and notify the overdue ones. Returns what it did (counts)."""
	today = getdate(today or frappe.utils.nowdate())
	created = create_due_inspections(today, chunk_size)
	overdue = flag_overdue_inspections(today, chunk_size)
	return {"created": created, "overdue": overdue}


# ------------------------------------------------------------------------------------------ due inspections


def create_due_inspections(today, chunk_size: int = 200) -> list[str]:
	filters = {"enabled": 1, "next_due": ("<=", today)}
	created = []
	for chunk in pages(PLAN, filters, ["name", "next_due"], chunk_size):
		for row in chunk:
			name = _create_for_plan(row.name, getdate(row.next_due), today)
			commit_step()
			if name:
				created.append(name)
	return created


def _create_for_plan(plan_name: str, seen_next_due, today) -> str | None:
	"""Claim the plan's due period (lock, compare ``next_due``, move it on) and create its inspection."""
	locked = frappe.db.sql(
		f"SELECT enabled, next_due, start_date, frequency FROM `tab{PLAN}` WHERE name = %s FOR UPDATE",
		(plan_name,),
		as_dict=True,
	)
	if not locked or not locked[0].enabled or not locked[0].next_due:
		return None
	row = locked[0]
	if getdate(row.next_due) != seen_next_due or getdate(row.next_due) > today:
		return None  # another worker moved it on
	start = getdate(row.start_date)
	period = schedule.latest_on_or_before(start, row.frequency, today) or getdate(row.next_due)
	frappe.db.set_value(
		PLAN, plan_name, "next_due", schedule.next_after(start, row.frequency, period), update_modified=False
	)
	key = f"{plan_name}|{period.isoformat()}"
	if frappe.db.exists(INSPECTION, {"schedule_key": key}):
		return None
	plan = frappe.get_doc(PLAN, plan_name)
	doc = frappe.get_doc(
		{
			"doctype": INSPECTION,
			"plan": plan.name,
			"title": plan.plan_title,
			"project": plan.project,
			"agreement": plan.agreement,
			"service_item": plan.service_item,
			"period_start": period,
			"due_on": schedule.due_on(start, row.frequency, period),
			"assignee": plan.assignee,
			"schedule_key": key,
			"results": [
				{
					"check": check.check,
					"expected": check.expected,
					"service_item": check.service_item or plan.service_item,
					"raises": check.raises or schedule.NOTHING,
				}
				for check in plan.checks
			],
		}
	)
	doc.flags.ignore_permissions = True
	frappe.db.savepoint("sla_inspection_insert")
	try:
		doc.insert()
	except frappe.UniqueValidationError:  # the period's inspection exists (the database's unique key)
		frappe.db.rollback(save_point="sla_inspection_insert")
		return None
	if plan.assignee:
		assign(doc)
	return doc.name


def assign(doc) -> None:
	"""The assignee's work: a ToDo (Frappe's assignment); the inspection is shared with them to work on
	when their roles do not reach it."""
	if not frappe.has_permission(INSPECTION, "write", doc=doc, user=doc.assignee):
		frappe.share.add_docshare(
			INSPECTION, doc.name, doc.assignee, write=1, submit=1, flags={"ignore_share_permission": True}
		)
	from frappe.desk.form.assign_to import add

	with language(_language_of(doc.assignee)):
		description = _("Inspection {0} of {1}, due on {2}").format(
			doc.title, doc.project, frappe.format(doc.due_on, "Date")
		)
	add(
		{
			"assign_to": [doc.assignee],
			"doctype": INSPECTION,
			"name": doc.name,
			"description": description,
			"date": doc.due_on,
		},
		ignore_permissions=True,
	)


def _language_of(user: str) -> str:
	return next(iter(languages_of([user])))


# ---------------------------------------------------------------------------------------------- overdue


def flag_overdue_inspections(today, chunk_size: int = 200) -> list[str]:
	filters = {"docstatus": 0, "due_on": ("<", today), "overdue_notified_on": ("is", "not set")}
	flagged = []
	for chunk in pages(INSPECTION, filters, ["name"], chunk_size):
		for row in chunk:
			if _claim_overdue(row.name, today):
				commit_step()  # claimed: a second worker skips it; the notice is rendered with no row locked
				notify_overdue(frappe.get_doc(INSPECTION, row.name))
				flagged.append(row.name)
		commit_step()
	return flagged


def _claim_overdue(name: str, today) -> bool:
	current = frappe.db.sql(
		f"SELECT docstatus, due_on, overdue_notified_on FROM `tab{INSPECTION}` WHERE name = %s FOR UPDATE",
		(name,),
		as_dict=True,
	)
	if not current or current[0].docstatus != 0 or current[0].overdue_notified_on:
		return False
	if not schedule.is_overdue(schedule.OPEN, getdate(current[0].due_on), today):
		return False
	frappe.db.set_value(
		INSPECTION,
		name,
		{"status": schedule.OVERDUE, "overdue_notified_on": today},
		update_modified=False,
	)
	return True


def notify_overdue(doc) -> None:
	"""Tell the assignee that the inspection is overdue: an e-mail through the queue and a Notification Log
	(an Alert, which Frappe does not e-mail itself). The caller has claimed it (``overdue_notified_on``)."""
	if not doc.assignee:
		return
	with language(_language_of(doc.assignee)):
		subject = _("Inspection {0} is overdue: it was due on {1}").format(
			doc.title, frappe.format(doc.due_on, "Date")
		)
		message = _("The inspection {0} of service project {1} was due on {2} and is not completed.").format(
			frappe.bold(doc.name), frappe.utils.escape_html(doc.project), frappe.format(doc.due_on, "Date")
		)
	email = frappe.db.get_value("User", doc.assignee, "email") or doc.assignee
	email_and_alert(
		doc,
		subject,
		message,
		emails=[email],
		alert_emails=[email],
		not_emailed=_("Overdue inspection not e-mailed"),
	)
