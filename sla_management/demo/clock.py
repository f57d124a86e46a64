"""The demo's clock: Frappe's "now" moved to each event of the demo year, as the bench tests freeze it.

``frappe.utils.now_datetime`` (read by the SLA hooks) and ``frappe.utils.data.now_datetime`` (behind
``now()``, ``nowdate()`` and ``today()``, so records get the event's creation and modified time) return the
clock's instant; ``frappe.flags.current_time`` is set for ERPNext's Issue. One patch for the whole run,
not one per event: setting the instant is an attribute assignment.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

import frappe
import frappe.utils
import frappe.utils.data


class DemoClock:
	def __init__(self):
		self.at: datetime | None = None

	def now_datetime(self) -> datetime:
		return self.at

	def set(self, at: datetime) -> datetime:
		self.at = at
		frappe.flags.current_time = at
		return at


@contextmanager
def demo_clock():
	"""A ``DemoClock`` in force while the block runs; the real clock afterwards."""
	clock = DemoClock()
	clock.set(frappe.utils.now_datetime())
	saved = (frappe.utils.now_datetime, frappe.utils.data.now_datetime)
	frappe.utils.now_datetime = frappe.utils.data.now_datetime = clock.now_datetime
	try:
		yield clock
	finally:
		frappe.utils.now_datetime, frappe.utils.data.now_datetime = saved
		frappe.flags.current_time = None
