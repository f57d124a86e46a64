# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""One outage of a service item (issue 12): a failure (``Down`` / ``Degraded``) or a planned maintenance
window, from ``start`` to ``end`` (empty while it lasts). The pure core (``engine.availability``) measures
availability, failures, MTTR and MTBF from these rows.

Recorded by hand (planned maintenance needs its end), from monitoring (``sla_check.monitoring``: ``source``
+ ``fingerprint`` identify the alert, unique with ``start`` so the same alert is recorded once; a batch is
written with one multi-row INSERT that bypasses this controller, so what ``validate`` does is done there
too), from tickets (``sla_check.outages.tickets``: one outage per ticket, kept in step with it) and from
inspections.

Who reads them (§4, ``engine.access.ROW_RULES``): managers every outage, a project manager the outages of
the projects they manage (``project``).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, getdate

from sla_management.engine.vocabulary import ELIGIBLE_AGREEMENT_STATUSES, PLANNED_MAINTENANCE

UNIQUE_ALERT = "unique_source_fingerprint_start"


class SLAOutage(Document):
	def validate(self):
		# NULL, not "", so that rows recorded by hand never meet in the unique key of the alerts
		self.source = self.source or None
		self.fingerprint = self.fingerprint or None
		if self.end and get_datetime(self.end) <= get_datetime(self.start):
			frappe.throw(
				_("The end of the outage ({0}) must be after its start ({1}).").format(self.end, self.start),
				exc=frappe.ValidationError,
				title=_("Invalid Outage"),
			)
		if self.kind == PLANNED_MAINTENANCE and not self.end:
			frappe.throw(
				_("A planned maintenance window needs its end."),
				exc=frappe.ValidationError,
				title=_("Invalid Outage"),
			)
		if not self.agreement:
			self.agreement = find_agreement(self.project, self.service_item, self.start)


def find_agreement(project: str | None, service_item: str | None, start) -> str | None:
	"""The submitted agreement of ``project`` covering ``service_item`` that is valid on the outage's start
	date (the newest, as for tickets); None when there is none."""
	if not (project and service_item and start):
		return None
	on = getdate(start)
	rows = frappe.db.sql(
		"""
		SELECT a.name FROM `tabSLA Agreement` a
		JOIN `tabSLA Agreement Item` i
			ON i.parent = a.name AND i.parenttype = 'SLA Agreement' AND i.parentfield = 'items'
		WHERE a.docstatus = 1 AND a.status IN %(statuses)s AND a.project = %(project)s
			AND i.service_item = %(item)s AND a.valid_from <= %(on)s AND a.valid_to >= %(on)s
		ORDER BY a.valid_from DESC, a.creation DESC
		LIMIT 1
		""",
		{"statuses": ELIGIBLE_AGREEMENT_STATUSES, "project": project, "item": service_item, "on": on},
	)
	return rows[0][0] if rows else None


def on_doctype_update():
	"""The same monitoring alert (source, fingerprint, start) is one outage: a database constraint, so two
	deliveries of one alert at once cannot both insert it. Rows without a source (recorded by hand) have
	NULL there and are never in conflict."""
	frappe.db.add_unique("SLA Outage", ["source", "fingerprint", "start"], constraint_name=UNIQUE_ALERT)
	frappe.db.add_index("SLA Outage", ["service_item", "start"])
