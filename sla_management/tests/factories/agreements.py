# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Test data for the agreement, calendar and traceability bench tests (not used by the product)."""

from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch
from zoneinfo import ZoneInfo

import frappe

from sla_management.engine.roles import CUSTOMER, OPERATIONS_MANAGER, PROJECT_MANAGER
from sla_management.tests.factories import plan as plan_factory
from sla_management.tests.factories.plan import make_user

PREFIX = "_Test Implement"
PM = "implement.pm@example.com"
OTHER_PM = "implement.pm2@example.com"
OPS = "implement.ops@example.com"
CUSTOMER_A_USER = "implement.customer.a@example.com"
CUSTOMER_B_USER = "implement.customer.b@example.com"
ITEMS = (f"{PREFIX} Email", f"{PREFIX} VPN", f"{PREFIX} Printer")
UNPUBLISHED_ITEM = f"{PREFIX} Unpublished"
CALENDAR = f"{PREFIX} 5x8"
CATALOG = f"{PREFIX} Catalog"
HOUR = 3600


@contextmanager
def frozen(day: str, time: str = "10:00:00"):
	"""Freeze Frappe's notion of today/now (the controllers read them through frappe.utils)."""
	now = datetime.fromisoformat(f"{day} {time}")
	with (
		patch("frappe.utils.nowdate", return_value=day),
		patch("frappe.utils.now_datetime", return_value=now),
	):
		yield


def stored(local: str) -> datetime:
	"""A Shanghai wall time (the test calendar's zone) as Frappe stores it: naive, in the system zone."""
	from sla_management.sla_check.tickets.sync import system_tz

	aware = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
	return aware.astimezone(system_tz()).replace(tzinfo=None)


def make_customer(name: str, portal_user: str) -> str:
	"""A customer (ERPNext Customer or Helpdesk HD Customer) with a Contact whose portal user is ``portal_user``."""
	name = plan_factory.make_customer(name)
	ctype = plan_factory.customer_doctype()
	make_user(portal_user, CUSTOMER)  # only the portal role: a Website User
	# Frappe may already have made a Contact for the new user: link that one to the customer
	contact_name = frappe.db.get_value("Contact", {"user": portal_user})
	contact = (
		frappe.get_doc("Contact", contact_name)
		if contact_name
		else frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": name,
				"email_ids": [{"email_id": portal_user, "is_primary": 1}],
				"user": portal_user,
			}
		)
	)
	if not any(link.link_doctype == ctype and link.link_name == name for link in contact.links):
		contact.append("links", {"link_doctype": ctype, "link_name": name})
		contact.save(ignore_permissions=True)
	return name


def make_project(name: str, customer: str, project_manager: str = PM) -> str:
	if not frappe.db.exists("SLA Service Project", name):
		frappe.get_doc(
			{
				"doctype": "SLA Service Project",
				"project_name": name,
				"customer_type": plan_factory.customer_doctype(),
				"customer": customer,
				"project_manager": project_manager,
				"status": "Active",
			}
		).insert(ignore_permissions=True)
	return name


def make_calendar(name: str = CALENDAR, **values) -> str:
	if frappe.db.exists("SLA Service Calendar", name):
		return name
	doc = frappe.get_doc(
		{
			"doctype": "SLA Service Calendar",
			"calendar_name": name,
			"timezone": "Asia/Shanghai",
			"country": "CN",
			"windows": [
				{"weekday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			],
			**values,
		}
	)
	doc.insert()
	return doc.name


def make_published_catalog() -> str:
	"""Service items and a published catalog holding ITEMS (not UNPUBLISHED_ITEM)."""
	for item in (*ITEMS, UNPUBLISHED_ITEM):
		if not frappe.db.exists("SLA Service Item", item):
			frappe.get_doc({"doctype": "SLA Service Item", "item_name": item}).insert(ignore_permissions=True)
	existing = frappe.db.get_value("SLA Service Catalog", {"catalog_name": CATALOG, "status": "Published"})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "SLA Service Catalog",
			"catalog_name": CATALOG,
			"items": [{"service_item": item} for item in ITEMS],
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("SLA Service Catalog", doc.name, "status", "Published")
	return doc.name


def make_outgoing_email_account() -> str:
	"""A default outgoing account, so that frappe.sendmail can queue mail on a fresh test site."""
	name = f"{PREFIX} Outgoing"
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": "implement.outgoing@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "smtp.example.com",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	return name


def setup_world() -> frappe._dict:
	"""Users, two customers with portal users, their projects, a calendar and a published catalog."""
	plan_factory.make_ticket_priorities()
	make_user(PM, PROJECT_MANAGER)
	make_user(OTHER_PM, PROJECT_MANAGER)
	make_user(OPS, OPERATIONS_MANAGER)
	customer_a = make_customer(f"{PREFIX} Customer A", CUSTOMER_A_USER)
	customer_b = make_customer(f"{PREFIX} Customer B", CUSTOMER_B_USER)
	return frappe._dict(
		customer_a=customer_a,
		customer_b=customer_b,
		project_a=make_project(f"{PREFIX} Project A", customer_a),
		project_b=make_project(f"{PREFIX} Project B", customer_b, OTHER_PM),
		calendar=make_calendar(),
		catalog=make_published_catalog(),
	)


def agreement_doc(world, project: str | None = None, **values):
	"""An unsaved agreement for project A over 2026, with a target per priority for the Email item."""
	doc = {
		"doctype": "SLA Agreement",
		"agreement_title": f"{PREFIX} Agreement",
		"project": project or world.project_a,
		"calendar": world.calendar,
		"catalog": world.catalog,
		"valid_from": "2026-01-01",
		"valid_to": "2026-12-31",
		"items": [{"service_item": ITEMS[0]}],
		"targets": [
			{"service_item": ITEMS[0], "priority": "P1", "response_time": HOUR, "resolution_time": 4 * HOUR},
			{
				"service_item": ITEMS[0],
				"priority": "P2",
				"response_time": 2 * HOUR,
				"resolution_time": 8 * HOUR,
			},
		],
		**values,
	}
	return frappe.get_doc(doc)


def make_agreement(world, **values):
	return agreement_doc(world, **values).insert()


def approve(doc):
	"""Draft → In Review → approved by the Operations Manager (as Administrator)."""
	doc.submit_for_review()
	doc.approve_review()
	return doc


def sign(doc, today: str = "2026-01-01", signer: str = "Mr. Customer"):
	"""Review, approve and submit (paper signature) on ``today``."""
	with frozen(today):
		approve(doc)
		doc.signed_by_customer = signer
		doc.submit()
	doc.reload()
	return doc
