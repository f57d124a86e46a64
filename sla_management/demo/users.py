"""The demo's people: its two users (and doing a step as one of them) and the ERPNext customers."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import frappe

from sla_management.engine.roles import OPERATIONS_MANAGER, PROJECT_MANAGER

PM = "demo-pm@example.com"
OPS = "demo-ops@example.com"
ADMIN = "Administrator"


@contextmanager
def as_user(user: str):
	"""Act as ``user`` (permissions and roles apply), then return to the previous user."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


def advance(doctype: str, name: str, steps: dict[str, tuple[str, Callable]], state: Callable | None = None):
	"""Take a record through its lifecycle: while its state has a step, the step's user runs its action."""
	state = state or (lambda: frappe.db.get_value(doctype, name, "status"))
	for _step in range(len(steps)):
		step = steps.get(state())
		if not step:
			return
		user, action = step
		with as_user(user):
			action(frappe.get_doc(doctype, name))


def make_users():
	ensure_user(PM, "Project Manager", PROJECT_MANAGER)
	ensure_user(OPS, "Operations Manager", OPERATIONS_MANAGER)


def ensure_user(email: str, last_name: str, role: str):
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Demo",
				"last_name": last_name,
				"send_welcome_email": 0,
				"roles": [{"role": role}],
			}
		).insert()
	elif role not in frappe.get_roles(email):
		frappe.get_doc("User", email).add_roles(role)


def ensure_customer(customer_name: str) -> str:
	name = frappe.db.get_value("Customer", {"customer_name": customer_name})
	if name:
		return name
	doc = frappe.get_doc({"doctype": "Customer", "customer_name": customer_name, "customer_type": "Company"})
	return doc.insert().name
