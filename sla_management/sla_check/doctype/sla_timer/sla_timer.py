# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""One SLA timer of a ticket: one metric (response or resolution) in one cycle (§5.3.1).

Timers are written by ``sla_management.sla_check.tickets`` (ticket events and the scheduler sweep), never edited by
hand; reports query them instead of the tickets.

Who reads them (§4, ``engine.access.ROW_RULES``): managers every timer, a project manager the timers of
the projects they manage (``project``); customers have no role permission, and should a site grant one,
the row rule limits them to their own customer's timers. Pauses (a child table) follow their timer.
"""

import frappe
from frappe.model.document import Document


class SLATimer(Document):
	pass


UNIQUE_CYCLE = "unique_ticket_metric_cycle"
# the counting rule's two GROUP BY queries (SLA Attainment, SLA KPI, the number cards): a timer is measured
# by the instant it ended — Met by ``stop``, Breached by ``breach_at`` — grouped per project
ATTAINMENT_INDEXES = {
	"sla_kpi_met": ("status", "stop", "project"),
	"sla_kpi_breach": ("status", "breach_at", "project"),
}


def on_doctype_update():
	"""One timer per ticket, metric and cycle is a database constraint: two transactions that both decided
	to start the same timer cannot both insert it (the second fails instead of doubling timers and alerts).
	Its index also serves the ticket handler (the timers of one ticket: its prefix); ``next_check`` (the
	sweep's) is a search index.
	"""
	frappe.db.add_unique(
		"SLA Timer", ["ticket_doctype", "ticket", "metric", "cycle"], constraint_name=UNIQUE_CYCLE
	)
	# attainment per project and period (reports, KPI); no single-column agreement/project indexes: every
	# ticket insert pays for each index, and nothing looks timers up by agreement alone
	frappe.db.add_index("SLA Timer", ["project", "start"])
	for name, columns in ATTAINMENT_INDEXES.items():
		frappe.db.add_index("SLA Timer", list(columns), index_name=name)
