"""Role permissions the app gives its roles on other apps' DocTypes (``engine.access.ROLE_GRANTS``), as
Custom DocPerm rows: created on install and migrate (idempotent), removed on uninstall.

Frappe applies a DocType's Custom DocPerm rows *instead of* its standard ones once any exist, so the first
grant copies the standard rules (as the Role Permissions Manager does); removal deletes the app's rows and,
when what is left is exactly that copy, the copy too, so the DocType's own rules apply again. Rules a site
manager changed stay as they are.
"""

from __future__ import annotations

import frappe
from frappe.permissions import rights, setup_custom_perms

from sla_management.engine.access import ROLE_GRANTS
from sla_management.engine.roles import APP_ROLES

CUSTOM_DOCPERM = "Custom DocPerm"


def granted_ptypes(grant) -> tuple[str, ...]:
	"""The grant's permission types on this Frappe. Frappe v16 checks the field permissions of a linked
	record (a customer's ``disabled``, its fetched fields) when a ticket is saved or a link searched, which
	select alone does not pass: there a select grant comes with read."""
	major = int(frappe.__version__.split(".")[0])
	if major >= 16 and "select" in grant.ptypes and "read" not in grant.ptypes:
		return (*grant.ptypes, "read")
	return grant.ptypes


def _doctypes() -> list[str]:
	return sorted({grant.doctype for grant in ROLE_GRANTS if frappe.db.exists("DocType", grant.doctype)})


def apply_role_permissions() -> None:
	"""Give the app's roles the permissions of ROLE_GRANTS on the DocTypes the site has; idempotent."""
	for doctype in _doctypes():
		setup_custom_perms(doctype)
		for grant in (g for g in ROLE_GRANTS if g.doctype == doctype):
			filters = {"parent": doctype, "role": grant.role, "permlevel": 0, "if_owner": 0}
			name = frappe.db.get_value(CUSTOM_DOCPERM, filters)
			if name is None:
				doc = frappe.new_doc(CUSTOM_DOCPERM)
				doc.update({**filters, "parenttype": "DocType", "parentfield": "permissions"})
				ptypes = granted_ptypes(grant)
				doc.update({p: int(p in ptypes) for p in rights})  # Custom DocPerm defaults read to 1
				doc.insert(ignore_permissions=True)
			else:
				missing = {
					p: 1 for p in granted_ptypes(grant) if not frappe.db.get_value(CUSTOM_DOCPERM, name, p)
				}
				if missing:
					frappe.db.set_value(CUSTOM_DOCPERM, name, missing)
		frappe.clear_cache(doctype=doctype)


def remove_role_permissions() -> None:
	"""Delete the app's Custom DocPerm rows (and the copy of the standard rules made for them)."""
	for doctype in _doctypes():
		frappe.db.delete(CUSTOM_DOCPERM, {"parent": doctype, "role": ("in", list(APP_ROLES))})
		if _rules(CUSTOM_DOCPERM, doctype) == _rules("DocPerm", doctype):
			frappe.db.delete(CUSTOM_DOCPERM, {"parent": doctype})
		frappe.clear_cache(doctype=doctype)


def _rules(table: str, doctype: str) -> list[tuple]:
	fields = ["role", "permlevel", "if_owner", *rights]
	rows = frappe.get_all(table, filters={"parent": doctype}, fields=fields)
	return sorted(tuple(int(row[f] or 0) if f != "role" else row[f] for f in fields) for row in rows)
