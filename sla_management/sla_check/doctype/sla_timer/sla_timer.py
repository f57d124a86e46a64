# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""One SLA timer of a ticket: one metric (response or resolution) in one cycle (§5.3.1).

Timers are written by ``sla_management.sla_check.tickets`` (ticket events and the scheduler sweep), never edited by
hand; reports query them instead of the tickets.
"""

import frappe
from frappe.model.document import Document


class SLATimer(Document):
	pass


def on_doctype_update():
	"""Index for the ticket handler (timers of one ticket); ``next_check`` (the sweep's) is a search index."""
	frappe.db.add_index("SLA Timer", ["ticket_doctype", "ticket"])
	# attainment per project and period (reports, KPI); no single-column agreement/project indexes: every
	# ticket insert pays for each index, and nothing looks timers up by agreement alone
	frappe.db.add_index("SLA Timer", ["project", "start"])
