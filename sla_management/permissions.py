"""Row-level permissions (§4), wired in hooks.py.

- System Manager and SLA Operations Manager: every row.
- SLA Project Manager: the service projects they manage, and the requirements and agreements of those projects.
- Customer (portal user): the service projects and signed (submitted) agreements of the customers their
  Contact is linked to; never requirements.
- Anyone else: no row restriction here (their role permissions decide).

Controller hooks can only deny what role permissions allow, so returning True never widens access.
"""

from __future__ import annotations

import frappe

from sla_management.engine.roles import (
	CUSTOMER,
	MANAGER_ROLES as MANAGER_ROLES,
	PLANNER_ROLES as PLANNER_ROLES,
	PROJECT_MANAGER,
)

SYSTEM_MANAGER = "System Manager"

# How a user's rows are restricted
ALL, MANAGED, CUSTOMER_ROWS, UNRESTRICTED = "all", "managed", "customer", "unrestricted"


def has_any_role(roles, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool(set(roles) & set(frappe.get_roles(user)))


def get_scope(user: str | None = None) -> str:
	user = user or frappe.session.user
	if has_any_role(MANAGER_ROLES, user):
		return ALL
	roles = set(frappe.get_roles(user))
	if PROJECT_MANAGER in roles:
		return MANAGED
	if CUSTOMER in roles:
		return CUSTOMER_ROWS
	return UNRESTRICTED


def get_managed_projects(user: str) -> list[str]:
	"""SLA Service Projects whose project manager is ``user``."""
	return frappe.get_all("SLA Service Project", filters={"project_manager": user}, pluck="name")


def get_customers_of_user(user: str) -> list[tuple[str, str]]:
	"""(customer DocType, customer name) pairs a portal user belongs to: the links of their Contacts."""
	contact = frappe.qb.DocType("Contact")
	link = frappe.qb.DocType("Dynamic Link")
	rows = (
		frappe.qb.from_(link)
		.join(contact)
		.on(link.parent == contact.name)
		.select(link.link_doctype, link.link_name)
		.where((link.parenttype == "Contact") & (contact.user == user))
		.distinct()
		.run()
	)
	return [(doctype, name) for doctype, name in rows if doctype and name]


def _in_list(values) -> str:
	return ", ".join(frappe.db.escape(v) for v in values)


def _customer_condition(table: str, user: str) -> str:
	by_doctype: dict[str, list[str]] = {}
	for doctype, name in get_customers_of_user(user):
		by_doctype.setdefault(doctype, []).append(name)
	if not by_doctype:
		return "1=0"
	parts = [
		f"(`tab{table}`.`customer_type` = {frappe.db.escape(doctype)} "
		f"and `tab{table}`.`customer` in ({_in_list(names)}))"
		for doctype, names in sorted(by_doctype.items())
	]
	return "(" + " or ".join(parts) + ")"


def _project_condition(table: str, user: str) -> str:
	projects = get_managed_projects(user)
	if not projects:
		return "1=0"
	return f"`tab{table}`.`project` in ({_in_list(projects)})"


def _is_customer_row(doc, user: str) -> bool:
	return (doc.get("customer_type"), doc.get("customer")) in set(get_customers_of_user(user))


def _is_doc(doc) -> bool:
	return doc is not None and not isinstance(doc, str | int) and hasattr(doc, "get")


# --- SLA Service Project -------------------------------------------------------------------------


def project_query(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	scope = get_scope(user)
	if scope == MANAGED:
		return f"`tabSLA Service Project`.`project_manager` = {frappe.db.escape(user)}"
	if scope == CUSTOMER_ROWS:
		return _customer_condition("SLA Service Project", user)
	return ""


def project_has_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	user = user or frappe.session.user
	if not _is_doc(doc):
		return True
	scope = get_scope(user)
	if scope == MANAGED:
		return doc.get("project_manager") == user
	if scope == CUSTOMER_ROWS:
		return _is_customer_row(doc, user)
	return True


# --- SLA Requirement -----------------------------------------------------------------------------


def requirement_query(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	scope = get_scope(user)
	if scope == MANAGED:
		return _project_condition("SLA Requirement", user)
	if scope == CUSTOMER_ROWS:
		return "1=0"
	return ""


def requirement_has_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	user = user or frappe.session.user
	if not _is_doc(doc):
		return True
	scope = get_scope(user)
	if scope == MANAGED:
		return _manages_project(doc, user)
	if scope == CUSTOMER_ROWS:
		return False
	return True


def _manages_project(doc, user: str) -> bool:
	"""A new document without a project yet is allowed: the mandatory project is checked on save."""
	if not doc.get("project"):
		is_new = getattr(doc, "is_new", None)
		return bool(is_new()) if callable(is_new) else False
	return frappe.db.get_value("SLA Service Project", doc.get("project"), "project_manager") == user


# --- SLA Agreement -------------------------------------------------------------------------------


def agreement_query(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	scope = get_scope(user)
	if scope == MANAGED:
		return _project_condition("SLA Agreement", user)
	if scope == CUSTOMER_ROWS:
		return f"(`tabSLA Agreement`.`docstatus` = 1 and {_customer_condition('SLA Agreement', user)})"
	return ""


def agreement_has_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	user = user or frappe.session.user
	if not _is_doc(doc):
		return True
	scope = get_scope(user)
	if scope == MANAGED:
		return _manages_project(doc, user)
	if scope == CUSTOMER_ROWS:
		return doc.get("docstatus") == 1 and _is_customer_row(doc, user)
	return True
