"""Test data for the Plan DocTypes (service items, catalogs, projects, customers and their users).

Used by bench tests only; every helper inserts with ignore_permissions and returns names.
"""

import frappe
from frappe.utils import random_string

from sla_management.engine.roles import CUSTOMER


def unique(prefix: str) -> str:
	return f"{prefix} {random_string(6)}"


def make_user(email: str, *roles: str) -> str:
	"""A user with ``roles`` (a user with only the Customer role becomes a portal/website user)."""
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	missing = [role for role in roles if role not in {r.role for r in user.roles}]
	if missing:
		user.flags.ignore_permissions = True
		user.add_roles(*missing)
	return email


def customer_doctype() -> str:
	"""The site's customer DocType: ERPNext's Customer, else Helpdesk's HD Customer, else a core stand-in."""
	for doctype in ("Customer", "HD Customer"):
		if frappe.db.exists("DocType", doctype):
			return doctype
	return "User Group"


def make_customer(customer_name: str) -> str:
	"""A customer of the site's customer DocType (see customer_doctype); returns its name."""
	doctype = customer_doctype()
	if frappe.db.exists(doctype, customer_name):
		return customer_name
	if doctype == "Customer":
		doc = frappe.get_doc({"doctype": doctype, "customer_name": customer_name, "customer_type": "Company"})
	elif doctype == "HD Customer":
		doc = frappe.get_doc({"doctype": doctype, "customer_name": customer_name})
	else:
		doc = frappe.get_doc({"doctype": doctype, "user_group_members": [{"user": "Administrator"}]})
	doc.insert(ignore_permissions=True, set_name=customer_name)
	return doc.name


def make_portal_user(email: str, customer: str) -> str:
	"""A portal user with the Customer role whose Contact links to ``customer``."""
	make_user(email, CUSTOMER)
	frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": email.split("@")[0],
			"user": email,
			"email_ids": [{"email_id": email, "is_primary": 1}],
			"links": [{"link_doctype": customer_doctype(), "link_name": customer}],
		}
	).insert(ignore_permissions=True)
	return email


def make_project(customer: str, project_manager: str | None = None, **values) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "SLA Service Project",
			"project_name": unique("Project"),
			"customer_type": customer_doctype(),
			"customer": customer,
			"project_manager": project_manager,
			**values,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def make_service_item(**values) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "SLA Service Item",
			"item_name": unique("Service"),
			"category": "Incident Handling",
			"service_object": "All office users",
			"content": "<p>Answer and fix desktop incidents</p>",
			"delivery_hours": "5x8",
			"typical_response_time": 1800,
			"typical_resolution_time": 4 * 3600,
			"typical_availability": 99.5,
			**values,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


# Priorities the test data names: agreement targets and requirement lines must use the tickets' priorities.
TEST_PRIORITIES = ("P1", "P2", "P3", "P4")


def make_ticket_priorities(*names: str) -> None:
	"""Ticket priorities (ERPNext's Issue Priority, Helpdesk's HD Ticket Priority) named ``names``."""
	for doctype in ("Issue Priority", "HD Ticket Priority"):
		if not frappe.db.exists("DocType", doctype):
			continue
		for name in names or TEST_PRIORITIES:
			if not frappe.db.exists(doctype, name):
				doc = frappe.new_doc(doctype)
				if doctype == "HD Ticket Priority":
					doc.integer_value = int(name[1:]) if name[1:].isdigit() else 0
				doc.insert(ignore_permissions=True, set_name=name)


def make_requirement(project: str, metrics: list[dict] | None = None, **values):
	make_ticket_priorities()
	doc = frappe.get_doc(
		{
			"doctype": "SLA Requirement",
			"project": project,
			"service_days_hours": "5x8",
			"metrics": metrics
			if metrics is not None
			else [{"metric": "Response Time", "priority": "P1", "target_value": 30, "unit": "Minutes"}],
			**values,
		}
	)
	doc.insert()
	return doc
