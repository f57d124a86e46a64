"""Which DocTypes are tickets, and how to read them: SLA Ticket Type rows, cached per site.

The ticket handler runs on every save of every DocType, so ``ticket_types()`` must be cheap: the mapping
lives in the Redis cache (and Frappe's per-request local cache) and is rebuilt only after an SLA Ticket Type
or SLA Settings change.
"""

from __future__ import annotations

import frappe

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


def _load() -> dict[str, dict]:
	try:
		if not frappe.db.get_single_value(SETTINGS, "enabled"):
			return {}
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
