# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""What the app's background workers share: paging through rows, and committing a finished step."""

from __future__ import annotations

import frappe


def pages(doctype: str, filters: dict, fields: list[str], size: int):
	"""Rows of ``doctype`` matching ``filters`` in pages of ``size``, by name, so that updates inside a page
	(which may move rows out of ``filters``) never make a row be skipped or seen twice."""
	last = ""
	while True:
		rows = frappe.get_all(
			doctype, filters={**filters, "name": (">", last)}, fields=fields, order_by="name asc", limit=size
		)
		if not rows:
			return
		yield rows
		last = rows[-1].name


def commit_step() -> None:
	"""Commit a claimed or finished step of a job (not in tests: the test's transaction is rolled back)."""
	if not frappe.flags.in_test:
		frappe.db.commit()  # nosemgrep: each claimed step is finished work
