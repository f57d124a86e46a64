"""A year of ERPNext Issues, each played event by event on the demo clock through the real hooks.

Every event is what a user or the mail gateway does: ``Issue.insert()``, a reply (``Communication``
insert, sent or received), a status change (``Issue.save()``). The app's ticket hooks measure the SLA
timers at the event's instant; ERPNext's own hooks run as well. The deadlines the next event is timed
against are read from the ticket's SLA fields, so "late" and "in time" follow the agreement's calendar
(holidays, make-up workdays, pauses) without the demo computing them itself.

Each ticket has its own ``random.Random`` (seed and index): the same seed gives the same year, and a run
that stopped half-way goes on with the tickets not made yet. A ticket's name is its key
("ISS-DY2026-00042"): a second run finds it, ``delete_demo_year`` removes it, and processes playing
tickets side by side never wait on the naming series' row lock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime

from sla_management.demo import year_data as Y
from sla_management.demo.data import Customer
from sla_management.demo.users import PM
from sla_management.sla_check.tickets.sync import system_tz

SHANGHAI = ZoneInfo(Y.TIMEZONE)
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class PlannedTicket:
	index: int
	key: str
	customer: Customer
	customer_name: str  # the ERPNext Customer's name
	service_item: str
	priority: str
	opened: datetime  # naive, system time zone
	subject: str


def ticket_key(year: int, index: int) -> str:
	"""The name of the demo year's ticket ``index``."""
	return f"ISS-{Y.KEY_PREFIX}{year}-{index:05d}"


def key_filter(year: int) -> str:
	"""A LIKE pattern matching the names of the demo year's tickets."""
	return f"ISS-{Y.KEY_PREFIX}{year}-%"


def to_system(wall: datetime) -> datetime:
	"""Shanghai wall clock → naive datetime in the site's time zone (how Frappe stores datetimes)."""
	return wall.replace(tzinfo=SHANGHAI).astimezone(system_tz()).replace(tzinfo=None)


def plan_tickets(
	year: int, count: int, seed: int, customers: dict[str, str], first: date, last: date
) -> list[PlannedTicket]:
	"""``count`` tickets opened between ``first`` and ``last`` (inclusive), ordered by opening time."""
	days = (last - first).days + 1
	plans = []
	for index in range(1, count + 1):
		rng = random.Random(f"{seed}:{year}:{index}:open")
		customer = rng.choices(Y.CUSTOMERS, weights=Y.CUSTOMER_WEIGHTS)[0]
		day = first + timedelta(days=rng.randrange(days))
		if day.weekday() >= 5 and rng.random() < 0.6:  # fewer tickets at weekends
			day = first + timedelta(days=rng.randrange(days))
		if rng.random() < 0.8:  # most tickets in office hours
			minutes = rng.randrange(8 * 60 + 30, 18 * 60)
		else:
			minutes = rng.randrange(0, 24 * 60)
		wall = datetime.combine(day, datetime.min.time()) + timedelta(
			minutes=minutes, seconds=rng.randrange(60)
		)
		item = rng.choice(customer.items)
		text = rng.choice(Y.SUBJECTS[item]).format(n=rng.randrange(1, 9))
		key = ticket_key(year, index)
		plans.append(
			PlannedTicket(
				index=index,
				key=key,
				customer=customer,
				customer_name=customers[customer.name],
				service_item=item,
				priority=rng.choices(list(Y.PRIORITY_WEIGHTS), weights=list(Y.PRIORITY_WEIGHTS.values()))[0],
				opened=to_system(wall),
				subject=text,
			)
		)
	plans.sort(key=lambda p: (p.opened, p.index))
	return plans


def existing_keys(year: int) -> set[str]:
	return set(frappe.db.sql_list("SELECT name FROM `tabIssue` WHERE name LIKE %s", key_filter(year)))


class TicketPlayer:
	"""Plays tickets on ``clock`` up to ``end`` (naive, system time zone); counts what it did."""

	def __init__(self, clock, end: datetime, seed: int):
		self.clock = clock
		self.end = end
		self.seed = seed
		self.counts = {"tickets": 0, "replies": 0, "pauses": 0, "reopened": 0, "closed": 0}

	# one ticket --------------------------------------------------------------------------------------
	def play(self, plan: PlannedTicket) -> str:
		rng = random.Random(f"{self.seed}:{plan.key}:life")
		self.clock.set(plan.opened)
		doc = self.open(plan)
		name = doc.name
		self.counts["tickets"] += 1
		t0 = plan.opened
		respond_by = self.deadline(doc.get("sla_mgmt_response_by"), t0, hours=4)
		resolve_by = self.deadline(doc.get("sla_mgmt_resolution_by"), t0, hours=24)

		# first response: a reply to the customer
		if rng.random() < Y.LATE_RESPONSE:
			at = respond_by + (respond_by - t0) * rng.uniform(0.05, 1.0) + 5 * MINUTE
		else:
			at = t0 + (respond_by - t0) * rng.uniform(0.05, 0.9)
		if not self.reply(name, plan, at, "Sent", "We have received your request and are on it."):
			return name
		last = at
		if rng.random() < Y.CUSTOMER_REPLY:
			last = last + (resolve_by - last) * rng.uniform(0.02, 0.2) + MINUTE
			if not self.reply(name, plan, last, "Received", "Thank you. It still happens now and then."):
				return name

		# waiting for the customer: On Hold, resumed by the customer's answer
		if rng.random() < Y.PAUSE and last < resolve_by:
			at = last + (resolve_by - last) * rng.uniform(0.1, 0.5) + MINUTE
			if not self.set_status(name, at, "On Hold"):
				return name
			self.counts["pauses"] += 1
			last = at + timedelta(hours=rng.uniform(0.5, 48))
			if not self.reply(name, plan, last, "Received", "Here is the information you asked for."):
				return name
			resolve_by = self.current_deadline(name, resolve_by)

		last = self.resolve(name, plan, rng, last, resolve_by, t0)
		if last is None:
			return name

		if rng.random() < Y.REOPEN:
			at = last + timedelta(hours=rng.uniform(2, 96))
			if not self.reply(name, plan, at, "Received", "The problem is back since this morning."):
				return name
			self.counts["reopened"] += 1
			resolve_by = self.current_deadline(name, at + timedelta(hours=8))
			last = self.resolve(name, plan, rng, at, resolve_by, at)
			if last is None:
				return name

		if rng.random() < Y.CLOSE:
			at = last + timedelta(days=rng.uniform(2, 7))
			if self.set_status(name, at, "Closed"):
				self.counts["closed"] += 1
		return name

	def resolve(self, name, plan, rng, last, resolve_by, start) -> datetime | None:
		"""The fix: in time, or (sometimes) after the resolution deadline; returns its instant."""
		if rng.random() < Y.LATE_RESOLUTION:
			at = max(resolve_by, last) + (resolve_by - start) * rng.uniform(0.05, 0.8) + 5 * MINUTE
		else:
			at = last + max(resolve_by - last, 2 * MINUTE) * rng.uniform(0.1, 0.95)
		at = max(at, last + MINUTE)
		resolution = f"Fixed by the {plan.service_item} team."
		return at if self.set_status(name, at, "Resolved", resolution_details=resolution) else None

	# the events --------------------------------------------------------------------------------------
	def open(self, plan: PlannedTicket):
		doc = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": plan.subject,
				"customer": plan.customer_name,
				"priority": plan.priority,
				"raised_by": plan.customer.contact_email,
				"opening_date": plan.opened.date(),
				"opening_time": plan.opened.time(),
				"description": f"<p>{plan.subject}</p>",
				"sla_mgmt_project": plan.customer.project,
				"sla_mgmt_service_item": plan.service_item,
			}
		)
		fast(doc)
		return doc.insert(ignore_permissions=True, set_name=plan.key)

	def reply(self, name: str, plan: PlannedTicket, at: datetime, sent_or_received: str, text: str) -> bool:
		"""A reply at ``at`` (False, and nothing done, when that is after the end of the data)."""
		if at > self.end:
			return False
		self.clock.set(at)
		sent = sent_or_received == "Sent"
		doc = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": sent_or_received,
				"reference_doctype": "Issue",
				"reference_name": name,
				"subject": f"Re: {plan.subject}",
				"content": f"<p>{text}</p>",
				"communication_date": at,
				"sender": PM if sent else plan.customer.contact_email,
				"sender_full_name": "Demo Project Manager" if sent else plan.customer.signed_by,
				"recipients": plan.customer.contact_email if sent else PM,
			}
		)
		fast(doc)
		doc.insert(ignore_permissions=True)
		self.counts["replies"] += 1
		return True

	def set_status(self, name: str, at: datetime, status: str, **values) -> bool:
		if at > self.end:
			return False
		self.clock.set(at)
		doc = frappe.get_doc("Issue", name)
		doc.status = status
		doc.update(values)
		fast(doc)
		doc.save(ignore_permissions=True)
		return True

	def current_deadline(self, name: str, fallback: datetime) -> datetime:
		value = frappe.db.get_value("Issue", name, "sla_mgmt_resolution_by")
		return get_datetime(value) if value else fallback

	@staticmethod
	def deadline(value, start: datetime, hours: float) -> datetime:
		return get_datetime(value) if value else start + timedelta(hours=hours)


def fast(doc) -> None:
	"""The demo writes thousands of records: no Version rows and no link checks (the links are its own)."""
	doc.flags.ignore_version = True
	doc.flags.ignore_links = True
