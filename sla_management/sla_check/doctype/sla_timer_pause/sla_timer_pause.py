# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

from frappe.model.document import Document


class SLATimerPause(Document):
	pass
