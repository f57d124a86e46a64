"""Inspections (巡检, §5.3.1): when a plan's inspections fall due, as plain dates (no Frappe).

A plan of frequency F starting on S has its k-th period start on ``occurrence(S, F, k)`` (k = 0, 1, ...):
S + k days / weeks, or S + k months / quarters counted from S (the 31st falls back to the month's last day
and returns to the 31st the month after, never drifting). The inspection of a period is created when the
period starts and is due on the period's last day (the day before the next period starts); open after
that day, it is overdue.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

DAILY, WEEKLY, MONTHLY, QUARTERLY = "Daily", "Weekly", "Monthly", "Quarterly"
FREQUENCIES: tuple[str, ...] = (DAILY, WEEKLY, MONTHLY, QUARTERLY)

OPEN, OVERDUE, COMPLETED, CANCELLED = "Open", "Overdue", "Completed", "Cancelled"
INSPECTION_STATUSES: tuple[str, ...] = (OPEN, OVERDUE, COMPLETED, CANCELLED)

PASS, FAIL = "Pass", "Fail"
OUTCOMES: tuple[str, ...] = (PASS, FAIL)

NOTHING, TICKET, OUTAGE, TICKET_AND_OUTAGE = "None", "Ticket", "Outage", "Ticket and Outage"
RAISES: tuple[str, ...] = (NOTHING, TICKET, OUTAGE, TICKET_AND_OUTAGE)

_MONTHS = {MONTHLY: 1, QUARTERLY: 3}
_DAYS = {DAILY: 1, WEEKLY: 7}


def _check(frequency: str) -> None:
	if frequency not in FREQUENCIES:
		raise ValueError(f"unknown inspection frequency {frequency!r}")


def _add_months(day: date, months: int) -> date:
	index = day.year * 12 + day.month - 1 + months
	year, month = divmod(index, 12)
	month += 1
	return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occurrence(start: date, frequency: str, k: int) -> date:
	"""The first day of the plan's k-th period (k = 0: ``start``)."""
	_check(frequency)
	if k < 0:
		raise ValueError("k must not be negative")
	if frequency in _DAYS:
		return start + timedelta(days=_DAYS[frequency] * k)
	return _add_months(start, _MONTHS[frequency] * k)


def _index_on_or_before(start: date, frequency: str, day: date) -> int:
	"""The largest k with occurrence(k) <= day (day >= start)."""
	if frequency in _DAYS:
		return (day - start).days // _DAYS[frequency]
	step = _MONTHS[frequency]
	k = ((day.year - start.year) * 12 + day.month - start.month) // step
	while k > 0 and occurrence(start, frequency, k) > day:
		k -= 1
	while occurrence(start, frequency, k + 1) <= day:
		k += 1
	return k


def latest_on_or_before(start: date, frequency: str, day: date) -> date | None:
	"""The start of the period ``day`` lies in; None before the plan starts."""
	_check(frequency)
	if day < start:
		return None
	return occurrence(start, frequency, _index_on_or_before(start, frequency, day))


def next_after(start: date, frequency: str, day: date) -> date:
	"""The first period start after ``day`` (``start`` itself when ``day`` is before it)."""
	_check(frequency)
	if day < start:
		return start
	return occurrence(start, frequency, _index_on_or_before(start, frequency, day) + 1)


def due_on(start: date, frequency: str, period_start: date) -> date:
	"""The due day of the period starting on ``period_start``: the day before the next period starts."""
	return next_after(start, frequency, period_start) - timedelta(days=1)


def first_due(start: date, frequency: str, today: date) -> date:
	"""A new (or rescheduled) plan's next period to create: the current period when the plan has begun
	(its inspection is due now), else the plan's start."""
	return latest_on_or_before(start, frequency, today) or start


def is_overdue(status: str, due: date, today: date) -> bool:
	return status in (OPEN, OVERDUE) and due < today


def raises_ticket(raises: str | None) -> bool:
	return raises in (TICKET, TICKET_AND_OUTAGE)


def raises_outage(raises: str | None) -> bool:
	return raises in (OUTAGE, TICKET_AND_OUTAGE)
