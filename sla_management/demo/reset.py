"""Deleting what the demo made (``make_demo(reset=True)``), dependants first."""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.demo.check import demo_timers
from sla_management.demo.data import CALENDAR_5X8, CALENDAR_7X24, CATALOG, CUSTOMERS, SERVICE_ITEMS
from sla_management.demo.users import OPS, PM


def delete_demo() -> list[str]:
	"""Delete the demo records, dependants first; returns what had to be kept (and why)."""
	customers = [
		c for c in (frappe.db.get_value("Customer", {"customer_name": c.name}) for c in CUSTOMERS) if c
	]
	projects = [c.project for c in CUSTOMERS if frappe.db.exists("SLA Service Project", c.project)]
	issues = (
		frappe.get_all("Issue", filters={"customer": ("in", customers)}, pluck="name")
		if customers and frappe.db.exists("DocType", "Issue")
		else []
	)
	kept = []
	delete_all("SLA Timer", demo_timers(issues))
	delete_all("Issue", issues)
	for name in frappe.get_all("SLA Agreement", filters={"project": ("in", projects)}, pluck="name"):
		delete_agreement(name)
	for name in frappe.get_all("SLA Requirement", filters={"project": ("in", projects)}, pluck="name"):
		if frappe.db.get_value("SLA Requirement", name, "status") == "Confirmed":
			frappe.get_doc("SLA Requirement", name).reopen()
		frappe.delete_doc("SLA Requirement", name)
	delete_all("SLA Service Project", projects)
	kept += delete_catalog()
	for doctype, names in (
		("SLA Service Item", list(SERVICE_ITEMS)),
		("SLA Service Calendar", [CALENDAR_5X8, CALENDAR_7X24]),
		("Customer", customers),
		("User", [PM, OPS]),
	):
		kept += [f"{_(doctype)} {name}" for name in names if not try_delete(doctype, name)]
	return kept


def delete_all(doctype: str, names: list[str]):
	for name in names:
		frappe.delete_doc(doctype, name)


def delete_agreement(name: str):
	doc = frappe.get_doc("SLA Agreement", name)
	if doc.docstatus == 1:
		doc.cancel()
	frappe.delete_doc("SLA Agreement", name)


def delete_catalog() -> list[str]:
	"""Drafts and versions in review go; reviewed and published versions are kept by design."""
	kept = []
	for name, status in frappe.get_all(
		"SLA Service Catalog", filters={"catalog_name": CATALOG}, fields=["name", "status"], as_list=True
	):
		if status == "In Review":
			frappe.get_doc("SLA Service Catalog", name).return_to_draft()
			status = "Draft"
		if status == "Draft":
			frappe.delete_doc("SLA Service Catalog", name)
		else:
			kept.append(f"{_('SLA Service Catalog')} {name}")
	return kept


def try_delete(doctype: str, name: str) -> bool:
	"""Delete unless other records still link to it (then nothing of it changes); True if gone."""
	if not frappe.db.exists(doctype, name):
		return True
	savepoint = "sla_demo_delete"
	frappe.db.savepoint(savepoint)
	try:
		frappe.delete_doc(doctype, name)
	except frappe.LinkExistsError:
		frappe.db.rollback(save_point=savepoint)
		frappe.clear_messages()
		return False
	return True
