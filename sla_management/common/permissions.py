"""Row-level permissions (§4): the rules of ``sla_management.engine.access``, evaluated by the functions
that hooks.py registers for every DocType there:

- ``query_conditions`` (permission_query_conditions) of every ROW_RULES and CHILD_RULES DocType: the rows
  a user may list (``frappe.get_list``, ``frappe.client.get_list`` / ``get_value``, reports);
- ``has_permission`` of every ROW_RULES and BOUND_ROWS DocType: one row; a write is judged on the row as
  stored and as changed (Frappe checks it before the document's own hooks run);
- ``check_row_change`` (doc_events validate) of the same DocTypes: the same judgement once the controller
  has run, with a clear message;
- ``get_count``: ``frappe.client.get_count`` counting only what the caller may read (Frappe v15's counts
  every row of any DocType: ``frappe.db.count`` without a permission check).

- ``ChildRow``: the base class of the app's child-table controllers; a child row read on its own
  (``frappe.client.get``, the desk's getdoc) is judged by its parent row (Frappe v15 judges it by the
  parent DocType's role permissions only).
Controller hooks can only deny what role permissions allow, so returning True never widens access.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from sla_management.engine.access import (
	BOUND_ROWS,
	CHILD_RULES,
	ROW_RULES,
	TICKET_DOCTYPES,
	TICKETS_MANAGED,
	WRITE_PTYPES,
	BindingRule,
	RowRule,
	ticket_scope,
)
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
	user = user or frappe.session.user
	if doctype in TICKET_DOCTYPES:
		return _ticket_conditions(doctype, user)
	if doctype in CHILD_RULES:
		return _child_conditions(doctype, user)
	rule = ROW_RULES.get(doctype)
	if rule is None:
		return ""
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


def _child_conditions(doctype: str, user: str) -> str:
	"""Rows of a child table whose parent row ``user`` may read (the parent's rule as a subquery)."""
	child = CHILD_RULES[doctype]
	scope = get_scope(user)
	if scope == ALL:
		return ""
	if child.managers_only:
		return "1=0"
	parent_condition = query_conditions(user, child.parent)
	if not parent_condition:
		return ""
	table, parent_table = f"`tab{doctype}`", f"`tab{child.parent}`"
	return (
		f"({table}.`parenttype` = {frappe.db.escape(child.parent)} and {table}.`parent` in "
		f"(select {parent_table}.`name` from {parent_table} where {parent_condition}))"
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	"""``has_permission``: whether ``user`` may reach the row ``doc`` (its role permissions aside).

	A write (``WRITE_PTYPES``) must also reach the row as stored, and may not change a row others bind.
	"""
	if not _is_doc(doc):
		return True
	doctype = doc.get("doctype")
	user = user or frappe.session.user
	if doctype in TICKET_DOCTYPES:
		return _ticket_permission(doc, ptype, user)
	if (rule := ROW_RULES.get(doctype)) is not None:
		scope = get_scope(user)
		if not _row_allowed(doc, rule, user, scope):
			return False
		if ptype in WRITE_PTYPES and scope in (MANAGED, CUSTOMER_ROWS):
			stored = _stored_row(doc, rule)
			if stored is not None and not _row_allowed(stored, rule, user, scope):
				return False
	if ptype in WRITE_PTYPES and (binding := BOUND_ROWS.get(doctype)) is not None:
		if message := _bound_message(doc, binding, user):
			frappe.permissions.push_perm_check_log(message)
			return False
	return True


def check_row_change(doc, method: str | None = None) -> None:
	"""``doc_events`` validate of every ROW_RULES and BOUND_ROWS DocType: the session user must reach the
	row as stored and as changed, and may not change a row others bind (unless permissions are ignored)."""
	if doc.flags.ignore_permissions:
		return
	user = frappe.session.user
	if (rule := ROW_RULES.get(doc.doctype)) is not None:
		scope = get_scope(user)
		if scope in (MANAGED, CUSTOMER_ROWS):
			before = doc.get_doc_before_save()
			if not _row_allowed(doc, rule, user, scope) or (
				before is not None and not _row_allowed(before, rule, user, scope)
			):
				message = (
					_(
						"You cannot save {0} {1}: before or after your change, it belongs to a service project "
						"you do not manage."
					)
					if scope == MANAGED
					else _(
						"You cannot save {0} {1}: before or after your change, it does not belong to your customer."
					)
				)
				frappe.throw(
					message.format(_(doc.doctype), doc.name), frappe.PermissionError, title=_("Not Permitted")
				)
	if (binding := BOUND_ROWS.get(doc.doctype)) is not None and (
		message := _bound_message(doc, binding, user)
	):
		frappe.throw(message, frappe.PermissionError, title=_("Not Permitted"))


class ChildRow(Document):
	"""Base of every CHILD_RULES controller: a row loaded on its own is readable only with its parent row.

	Frappe's ``has_child_permission`` passes the row's ``parent_doc`` to the parent's check, which is None
	for a row loaded by name, so only the parent DocType's role permissions would be checked.
	"""

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if not super().has_permission(permtype, debug=debug, user=user):
			return False
		if self.flags.ignore_permissions or self.parent_doc is not None:
			return True  # inside its loaded parent: the parent's own check decides
		return child_row_permission(self.doctype, self.parenttype, self.parent, permtype, user)


def child_row_permission(doctype: str, parenttype: str | None, parent: str | None, ptype, user=None) -> bool:
	"""Whether ``user`` may reach a row of the child table ``doctype`` whose parent is (parenttype, parent)."""
	rule = CHILD_RULES.get(doctype)
	if rule is None:
		return True
	if parenttype != rule.parent or not parent:
		return False
	user = user or frappe.session.user
	if rule.managers_only:
		return get_scope(user) == ALL
	return frappe.has_permission(parenttype, ptype or "read", doc=parent, user=user)


def _row_allowed(row, rule: RowRule, user: str, scope: str) -> bool:
	if scope == MANAGED:
		return _is_managed_row(row, rule, user)
	if scope == CUSTOMER_ROWS:
		if not rule.customers or (rule.submitted_only and row.get("docstatus") != 1):
			return False
		return (row.get("customer_type"), row.get("customer")) in set(get_customers_of_user(user))
	return True


def _stored_row(doc, rule: RowRule):
	"""The rule's fields of ``doc`` as stored, or None for a row not in the database yet."""
	is_new = getattr(doc, "is_new", None)
	if not doc.get("name") or (callable(is_new) and is_new()):
		return None
	return frappe.db.get_value(doc.get("doctype"), doc.get("name"), list(rule.fields), as_dict=True)


def _bound_message(doc, binding: BindingRule, user: str) -> str | None:
	"""Why ``user`` may not change ``doc``: the submitted row that binds it, or None when they may."""
	is_new = getattr(doc, "is_new", None)
	if not doc.get("name") or (callable(is_new) and is_new()) or has_any_role(binding.editors, user):
		return None
	by = frappe.db.get_value(
		binding.by_doctype,
		{binding.by_field: doc.get("name"), "docstatus": 1, "status": ("in", binding.statuses)},
		"name",
	)
	if not by:
		return None
	return _(
		"{0} {1} is used by the signed {2} {3}: only an SLA Operations Manager may change it. "
		"Create a new calendar (a copy with your changes) and use it in the agreement's next version."
	).format(_(doc.get("doctype")), doc.get("name"), _(binding.by_doctype), by)


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


# ---------------------------------------------------------------------------------------------- tickets


def _ticket_restricted(doctype: str, user: str) -> bool:
	"""Whether ``user`` reads ``doctype``'s tickets only through the project manager role."""
	if user == "Administrator":
		return False
	read_roles = {p.role for p in frappe.get_meta(doctype).permissions if not p.permlevel and p.read}
	return ticket_scope(frappe.get_roles(user), read_roles) == TICKETS_MANAGED


def ticket_project_field(doctype: str) -> str | None:
	"""The project field of an enabled SLA Ticket Type for ``doctype`` (None: not a configured ticket).

	Read each time (one primary-key read): a cached copy could outlive a rolled-back change.
	"""
	try:
		field = frappe.db.get_value(
			"SLA Ticket Type", {"ticket_doctype": doctype, "enabled": 1}, "project_field"
		)
	except Exception as exc:
		if frappe.db.is_table_missing(exc):  # install, uninstall
			return None
		raise
	return field if field and frappe.get_meta(doctype).has_field(field) else None


def _ticket_conditions(doctype: str, user: str) -> str:
	"""A project manager's tickets: those whose project (the ticket type's project field) they manage."""
	if not _ticket_restricted(doctype, user):
		return ""
	field = ticket_project_field(doctype)
	projects = get_managed_projects(user) if field else []
	if not projects:
		return "1=0"
	return f"`tab{doctype}`.`{field}` in ({_in_list(projects)})"


# A has_permission hook's "no objection": Frappe v15 asks the hooks from the last one and stops at the first
# True or False (None: ask the next), v16 asks them all and stops at the first falsy answer (None denies).
NO_OBJECTION = True if int(frappe.__version__.split(".")[0]) >= 16 else None


def _ticket_permission(doc, ptype: str | None, user: str) -> bool | None:
	"""False when a project manager may not reach the ticket (a write: as stored and as changed), else "no
	objection" (``NO_OBJECTION``): other apps' checks of the same DocType (Helpdesk's) still decide."""
	doctype = doc.get("doctype")
	if not _ticket_restricted(doctype, user):
		return NO_OBJECTION
	field = ticket_project_field(doctype)
	if not field:
		return False
	projects = set(get_managed_projects(user))
	if doc.get(field) not in projects:
		return False
	is_new = getattr(doc, "is_new", None)
	if ptype in WRITE_PTYPES and doc.get("name") and not (callable(is_new) and is_new()):
		stored = frappe.db.get_value(doctype, doc.get("name"), field)
		if stored is not None and stored not in projects:
			return False
	return NO_OBJECTION


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False, parent: str | None = None) -> int:
	"""``frappe.client.get_count`` (hooks.py overrides it) counting the rows the caller may read: role
	permissions, user permissions and every DocType's permission_query_conditions apply, as in get_list.

	``cache`` is ignored (a count depends on the user); ``parent``: a child table's parent DocType. Frappe
	v16's own get_count is permission-aware already; the override gives v15 the same behaviour.
	"""
	from frappe.client import get_safe_filters

	if int(frappe.__version__.split(".")[0]) >= 16:
		return frappe.client.get_count(doctype, filters=filters, debug=debug, cache=cache)  # permission-aware
	# a child table is counted through its parent (get_list checks the parent DocType's permission)
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(distinct `tab{doctype}`.`name`) as total_count"],
		parent_doctype=parent,
		limit_page_length=0,
		debug=debug,
	)
	return rows[0].get("total_count") if rows else 0


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
