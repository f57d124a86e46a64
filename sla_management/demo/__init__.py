"""An ITSS demo of the whole service level management process, built through the app's own controllers.

    bench --site SITE execute sla_management.demo.make_demo
    bench --site SITE execute sla_management.demo.make_demo --kwargs "{'reset': True}"

It creates two service calendars, four service items in a published catalog, two customers (a hospital
and a bank) with a service project each, a confirmed SLA requirement and an active, signed SLA agreement
per project, and — where ERPNext's Issue is a ticket DocType of this app — a few Issues whose SLA timers
run, pause, are met or breached. Each step is done by the role that does it in the process (§4): the
project manager drafts, the operations manager reviews and approves.

Idempotent: every record has a fixed name or is found by its unique fields, and a record left half-way
through its lifecycle is taken on from where it stopped. ``reset=True`` first deletes what the demo made,
in dependency order; published catalog versions (and what they link to) are kept, as the catalog keeps
every reviewed version by design.

A realistic year (``year``, ``year_data``): ``make_demo_year(year=2026)`` adds three more customers with
signed agreements on a 5x8, a 7x24 and a 7x12 calendar, about 5,000 Issues played event by event through
the real hooks, outages, inspections and frozen period results; ``delete_demo_year()`` removes them.

Layout: ``data`` is what the demo creates (names, service items, metrics, customers, tickets); ``users``
the demo users, acting as them and the ERPNext customers; one module per stage — ``plan`` (§5.1: service
items, catalog, projects, requirements), ``implement`` (§5.2: calendars, agreements through their
lifecycle), ``check`` (§5.3: tickets and their SLA timers); ``reset`` deletes, ``summary`` prints. This
module runs the stages in order.
"""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.demo.check import demo_timers, ensure_issue_priorities, make_tickets
from sla_management.demo.data import (
	CALENDAR_5X8,
	CALENDAR_7X24,
	CATALOG,
	CUSTOMERS,
	SERVICE_ITEMS,
	TICKETS,
)
from sla_management.demo.implement import make_agreement, make_calendar_5x8, make_calendar_7x24
from sla_management.demo.plan import make_catalog, make_project, make_requirement, make_service_items
from sla_management.demo.reset import delete_demo
from sla_management.demo.summary import print_summary
from sla_management.demo.users import ADMIN, OPS, PM, as_user, make_users

__all__ = [
	"CALENDAR_5X8",
	"CALENDAR_7X24",
	"CATALOG",
	"CUSTOMERS",
	"OPS",
	"PM",
	"SERVICE_ITEMS",
	"TICKETS",
	"build_demo",
	"delete_demo",
	"demo_timers",
	"make_demo",
]


def make_demo(reset: bool = False) -> None:
	"""Create (or complete) the demo and print what it holds; ``reset`` deletes the demo records first."""
	if not frappe.db.exists("DocType", "Customer"):
		frappe.throw(_("The demo data needs ERPNext: its customers are ERPNext Customers."))
	kept = []
	with as_user(ADMIN):
		if reset:
			kept = delete_demo()
		summary = build_demo()
	print_summary(summary, kept)


def build_demo() -> dict:
	make_users()
	calendars = {CALENDAR_5X8: make_calendar_5x8(), CALENDAR_7X24: make_calendar_7x24()}
	make_service_items()
	catalog = make_catalog()
	projects = {c.name: make_project(c) for c in CUSTOMERS}
	ensure_issue_priorities()  # requirement lines and targets name the tickets' priorities
	requirements = {c.name: make_requirement(projects[c.name], c) for c in CUSTOMERS}
	agreements = {
		c.name: make_agreement(c, projects[c.name], requirements[c.name], catalog) for c in CUSTOMERS
	}
	tickets = make_tickets(projects)
	return {
		"calendars": calendars,
		"catalog": catalog,
		"projects": projects,
		"requirements": requirements,
		"agreements": agreements,
		"tickets": tickets,
	}


def make_demo_year(*args, **kwargs) -> None:
	"""A realistic year of demo data (``demo.year``): ``make_demo_year(year=2026)``; prints what it holds
	(``demo.year.make_demo_year`` returns the figures)."""
	from sla_management.demo.year import make_demo_year as make

	make(*args, **kwargs)


def delete_demo_year(*args, **kwargs) -> list[str]:
	"""Remove what ``make_demo_year`` made (``demo.year_reset``)."""
	from sla_management.demo.year_reset import delete_demo_year as delete

	return delete(*args, **kwargs)
