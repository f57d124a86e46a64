# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The few places where Frappe v15 and v16 want different calls for the same thing."""

from __future__ import annotations

import frappe

FRAPPE_MAJOR = int(frappe.__version__.split(".")[0])


def aggregate(function: str, field: str, alias: str) -> str | dict:
	"""An aggregate field of ``frappe.get_list`` / ``get_all`` (``aggregate("count", "name", "n")``): Frappe
	v16 takes SQL functions only as a dict (``{"COUNT": "name", "as": "n"}``), v15 only as a string."""
	if FRAPPE_MAJOR >= 16:
		return {function.upper(): field, "as": alias}
	return f"{function.lower()}({field}) as {alias}"
