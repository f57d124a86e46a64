"""Row-level permissions (§4): the rules of ``sla_management.engine.access.ROW_RULES``, evaluated by one
pair of functions that hooks.py registers for every DocType in the table.

Controller hooks can only deny what role permissions allow, so returning True never widens access.
"""

from __future__ import annotations

import frappe

from sla_management.engine.access import ROW_RULES, RowRule
from sla_management.engine.roles import CUSTOMER, MANAGER_ROLES, PROJECT_MANAGER

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


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions``: the SQL condition on ``tab<doctype>`` for ``user``'s rows."""
	rule = ROW_RULES.get(doctype)
	if rule is None:
		return ""
	user = user or frappe.session.user
	scope = get_scope(user)
	table = f"`tab{doctype}`"
	if scope == MANAGED:
		if rule.manager_field:
			return f"{table}.`{rule.manager_field}` = {frappe.db.escape(user)}"
		if rule.project_field:
			projects = get_managed_projects(user)
			return f"{table}.`{rule.project_field}` in ({_in_list(projects)})" if projects else "1=0"
		return "1=0"
	if scope == CUSTOMER_ROWS:
		if not rule.customers:
			return "1=0"
		condition = _customer_condition(table, user)
		return f"({table}.`docstatus` = 1 and {condition})" if rule.submitted_only else condition
	return ""


def has_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	"""``has_permission``: whether ``user`` may reach the row ``doc`` (its role permissions aside)."""
	if not _is_doc(doc) or (rule := ROW_RULES.get(doc.get("doctype"))) is None:
		return True
	user = user or frappe.session.user
	scope = get_scope(user)
	if scope == MANAGED:
		return _is_managed_row(doc, rule, user)
	if scope == CUSTOMER_ROWS:
		if not rule.customers or (rule.submitted_only and doc.get("docstatus") != 1):
			return False
		return (doc.get("customer_type"), doc.get("customer")) in set(get_customers_of_user(user))
	return True


def _is_managed_row(doc, rule: RowRule, user: str) -> bool:
	if rule.manager_field:
		return doc.get(rule.manager_field) == user
	if not rule.project_field:
		return False
	project = doc.get(rule.project_field)
	if not project:
		is_new = getattr(doc, "is_new", None)
		return bool(is_new()) if callable(is_new) else False
	return frappe.db.get_value("SLA Service Project", project, "project_manager") == user


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
		f"({table}.`customer_type` = {frappe.db.escape(doctype)} and {table}.`customer` in ({_in_list(names)}))"
		for doctype, names in sorted(by_doctype.items())
	]
	return "(" + " or ".join(parts) + ")"


def _is_doc(doc) -> bool:
	return doc is not None and not isinstance(doc, str | int) and hasattr(doc, "get")
