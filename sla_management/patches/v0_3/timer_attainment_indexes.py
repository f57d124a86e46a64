"""SLA Timer gains the two indexes of the counting rule's queries (status, end instant, project)."""

import frappe

from sla_management.sla_check.doctype.sla_timer.sla_timer import ATTAINMENT_INDEXES


def execute():
	for name, columns in ATTAINMENT_INDEXES.items():
		frappe.db.add_index("SLA Timer", list(columns), index_name=name)
