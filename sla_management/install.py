"""Install, migrate and uninstall steps: roles, the custom fields the app adds to other DocTypes and the
role permissions it gives its roles there (setup/role_permissions.py).

Install and uninstall are symmetric: every custom field and Custom DocPerm created here is deleted on
uninstall.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from sla_management.engine.roles import APP_ROLES, CUSTOMER
from sla_management.setup.custom_fields import COMPANY_DOCTYPE, get_company_fields, get_custom_fields
from sla_management.setup.helpdesk import add_sla_fields_to_ticket_templates
from sla_management.setup.role_permissions import apply_role_permissions, remove_role_permissions


def after_install():
	# Frappe creates the roles named in DocType permissions while it syncs the DocTypes, with desk access:
	# on a site without ERPNext that would give portal customers the desk. Set it as the app defines it.
	create_roles(enforce_desk_access=True)
	after_migrate()


def after_migrate():
	from sla_management.sla_check.tickets.setup import ensure_default_ticket_types

	create_roles()
	make_custom_fields()
	apply_role_permissions()
	ensure_default_ticket_types()
	add_sla_fields_to_ticket_templates()
	compile_translations()


def before_uninstall():
	delete_custom_fields()
	remove_role_permissions()


def create_roles(enforce_desk_access: bool = False):
	"""Create the app's roles (and the portal role Customer where ERPNext did not); ``enforce_desk_access``:
	also correct the desk access of roles that exist already (on install, not on every migrate)."""
	roles = dict(APP_ROLES)
	roles.setdefault(CUSTOMER, False)
	for role_name, desk_access in roles.items():
		if frappe.db.exists("Role", role_name):
			if enforce_desk_access and frappe.db.get_value("Role", role_name, "desk_access") != int(
				desk_access
			):
				frappe.db.set_value("Role", role_name, "desk_access", int(desk_access))
			continue
		frappe.get_doc({"doctype": "Role", "role_name": role_name, "desk_access": int(desk_access)}).insert(
			ignore_permissions=True
		)


def make_custom_fields():
	fields = {dt: defs for dt, defs in get_custom_fields().items() if frappe.db.exists("DocType", dt)}
	if frappe.db.exists("DocType", COMPANY_DOCTYPE):  # ERPNext: a service project belongs to a company
		fields.update(get_company_fields())
	if fields:
		create_custom_fields(fields, ignore_validate=True)


def delete_custom_fields():
	"""Delete every custom field the app added: on Issue / HD Ticket and on any DocType configured as a
	ticket (those get the same ``sla_mgmt_`` fields when their SLA Ticket Type is saved), and the company
	of SLA Service Project (ERPNext sites)."""
	from sla_management.sla_check.tickets.setup import remove_ticket_fields

	remove_ticket_fields()
	for dt, defs in get_company_fields().items():
		for df in defs:
			for name in frappe.get_all(
				"Custom Field", {"dt": dt, "fieldname": df["fieldname"]}, pluck="name"
			):
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=dt)


def compile_translations():
	"""Compile locale/*.po to the bench's MO files, so translations work without a ``bench build``."""
	try:
		from frappe.gettext.translate import compile_translations as compile_po

		compile_po("sla_management", force=True)
		frappe.cache.delete_value("merged_translations")
	except Exception:
		frappe.log_error(title="sla_management: compiling translations failed")
