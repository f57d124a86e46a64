# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests leave the site as they found them (issue 11, item 13).

Frappe's test case (v15 ``FrappeTestCase``, v16 ``IntegrationTestCase``) commits before a class and rolls
back after it; what a class commits in between stays: an explicit ``frappe.db.commit`` (race tests need
committed rows for their parallel connections), and any DDL (a DocType, a custom field), which MariaDB
commits implicitly together with everything before it. ``SiteHygiene`` is the safety net for that:

- before the class: a snapshot of SLA Settings (values and escalation levels) and of the names of the rows
  of the app's record DocTypes and tickets (``TRACKED``);
- after the class: roll back, delete the tracked rows the class added (with their child rows, timers,
  comments, versions, communications and notifications), restore SLA Settings as they were, commit.

``snapshot()`` / ``check_leftovers()`` prove it: ``bench --site SITE execute
sla_management.tests.hygiene.snapshot`` before and after a run, or ``scripts/check-test-leftovers SITE``.
"""

from __future__ import annotations

import json

import frappe

SETTINGS = "SLA Settings"
# Record DocTypes the tests create, dependants first (the order they are deleted in).
TRACKED: tuple[str, ...] = (
	"SLA Timer",
	"Issue",
	"HD Ticket",
	"SLA Agreement",
	"SLA Requirement",
	"SLA Service Project",
	"SLA Service Catalog",
	"SLA Service Item",
	"SLA Service Calendar",
)
# Rows of other DocTypes that point to a deleted record: (DocType, doctype field, name field).
REFERENCES: tuple[tuple[str, str, str], ...] = (
	("Comment", "reference_doctype", "reference_name"),
	("Version", "ref_doctype", "docname"),
	("Communication", "reference_doctype", "reference_name"),
	("ToDo", "reference_type", "reference_name"),
	("Notification Log", "document_type", "document_name"),
)


def _existing() -> list[str]:
	return [dt for dt in TRACKED if frappe.db.exists("DocType", dt) and frappe.db.table_exists(dt)]


def settings_state() -> dict:
	"""SLA Settings as stored: its single values and its table rows (without row names)."""
	if not frappe.db.exists("DocType", SETTINGS):
		return {}
	values = dict(frappe.db.sql("SELECT field, value FROM `tabSingles` WHERE doctype = %s", SETTINGS))
	tables = {}
	for df in frappe.get_meta(SETTINGS).get_table_fields():
		rows = frappe.get_all(
			df.options,
			filters={"parenttype": SETTINGS, "parentfield": df.fieldname},
			fields=["*"],
			order_by="idx asc",
		)
		drop = {"name", "creation", "modified", "modified_by", "owner"}
		tables[df.fieldname] = (df.options, [{k: v for k, v in r.items() if k not in drop} for r in rows])
	return {"values": values, "tables": tables}


def restore_settings(state: dict) -> None:
	"""Write ``state`` (from settings_state) back to SLA Settings, if it differs; clears the app's caches."""
	if not state or settings_state() == state:
		return
	frappe.db.delete("Singles", {"doctype": SETTINGS})
	for field, value in state["values"].items():
		frappe.db.sql(
			"INSERT INTO `tabSingles` (doctype, field, value) VALUES (%s, %s, %s)", (SETTINGS, field, value)
		)
	for fieldname, (child, rows) in state["tables"].items():
		frappe.db.delete(child, {"parenttype": SETTINGS, "parentfield": fieldname})
		for row in rows:
			doc = frappe.new_doc(child)
			doc.update(row)
			doc.db_insert()
	frappe.clear_document_cache(SETTINGS, SETTINGS)
	try:
		from sla_management.sla_check.tickets import config

		config.clear_cache()
	except ImportError:  # pragma: no cover
		pass


def names() -> dict[str, set[str]]:
	return {dt: set(frappe.get_all(dt, pluck="name")) for dt in _existing()}


def delete_rows(doctype: str, rows: set[str]) -> None:
	"""Delete ``rows`` of ``doctype`` with their child rows and the rows that refer to them (no hooks: test
	data, possibly submitted)."""
	if not rows:
		return
	rows = sorted(rows)
	meta = frappe.get_meta(doctype)
	if doctype != "SLA Timer" and frappe.db.table_exists("SLA Timer"):
		timers = frappe.get_all(
			"SLA Timer", filters={"ticket_doctype": doctype, "ticket": ("in", rows)}, pluck="name"
		)
		delete_rows("SLA Timer", set(timers))
	for df in meta.get_table_fields():
		frappe.db.delete(df.options, {"parenttype": doctype, "parent": ("in", rows)})
	for ref_doctype, type_field, name_field in REFERENCES:
		if frappe.db.table_exists(ref_doctype):
			frappe.db.delete(ref_doctype, {type_field: doctype, name_field: ("in", rows)})
	frappe.db.delete(doctype, {"name": ("in", rows)})


class SiteHygiene:
	"""Mixin of the app's bench test case (``sla_management.tests.compat.IntegrationTestCase``): whatever a
	class committed is removed after it, and SLA Settings are restored (a class cleanup: it runs even when
	setUpClass skipped or failed, before Frappe's own rollback)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()  # commits what came before (Frappe's test case), adds its rollback cleanup
		cls.addClassCleanup(cleanup, settings_state(), names())


def cleanup(settings: dict, before: dict[str, set[str]]) -> dict[str, int]:
	"""Roll back, delete what was added since ``before``, restore ``settings``; commit. Returns the counts
	deleted per DocType."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	deleted = {}
	now = names()
	for doctype in _existing():
		added = now.get(doctype, set()) - before.get(doctype, set())
		if added:
			delete_rows(doctype, added)
			deleted[doctype] = len(added)
	restore_settings(settings)
	frappe.db.commit()  # nosemgrep: the cleanup of what the tests committed
	return deleted


def snapshot() -> dict:
	"""Counts of the tracked DocTypes, test-prefixed rows and SLA Settings, for a before/after check."""
	out = {dt: frappe.db.count(dt) for dt in _existing()}
	for dt, field in (("SLA Agreement", "agreement_title"), ("SLA Service Project", "project_name")):
		if dt in out:
			out[f"{dt} _Test"] = frappe.db.count(dt, {field: ("like", "\\_Test%")})
	if "Issue" in out:
		out["Issue 'Printer on fire'"] = frappe.db.count("Issue", {"subject": "Printer on fire"})
	state = settings_state()
	out["SLA Settings"] = json.dumps(state, sort_keys=True, default=str)
	for fieldname, (_child, rows) in state.get("tables", {}).items():
		out[f"SLA Settings {fieldname}"] = len(rows)
	print(json.dumps(out, sort_keys=True, default=str))
	return out
