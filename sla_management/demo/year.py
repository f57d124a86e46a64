"""A realistic demo year: three customers, their signed agreements, ~5,000 tickets, outages.

    bench --site SITE execute sla_management.demo.make_demo_year --kwargs "{'year': 2026}"
    bench --site SITE execute sla_management.demo.delete_demo_year

The catalog, service items and users are the demo's (``make_demo`` makes the same ones; each demo leaves
the other's records alone). Tickets are played event by event on the demo clock (``clock``) through the
real hooks (``year_tickets``), up to the end of the year or now, whichever is first; the sweep then
measures the timers still running at that instant. Deterministic (``seed``); a second run adds nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, datetime

import frappe
from frappe import _

from sla_management.common.compat import aggregate
from sla_management.demo import year_data as Y
from sla_management.demo.check import ensure_issue_priorities, issue_tickets_enabled
from sla_management.demo.clock import demo_clock
from sla_management.demo.implement import WEEK, WORKWEEK, ensure_calendar, fill_statutory_days, make_agreement
from sla_management.demo.plan import make_catalog, make_project, make_requirement, make_service_items
from sla_management.demo.users import ADMIN, OPS, PM, as_user, ensure_customer, make_users
from sla_management.demo.year_check import (
	INSPECTION,
	RESULT,
	freeze_results,
	inspections_available,
	make_inspections,
	period_results_available,
)
from sla_management.demo.year_outages import SOURCE, make_outages
from sla_management.demo.year_reset import delete_demo_year, demo_customers
from sla_management.demo.year_tickets import TicketPlayer, existing_keys, plan_tickets


def make_demo_year(
	year: int | None = None,
	tickets: int = Y.TICKETS,
	seed: int = Y.SEED,
	reset: bool = False,
	quiet: bool = False,
	workers: int = Y.WORKERS,
) -> dict:
	"""Create (or complete) the demo year and print what it holds; ``reset`` deletes it first."""
	if not frappe.db.exists("DocType", "Customer"):
		frappe.throw(_("The demo data needs ERPNext: its customers are ERPNext Customers."))
	if not issue_tickets_enabled():
		frappe.throw(
			_("Enable the SLA Ticket Type for Issue (ERPNext) first: the demo year is made of Issues.")
		)
	year = int(year or frappe.utils.getdate().year)
	check_year(year, reset)
	started = time.monotonic()
	figures = {}
	previous_mute = frappe.flags.mute_emails
	frappe.flags.mute_emails = True  # nothing of the demo is e-mailed
	try:
		with as_user(ADMIN):
			if reset:
				delete_demo_year()
			setup = build_setup(year)
			frappe.db.commit()
			figures["setup_seconds"] = round(time.monotonic() - started, 1)
			end = data_end(year)
			with demo_clock() as clock:
				played = play_tickets(clock, year, tickets, seed, end, workers)
				figures.update(played)
				figures["outages_added"] = make_outages(clock, year, seed, end)
				figures["inspections_added"] = make_inspections(clock, year, seed, end, setup["agreements"])
				frappe.db.commit()
				figures["swept"] = sweep(clock, end)
				frappe.db.commit()
				figures["results_added"] = freeze_results(
					clock, year, end, list(setup["agreements"].values()), [c.project for c in Y.CUSTOMERS]
				)
				frappe.db.commit()
	finally:
		frappe.flags.mute_emails = previous_mute
	figures["seconds"] = round(time.monotonic() - started, 1)
	figures.update(count_year(year))
	figures["setup"] = setup
	if not quiet:
		print_figures(year, figures)
	return figures


def check_year(year: int, reset: bool) -> None:
	"""One demo year per site, and one that has begun."""
	if datetime(year, 1, 1) > frappe.utils.now_datetime():
		frappe.throw(_("The year {0} has not begun: the demo year is made up to now.").format(year))
	other = frappe.db.get_value(
		"SLA Agreement",
		{
			"project": ("in", [c.project for c in Y.CUSTOMERS]),
			"docstatus": 1,
			"valid_from": ("!=", date(year, 1, 1)),
		},
		"valid_from",
	)
	if other and not reset:
		frappe.throw(
			_("This site holds the demo year {0}: delete it first (delete_demo_year) or pass reset.").format(
				frappe.utils.getdate(other).year
			)
		)


def data_end(year: int) -> datetime:
	"""The instant the demo year's data ends: the end of the year, or now when the year is not over."""
	return min(frappe.utils.now_datetime(), datetime(year, 12, 31, 23, 59))


# --------------------------------------------------------------------------- plan and implement


def build_setup(year: int) -> dict:
	make_users()
	calendars = make_calendars(year)
	make_service_items()
	catalog = make_catalog()
	ensure_issue_priorities()
	period = (date(year, 1, 1), date(year, 12, 31))
	customers, agreements = {}, {}
	for customer in Y.CUSTOMERS:
		customers[customer.name] = ensure_customer(customer.name)
		ensure_contact(customer, customers[customer.name])
		project = make_project(customer, start_date=period[0])
		requirement = make_requirement(project, customer)
		agreements[customer.name] = make_agreement(customer, project, requirement, catalog, period)
	return {"calendars": calendars, "catalog": catalog, "customers": customers, "agreements": agreements}


def make_calendars(year: int) -> list[str]:
	"""5x8 (Mon–Fri 09:00–12:00, 13:30–18:00) and 7x12 (08:00–20:00) in Shanghai, with China's statutory
	holidays and make-up workdays through the calendar's "Fill Statutory Days"; 7x24 around the clock."""
	office = [
		{"weekday": day, "start_time": start, "end_time": end}
		for day in WORKWEEK
		for start, end in (("09:00:00", "12:00:00"), ("13:30:00", "18:00:00"))
	]
	ensure_calendar(Y.CALENDAR_5X8, Y.TIMEZONE, office, country="CN")
	long_days = [{"weekday": day, "start_time": "08:00:00", "end_time": "20:00:00"} for day in WEEK]
	ensure_calendar(Y.CALENDAR_7X12, Y.TIMEZONE, long_days, country="CN")
	around = [{"weekday": day, "start_time": "00:00:00", "end_time": "00:00:00"} for day in WEEK]
	ensure_calendar(Y.CALENDAR_7X24, Y.TIMEZONE, around)
	for calendar in (Y.CALENDAR_5X8, Y.CALENDAR_7X12):
		fill_statutory_days(calendar, year)
	return [Y.CALENDAR_5X8, Y.CALENDAR_7X24, Y.CALENDAR_7X12]


def ensure_contact(customer, customer_name: str) -> str:
	"""The customer's service interface: a Contact with its e-mail (replies are linked to it)."""
	name = frappe.db.get_value("Contact", {"email_id": customer.contact_email})
	if name:
		return name
	first, _sep, last = customer.signed_by.partition(",")[0].partition(" ")
	return (
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": first,
				"last_name": last,
				"email_ids": [{"email_id": customer.contact_email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer_name}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


# --------------------------------------------------------------------------- check


def play_tickets(clock, year: int, count: int, seed: int, end: datetime, workers: int = 1) -> dict:
	"""Play the tickets not made yet; with ``workers`` > 1 in that many forked processes, each taking a
	contiguous block of ticket numbers (its own connection and transactions)."""
	customers = {c.name: ensure_customer(c.name) for c in Y.CUSTOMERS}
	done = existing_keys(year)
	# planned over the whole year, whatever the day: the same seed gives the same tickets, and those
	# opened after now are made by a later run
	plans = [
		p
		for p in plan_tickets(year, count, seed, customers, date(year, 1, 1), date(year, 12, 31))
		if p.key not in done and p.opened <= end
	]
	started = time.monotonic()
	if workers > 1 and len(plans) >= 50 * workers:
		counts = play_in_processes(plans, seed, end, workers)
	else:
		counts = play_part(clock, plans, seed, end)
	figures = {f"{k}_added": v for k, v in counts.items()}
	figures["ticket_seconds"] = round(time.monotonic() - started, 1)
	figures["workers"] = workers if workers > 1 and len(plans) >= 50 * workers else 1
	return figures


def play_part(clock, plans: list, seed: int, end: datetime) -> dict:
	player = TicketPlayer(clock, end, seed)
	for n, plan in enumerate(plans, 1):
		player.play(plan)
		if n % Y.COMMIT_EVERY == 0:
			frappe.db.commit()
	frappe.db.commit()
	return player.counts


def play_in_processes(plans: list, seed: int, end: datetime, workers: int) -> dict:
	import multiprocessing

	frappe.db.commit()  # the workers see the set-up
	by_index = sorted(plans, key=lambda p: p.index)
	size = -(-len(by_index) // workers)
	blocks = [
		sorted(by_index[i : i + size], key=lambda p: (p.opened, p.index))
		for i in range(0, len(by_index), size)
	]
	context = multiprocessing.get_context("fork")
	results = context.Queue()
	processes = [context.Process(target=play_worker, args=(block, seed, end, results)) for block in blocks]
	for process in processes:
		process.start()
	outcomes = [results.get() for _process in processes]
	for process in processes:
		process.join()
	errors = [detail for status, detail in outcomes if status != "ok"]
	if errors:
		frappe.throw(_("A demo worker failed:") + "\n" + "\n".join(errors))
	return dict(sum((Counter(detail) for _status, detail in outcomes), Counter()))


_parent_connection = []


def play_worker(plans: list, seed: int, end: datetime, results) -> None:
	"""In a forked process: a connection of its own (the parent's stays untouched), then play."""
	import traceback

	_parent_connection.append(frappe.local.db)  # never closed here: it is the parent's
	try:
		frappe.connect()
		# no gap locks between the workers' timer rows
		frappe.db.sql("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
		frappe.flags.mute_emails = True
		with demo_clock() as clock:
			counts = play_part(clock, plans, seed, end)
		results.put(("ok", counts))
	except Exception:
		results.put(("error", traceback.format_exc()))
	finally:
		if frappe.local.db is not _parent_connection[0]:
			frappe.db.rollback()  # after an error; a no-op after the last commit
			frappe.db.close()


def sweep(clock, end: datetime) -> dict:
	"""The scheduler's sweep at the end of the data, over the demo's due timers only."""
	from sla_management.sla_check.tickets import sweep as sla_sweep

	names = frappe.db.sql_list(
		"""SELECT t.name FROM `tabSLA Timer` t JOIN `tabIssue` i ON i.name = t.ticket
		WHERE t.ticket_doctype = 'Issue' AND i.customer IN %(customers)s AND t.next_check <= %(at)s""",
		{"customers": demo_customers() or [""], "at": end},
	)
	clock.set(end)
	return sla_sweep.process_due_timers(names, at=end)


# --------------------------------------------------------------------------- what it holds


def demo_issues() -> list[str]:
	customers = demo_customers()
	if not customers:
		return []
	return frappe.get_all("Issue", filters={"customer": ("in", customers)}, pluck="name")


def count_year(year: int | None = None) -> dict:
	"""Counts of what the demo year holds (tickets, replies, timers by status and cycle, outages)."""
	customers = demo_customers() or [""]
	values = {"customers": customers}
	one = lambda sql: frappe.db.sql(sql, values)[0][0]  # noqa: E731
	timers = frappe.db.sql(
		"""SELECT t.status, COUNT(*) FROM `tabSLA Timer` t JOIN `tabIssue` i ON i.name = t.ticket
		WHERE t.ticket_doctype = 'Issue' AND i.customer IN %(customers)s GROUP BY t.status""",
		values,
	)
	return {
		"tickets": one("SELECT COUNT(*) FROM `tabIssue` WHERE customer IN %(customers)s"),
		"communications": one(
			"""SELECT COUNT(*) FROM `tabCommunication` c JOIN `tabIssue` i ON i.name = c.reference_name
			WHERE c.reference_doctype = 'Issue' AND i.customer IN %(customers)s"""
		),
		"timers": dict(sorted(timers)),
		"reopened_tickets": one(
			"""SELECT COUNT(DISTINCT t.ticket) FROM `tabSLA Timer` t JOIN `tabIssue` i ON i.name = t.ticket
			WHERE t.ticket_doctype = 'Issue' AND i.customer IN %(customers)s AND t.cycle > 1"""
		),
		"outages": dict(
			sorted(
				frappe.db.sql(
					"SELECT kind, COUNT(*) FROM `tabSLA Outage` WHERE source = %s GROUP BY kind", SOURCE
				)
			)
		),
		"agreements": frappe.db.count(
			"SLA Agreement", {"project": ("in", [c.project for c in Y.CUSTOMERS]), "docstatus": 1}
		),
		"inspections": count_by_status(INSPECTION, inspections_available()),
		"period_results": count_by_status(RESULT, period_results_available(), field="period_type"),
	}


def count_by_status(doctype: str, available: bool, field: str = "status") -> dict:
	if not available:
		return {}
	projects = [c.project for c in Y.CUSTOMERS]
	rows = frappe.get_all(
		doctype,
		filters={"project": ("in", projects), "docstatus": ("<", 2)},
		fields=[field, aggregate("count", "*", "n")],
		group_by=field,
		as_list=True,
	)
	return dict(sorted(rows))


def print_figures(year: int, figures: dict):
	timers = Counter(figures["timers"])
	lines = [
		_("SLA Management demo year {0}").format(year),
		_("Agreements: {0}").format(", ".join(figures["setup"]["agreements"].values())),
		_("Tickets: {0} ({1} added now), replies: {2}, reopened: {3}").format(
			figures["tickets"],
			figures.get("tickets_added", 0),
			figures["communications"],
			figures["reopened_tickets"],
		),
		_("SLA Timers: {0}").format(", ".join(f"{_(k)} {v}" for k, v in sorted(timers.items())) or "-"),
		_("Outages: {0}").format(", ".join(f"{_(k)} {v}" for k, v in figures["outages"].items()) or "-"),
		_("Inspections: {0}").format(
			", ".join(f"{_(k)} {v}" for k, v in figures["inspections"].items())
			or _("none (no SLA Inspection Plan on this site)")
		),
		_("Frozen period results: {0}").format(
			", ".join(f"{_(k)} {v}" for k, v in figures["period_results"].items())
			or _("none (no SLA Period Result on this site, or no period ended yet)")
		),
		_("Time: {0} s (set-up {1} s, tickets {2} s in {3} processes)").format(
			figures["seconds"],
			figures["setup_seconds"],
			figures.get("ticket_seconds", 0),
			figures.get("workers", 1),
		),
		_("Users: {0} (project manager), {1} (operations manager)").format(PM, OPS),
	]
	print("\n".join(lines))
