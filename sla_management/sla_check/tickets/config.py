"""Which DocTypes are tickets, and how to read them: SLA Ticket Type rows, cached per site.

The ticket handler runs on every save of every DocType, so ``ticket_types()`` must be cheap: the mapping
lives in the Redis cache (and Frappe's per-request local cache) and is rebuilt only after an SLA Ticket Type
or SLA Settings change.
"""

from __future__ import annotations

import frappe
from frappe import _

from sla_management.engine.vocabulary import STATUS_EFFECTS

CACHE_KEY = "sla_management:ticket_types"
LEVELS_KEY = "sla_management:escalation_levels"
TICKET_TYPE = "SLA Ticket Type"
SETTINGS = "SLA Settings"


def ticket_types() -> dict[str, dict]:
	"""Enabled ticket DocTypes → their configuration (empty when SLA is switched off)."""
	return frappe.cache.get_value(CACHE_KEY, generator=_load) or {}


def clear_cache() -> None:
	frappe.cache.delete_value([CACHE_KEY, LEVELS_KEY])


# Problems with SLA Settings that leave SLA on (every ticket then shows the problem), as opposed to
# SLA switched off on purpose (``enabled`` 0), which leaves tickets alone.
SETTINGS_MISSING = "missing"
SETTINGS_INVALID = "invalid"


def settings_problem(values: dict[str, str | None]) -> tuple[str, str | None] | None:
	"""(problem, value) when SLA Settings' stored values cannot say whether SLA is on, else None.

	``values``: SLA Settings' rows in ``tabSingles`` (field → stored text). Rows deleted by hand or a
	restore that missed them, or a value that is not a check box's 0/1, must not switch SLA off silently.
	"""
	if "enabled" not in values:
		return (SETTINGS_MISSING, None)
	if str(values["enabled"]).strip() not in ("0", "1"):
		return (SETTINGS_INVALID, values["enabled"])
	return None


def problem_text(problem: tuple[str, str | None]) -> str:
	kind, value = problem
	if kind == SETTINGS_MISSING:
		return _("SLA Settings are missing (no saved value for Enabled): open SLA Settings and save them.")
	return _(
		"SLA Settings are invalid: Enabled holds {0!r} instead of 0 or 1; open SLA Settings and save them."
	).format(value)


class SettingsError(Exception):
	"""SLA Settings cannot be read: the ticket is marked Error and the problem logged."""


def _stored_settings() -> dict[str, str | None]:
	return dict(frappe.db.sql("SELECT field, value FROM `tabSingles` WHERE doctype = %s", SETTINGS))


def _load() -> dict[str, dict]:
	try:
		frappe.get_meta(SETTINGS)  # raises DoesNotExistError once uninstall has deleted the DocType
		stored = _stored_settings()
		problem = settings_problem(stored)
		if problem is None and str(stored["enabled"]).strip() == "0":
			return {}  # switched off on purpose
		rows = frappe.get_all(TICKET_TYPE, filters={"enabled": 1}, fields=["*"])
		rules = frappe.get_all(
			"SLA Ticket Status Rule",
			filters={"parenttype": TICKET_TYPE},
			fields=["parent", "status", "effect"],
			order_by="idx asc",
		)
	except frappe.DoesNotExistError:
		# Uninstall drops the app's DocTypes while its hooks still run: no ticket DocTypes then.
		return {}
	except Exception as exc:
		# During install/migrate the tables may not exist yet: no ticket DocTypes then.
		if frappe.db.is_table_missing(exc) or frappe.db.is_missing_column(exc):
			return {}
		raise
	by_parent: dict[str, list] = {}
	for rule in rules:
		by_parent.setdefault(rule.parent, []).append(rule)
	out = {}
	for row in rows:
		cfg = {
			"doctype": row.ticket_doctype,
			"customer_doctype": row.customer_doctype or "Customer",
			"customer_field": row.customer_field or None,
			"project_field": row.project_field or None,
			"service_item_field": row.service_item_field or None,
			"priority_field": row.priority_field or None,
			"status_field": row.status_field or "status",
			"opening_field": row.opening_field or "creation",
			"opening_time_field": row.opening_time_field or None,
			"since": row.creation,
			"settings_problem": problem,
		}
		for effect in STATUS_EFFECTS:
			cfg[effect] = frozenset(r.status for r in by_parent.get(row.name, ()) if r.effect == effect)
		out[row.ticket_doctype] = cfg
	return out


def escalation_levels() -> list[dict]:
	"""Rows of SLA Settings' escalation table as plain dicts, in table order."""
	settings = frappe.get_cached_doc(SETTINGS)
	return [row.as_dict() for row in settings.get("escalation_levels") or []]


def escalation_level_rules() -> list:
	"""The escalation levels parsed for the engine (``escalation_rules.Level``), cached like the ticket
	types (SLA Settings' on_update clears both)."""
	from sla_management.engine import escalation_rules as rules

	return frappe.cache.get_value(LEVELS_KEY, generator=lambda: rules.levels_from_rows(escalation_levels()))


def settings_value(fieldname: str):
	return frappe.get_cached_doc(SETTINGS).get(fieldname)
