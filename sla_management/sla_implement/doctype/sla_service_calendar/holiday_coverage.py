# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""When a service calendar's holidays run out (the rules: ``engine.statutory``).

- ``agreement_warning`` / ``check_agreement_calendar`` (whitelisted) / ``warn_agreement_calendar``: an
  agreement whose validity runs into years its calendar lists no holidays for gets an orange warning
  (never refused: the holidays may be added later);
- ``calendar_gaps``: the same seen from the calendar (its form shows the agreements concerned);
- ``enqueue_holiday_reminders`` (scheduler, daily) → ``send_holiday_reminders``: from December 1 on, the
  owner of a calendar that keeps holidays (a country or any holiday) but has none for next year, and the
  SLA Operations Managers, are notified once per calendar and year. The claim is a compare-and-set of the
  calendar's ``holiday_reminder_year``, so two workers never notify twice.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from sla_management.common.jobs import commit_step
from sla_management.common.notifications import alert, emails_of
from sla_management.engine import statutory as rules
from sla_management.engine.roles import OPERATIONS_MANAGER
from sla_management.engine.vocabulary import LIVE_AGREEMENT_STATUSES

CALENDAR = "SLA Service Calendar"
AGREEMENT = "SLA Agreement"
WORKER = "sla_management.sla_implement.doctype.sla_service_calendar.holiday_coverage.send_holiday_reminders"
REMINDER_JOB_ID = "sla_management:calendar_holiday_reminders"
CLAIM_FIELD = "holiday_reminder_year"


def holiday_dates(calendar: str) -> list:
	return [
		getdate(d)
		for d in frappe.get_all(
			"SLA Calendar Holiday",
			filters={"parenttype": CALENDAR, "parent": calendar},
			pluck="holiday_date",
		)
		if d
	]


def agreement_warning(calendar: str | None, valid_from, valid_to) -> str | None:
	"""The warning for an agreement valid ``valid_from``–``valid_to`` in ``calendar``, or None."""
	if not calendar or not valid_from or not valid_to:
		return None
	row = frappe.db.get_value(CALENDAR, calendar, ["name", "country"], as_dict=True)
	if row is None:
		return None
	dates = holiday_dates(calendar)
	if not rules.expects_holidays(row.country, dates):
		return None
	missing = rules.years_without_holidays(getdate(valid_from), getdate(valid_to), dates)
	if not missing:
		return None
	last = rules.last_holiday_year(dates)
	return _(
		"The agreement is valid until {0}, but its service calendar {1} lists no holidays for {2} "
		"(its last holidays are in {3}): deadlines in those years count holidays as working days. "
		"Open the calendar and use Fill Statutory Days for each of these years."
	).format(
		frappe.format(getdate(valid_to), "Date"),
		frappe.bold(calendar),
		", ".join(str(y) for y in missing),
		last if last is not None else _("no year"),
	)


@frappe.whitelist()
def check_agreement_calendar(calendar: str | None = None, valid_from=None, valid_to=None) -> str | None:
	"""For the agreement form: the warning of ``agreement_warning`` (the caller must read the calendar)."""
	if calendar and not frappe.has_permission(CALENDAR, "read", doc=calendar):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	return agreement_warning(calendar, valid_from, valid_to)


def warn_agreement_calendar(doc) -> None:
	"""For an agreement's validate: an orange message when its calendar's holidays run out (no refusal)."""
	if message := agreement_warning(doc.get("calendar"), doc.get("valid_from"), doc.get("valid_to")):
		frappe.msgprint(message, title=_("Calendar Without Holidays"), indicator="orange")


def calendar_gaps(calendar: str, country: str | None, dates) -> list[dict]:
	"""Agreements (draft or live, not ended) using ``calendar`` whose validity has years without holidays."""
	if not rules.expects_holidays(country, dates):
		return []
	rows = frappe.get_all(
		AGREEMENT,
		filters={"calendar": calendar, "docstatus": ("<", 2), "valid_to": (">=", frappe.utils.nowdate())},
		fields=["name", "agreement_title", "status", "docstatus", "valid_from", "valid_to"],
		order_by="valid_to desc",
		limit=20,
	)
	out = []
	for row in rows:
		if row.docstatus == 1 and row.status not in LIVE_AGREEMENT_STATUSES:
			continue
		if years := rules.years_without_holidays(getdate(row.valid_from), getdate(row.valid_to), dates):
			out.append(
				{"name": row.name, "title": row.agreement_title, "valid_to": row.valid_to, "years": years}
			)
	return out


# --------------------------------------------------------------------------------------- reminders


def enqueue_holiday_reminders():
	"""Scheduler (daily): queue the reminder work; a run already queued or running is not queued again."""
	frappe.enqueue(WORKER, queue="long", job_id=REMINDER_JOB_ID, deduplicate=True)


def send_holiday_reminders(today=None) -> list[str]:
	"""Notify the owners of calendars without holidays for next year (from REMIND_FROM on), once per calendar
	and year. Returns the calendars notified (idempotent: a second run notifies none)."""
	today = getdate(today or frappe.utils.nowdate())
	if rules.reminder_year(today, []) is None:
		return []
	notified = []
	for row in frappe.get_all(CALENDAR, fields=["name", "owner", "country", CLAIM_FIELD], order_by="name"):
		dates = holiday_dates(row.name)
		year = rules.reminder_year(today, dates)
		if year is None or not rules.expects_holidays(row.country, dates):
			continue
		if (row.get(CLAIM_FIELD) or 0) >= year or not claim(row.name, row.get(CLAIM_FIELD), year):
			continue
		commit_step()  # claimed: a second worker skips it
		notify(row.name, row.owner, year, rules.last_holiday_year(dates))
		notified.append(row.name)
	commit_step()
	return notified


def claim(calendar: str, expected, year: int) -> bool:
	"""Set the calendar's ``holiday_reminder_year`` to ``year`` if it still holds ``expected``; True when this
	transaction made the change (a locking read first: a second worker waits, then sees the new value)."""
	current = frappe.db.sql(
		f"SELECT `{CLAIM_FIELD}` FROM `tab{CALENDAR}` WHERE name = %s FOR UPDATE", (calendar,), pluck=True
	)
	if not current or (current[0] or 0) != (expected or 0):
		return False
	table = frappe.qb.DocType(CALENDAR)
	frappe.qb.update(table).set(table[CLAIM_FIELD], year).where(table.name == calendar).run()
	return True


def recipients(owner: str | None) -> list[str]:
	"""The calendar's owner (an enabled desk user) and the enabled SLA Operations Managers."""
	users = set(
		frappe.get_all("Has Role", filters={"role": OPERATIONS_MANAGER, "parenttype": "User"}, pluck="parent")
	)
	if owner:
		users.add(owner)
	users.discard("Guest")
	enabled = frappe.get_all(
		"User",
		filters={"name": ("in", sorted(users)), "enabled": 1, "user_type": "System User"},
		pluck="name",
	)
	return sorted(enabled)


def notify(calendar: str, owner: str | None, year: int, last_year: int | None) -> None:
	users = recipients(owner)
	if not users:
		return
	subject = _("Service calendar {0} has no holidays for {1}").format(calendar, year)
	message = _(
		"{0} lists holidays up to {1} but none for {2}. Open it and use Fill Statutory Days for {2} "
		"(and add the make-up workdays once they are published), or deadlines in {2} count holidays as "
		"working days."
	).format(frappe.bold(calendar), last_year if last_year is not None else _("no year"), year)
	alert(emails_of(users), CALENDAR, calendar, subject, message, enqueue=True)
