"""Removing the demo year (``delete_demo_year``): what it made, dependants first.

The thousands of tickets go with set-based deletes (the tickets, their replies, timers, pauses, and what
Frappe recorded about them: timeline links, comments, versions, notifications, to-dos, e-mails); the
records of the process go through their controllers (agreements are cancelled first). The published
catalog, its service items and the users stay while anything else still links to them, as in
``make_demo(reset=True)``.
"""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.demo import year_data as Y
from sla_management.demo.reset import delete_agreement, delete_catalog, try_delete
from sla_management.demo.users import OPS, PM
from sla_management.demo.year_outages import SOURCE

CHUNK = 1000


def demo_customers() -> list[str]:
	return frappe.get_all(
		"Customer", filters={"customer_name": ("in", [c.name for c in Y.CUSTOMERS])}, pluck="name"
	)


def delete_demo_year(keep_shared: bool = False) -> list[str]:
	"""Delete every record the demo year made; returns what had to be kept (and is still linked).

	``keep_shared``: leave the demo's catalog, service items and users (``make_demo`` uses them too)."""
	customers = demo_customers()
	projects = [c.project for c in Y.CUSTOMERS if frappe.db.exists("SLA Service Project", c.project)]
	if customers:
		issues = frappe.get_all("Issue", filters={"customer": ("in", customers)}, pluck="name")
		for i in range(0, len(issues), CHUNK):
			delete_tickets(issues[i : i + CHUNK])
	delete_where("SLA Outage", "source = %(source)s", {"source": SOURCE})
	if projects:
		delete_checks(projects)
	for name in frappe.get_all("SLA Agreement", filters={"project": ("in", projects or [""])}, pluck="name"):
		delete_agreement(name)
	for name in frappe.get_all(
		"SLA Requirement", filters={"project": ("in", projects or [""])}, pluck="name"
	):
		if frappe.db.get_value("SLA Requirement", name, "status") == "Confirmed":
			frappe.get_doc("SLA Requirement", name).reopen()
		frappe.delete_doc("SLA Requirement", name)
	for name in projects:
		frappe.delete_doc("SLA Service Project", name)
	emails = [c.contact_email for c in Y.CUSTOMERS]
	for name in frappe.get_all("Contact", filters={"email_id": ("in", emails)}, pluck="name"):
		frappe.delete_doc("Contact", name)
	kept = []
	for name in customers:
		kept += [] if try_delete("Customer", name) else [f"{_('Customer')} {name}"]
	for name in (Y.CALENDAR_5X8, Y.CALENDAR_7X24, Y.CALENDAR_7X12):
		kept += [] if try_delete("SLA Service Calendar", name) else [f"{_('SLA Service Calendar')} {name}"]
	if not keep_shared and not frappe.db.exists("SLA Service Project", {"project_manager": PM}):
		from sla_management.demo.data import SERVICE_ITEMS

		kept += delete_catalog()
		for doctype, names in (("SLA Service Item", list(SERVICE_ITEMS)), ("User", [PM, OPS])):
			kept += [f"{_(doctype)} {name}" for name in names if not try_delete(doctype, name)]
	frappe.db.commit()
	return kept


def delete_checks(projects: list[str]) -> None:
	"""Inspections (with their plans) and frozen period results of the demo's projects: submitted records
	the demo made, removed with their child rows and what Frappe keeps about them."""
	for doctype, children in (
		("SLA Period Result", ("SLA Period Result Line",)),
		("SLA Inspection", ("SLA Inspection Result",)),
		("SLA Inspection Plan", ("SLA Inspection Plan Check",)),
	):
		if not frappe.db.exists("DocType", doctype):
			continue
		names = frappe.get_all(doctype, filters={"project": ("in", projects)}, pluck="name")
		if not names:
			continue
		values = {"names": names, "doctype": doctype}
		for child in children:
			delete_where(child, "parenttype = %(doctype)s AND parent IN %(names)s", values)
		delete_references(doctype, names)
		delete_where(doctype, "name IN %(names)s", values)


def delete_references(doctype: str, names: list[str]) -> None:
	"""What Frappe records about documents: comments, versions, to-dos, shares, notifications."""
	values = {"names": names, "doctype": doctype}
	for table, doctype_field, name_field in (
		("Comment", "reference_doctype", "reference_name"),
		("Version", "ref_doctype", "docname"),
		("ToDo", "reference_type", "reference_name"),
		("DocShare", "share_doctype", "share_name"),
		("Notification Log", "document_type", "document_name"),
		("Error Log", "reference_doctype", "reference_name"),
	):
		delete_where(table, f"`{doctype_field}` = %(doctype)s AND `{name_field}` IN %(names)s", values)


def delete_tickets(issues: list[str]) -> None:
	"""The tickets, their replies and timers, and the rows Frappe keeps about them."""
	values = {"issues": issues}
	timers = frappe.db.sql_list(
		"SELECT name FROM `tabSLA Timer` WHERE ticket_doctype = 'Issue' AND ticket IN %(issues)s", values
	)
	if timers:
		delete_where("SLA Timer Pause", "parent IN %(names)s", {"names": timers})
		delete_where("SLA Timer", "name IN %(names)s", {"names": timers})
	comms = frappe.db.sql_list(
		"SELECT name FROM `tabCommunication` WHERE reference_doctype = 'Issue' AND reference_name IN %(issues)s",
		values,
	)
	if comms:
		delete_where("Communication Link", "parent IN %(names)s", {"names": comms})
		delete_where("Communication", "name IN %(names)s", {"names": comms})
	delete_references("Issue", issues)
	queued = frappe.db.sql_list(
		"SELECT name FROM `tabEmail Queue` WHERE reference_doctype = 'Issue' AND reference_name IN %(issues)s",
		values,
	)
	if queued:
		delete_where("Email Queue Recipient", "parent IN %(names)s", {"names": queued})
		delete_where("Email Queue", "name IN %(names)s", {"names": queued})
	delete_where("Issue", "name IN %(issues)s", values)


def delete_where(doctype: str, condition: str, values: dict) -> None:
	frappe.db.sql(f"DELETE FROM `tab{doctype}` WHERE {condition}", values)
