"""Agreements approved before the Approved status existed (In Review with an approver) become Approved.

The approval then names its content (``approved_digest``). An agreement saved after its approval (more than
a few seconds later) cannot say what was approved: its approval is withdrawn, it stays In Review, and its
timeline says why.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime

DOCTYPE = "SLA Agreement"
# the approving action saves right after stamping reviewed_on
SAME_SAVE_SECONDS = 10


def execute():
	rows = frappe.get_all(
		DOCTYPE,
		filters={"docstatus": 0, "status": "In Review", "reviewed_by": ("is", "set")},
		fields=["name", "modified", "reviewed_on"],
	)
	for row in rows:
		doc = frappe.get_doc(DOCTYPE, row.name)
		approved_at = get_datetime(row.reviewed_on) if row.reviewed_on else None
		if approved_at and (get_datetime(row.modified) - approved_at).total_seconds() <= SAME_SAVE_SECONDS:
			frappe.db.set_value(
				DOCTYPE,
				row.name,
				{"status": "Approved", "approved_digest": doc.lifecycle_digest()},
				update_modified=False,
			)
		else:
			frappe.db.set_value(
				DOCTYPE, row.name, {"reviewed_by": None, "reviewed_on": None}, update_modified=False
			)
			doc.add_comment(
				"Info",
				_("Approval withdrawn: the agreement was changed after it was approved. Back to In Review."),
			)
