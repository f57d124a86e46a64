# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Global SLA switches for tickets and the warning/escalation levels (§5.3.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import frappe
from frappe import _
from frappe.model.document import Document

from sla_management.engine import escalation_rules as rules


class SLASettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	if TYPE_CHECKING:
		from frappe.types import DF

		from sla_management.sla_check.doctype.sla_escalation_level.sla_escalation_level import (
			SLAEscalationLevel,
		)

		default_calendar: DF.Link | None
		enabled: DF.Check
		escalation_levels: DF.Table[SLAEscalationLevel]
		sweep_chunk_size: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_chunk_size()
		self.validate_levels()

	def validate_chunk_size(self):
		if self.sweep_chunk_size is not None and self.sweep_chunk_size < 1:
			self.sweep_chunk_size = 500

	def validate_levels(self):
		for row in self.escalation_levels:
			if row.trigger == rules.AFTER_BREACH:
				row.percent = 0
			else:
				row.offset = 0
		messages = {
			"bad_trigger": _("Row {0}: choose a trigger."),
			"percent_not_positive": _("Row {0}: the percentage of the target must be above 0."),
			"negative_offset": _("Row {0}: the time after breach must not be negative."),
			"out_of_order": _(
				"Row {0}: levels must be in the order they fall due: percentage levels first, ascending, "
				"then after-breach levels with ascending offsets."
			),
		}
		levels = rules.levels_from_rows([row.as_dict() for row in self.escalation_levels])
		problems = rules.order_problems(levels)
		if problems:
			frappe.throw(
				"<br>".join(messages[code].format(idx) for code, idx in problems),
				title=_("Invalid Escalation Levels"),
			)

	def on_update(self):
		from sla_management.sla_check.tickets.config import clear_cache

		clear_cache()
