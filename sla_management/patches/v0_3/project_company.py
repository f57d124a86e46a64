"""SLA Service Project gains a company (ERPNext sites): existing projects without one get the site's
default company (or its only company). Sites without the DocType Company are left alone."""

import frappe

from sla_management.install import make_custom_fields
from sla_management.setup.custom_fields import COMPANY_DOCTYPE, COMPANY_FIELD, PROJECT_DOCTYPE


def default_company() -> str | None:
	company = frappe.defaults.get_global_default(COMPANY_FIELD) or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)
	if company and frappe.db.exists(COMPANY_DOCTYPE, company):
		return company
	companies = frappe.get_all(COMPANY_DOCTYPE, pluck="name", limit=2)
	return companies[0] if len(companies) == 1 else None


def execute():
	if not frappe.db.exists("DocType", COMPANY_DOCTYPE):
		return
	make_custom_fields()  # after_migrate runs after the patches: the field must exist now
	company = default_company()
	if not company:
		return
	frappe.db.set_value(
		PROJECT_DOCTYPE,
		{COMPANY_FIELD: ("is", "not set")},
		COMPANY_FIELD,
		company,
		update_modified=False,
	)
