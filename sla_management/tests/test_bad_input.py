# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bad input is a clear, translated 4xx error, and nothing of it is stored (issue 10, items 11-13).

Each test sends what a browser or REST client sends (frappe.client.insert/save, the whitelisted
methods) and expects a frappe.ValidationError (HTTP 417) or another 4xx, never a 500.
"""

import json
from types import SimpleNamespace

import frappe
from frappe.handler import run_doc_method

from sla_management.sla_implement.doctype.sla_agreement import sla_agreement
from sla_management.tests.factories.agreements import (
	CUSTOMER_A_USER,
	CUSTOMER_B_USER,
	HOUR,
	ITEMS,
	agreement_doc,
	approve,
	frozen,
	sign,
)
from sla_management.tests.world import WorldTestCase

CALENDAR = "SLA Service Calendar"
AGREEMENT = "SLA Agreement"
WEEK_5X8 = [
	{"weekday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
	for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
]


class TestBadInput(WorldTestCase):
	def setUp(self):
		super().setUp()

	def assert_refused(self, call, message: str, exc=frappe.ValidationError):
		"""``call`` raises ``exc`` (a 4xx) whose message contains ``message``."""
		with self.assertRaises(exc) as ctx:
			call()
		self.assertLess(getattr(ctx.exception, "http_status_code", 500), 500, ctx.exception)
		self.assertIn(message, str(ctx.exception))
		return ctx.exception

	# ------------------------------------------------------------------ service calendar

	def calendar(self, name: str, windows=None, **values) -> dict:
		return {
			"doctype": CALENDAR,
			"calendar_name": f"_Test Bad Input {name}",
			"timezone": "Asia/Shanghai",
			"windows": WEEK_5X8 if windows is None else windows,
			**values,
		}

	def assert_calendar_refused(self, windows, message: str, **values):
		doc = self.calendar(self._testMethodName, windows, **values)
		self.assert_refused(lambda: frappe.client.insert(doc), message)
		self.assertFalse(frappe.db.exists(CALENDAR, doc["calendar_name"]), "nothing stored")

	def test_calendar_window_weekday_funday(self):
		windows = [*WEEK_5X8, {"weekday": "Funday", "start_time": "09:00:00", "end_time": "12:00:00"}]
		self.assert_calendar_refused(windows, "Funday")

	def test_calendar_window_time_abc(self):
		windows = [{"weekday": "Monday", "start_time": "abc", "end_time": "18:00:00"}, *WEEK_5X8[1:]]
		self.assert_calendar_refused(windows, "abc")

	def test_calendar_window_time_out_of_range(self):
		windows = [{"weekday": "Monday", "start_time": "09:00:00", "end_time": "25:00"}, *WEEK_5X8[1:]]
		self.assert_calendar_refused(windows, "25:00")

	def test_calendar_window_without_start_time(self):
		windows = [{"weekday": "Monday", "end_time": "18:00:00"}, *WEEK_5X8[1:]]
		self.assert_calendar_refused(windows, "start time")
		windows = [{"weekday": "Monday", "start_time": "", "end_time": "18:00:00"}, *WEEK_5X8[1:]]
		self.assert_calendar_refused(windows, "start time")

	def test_make_up_workday_without_start_time(self):
		workdays = [{"workday_date": "2026-02-14", "end_time": "18:00:00"}]
		self.assert_calendar_refused(None, "start time", workdays=workdays)

	def test_calendar_messages_name_the_weekday(self):
		cases = {
			"Monday": {"weekday": "Monday", "start_time": "17:00:00", "end_time": "19:00:00"},  # overlap
			"Sunday": {"weekday": "Sunday", "start_time": "12:00:00", "end_time": "10:00:00"},  # end first
		}
		for day, window in cases.items():
			with self.subTest(day):
				doc = self.calendar(f"named {day}", [*WEEK_5X8, window])
				error = self.assert_refused(lambda doc=doc: frappe.client.insert(doc), day)
				self.assertNotIn("weekday", str(error))

	def test_calendar_save_with_bad_window_keeps_the_stored_calendar(self):
		name = frappe.client.insert(self.calendar("stored"))["name"]
		doc = frappe.client.get(CALENDAR, name)
		doc["windows"][0]["weekday"] = "Funday"
		self.assert_refused(lambda: frappe.client.save(doc), "Funday")
		stored = frappe.get_all("SLA Calendar Window", {"parent": name}, pluck="weekday")
		self.assertNotIn("Funday", stored)
		self.assertEqual(len(stored), 5)

	# ------------------------------------------------------------------ statutory days

	def fill_statutory_days(self, name: str, **args):
		"""The desk's call: POST /api/method/run_doc_method."""
		frappe.local.request = SimpleNamespace(method="POST")
		try:
			return run_doc_method("fill_statutory_days", dt=CALENDAR, dn=name, args=json.dumps(args))
		finally:
			del frappe.local.request

	def assert_fill_refused(self, message: str, **args):
		calendar = self.calendar(f"{self._testMethodName} {args}", country="CN")
		name = frappe.client.insert(calendar)["name"]
		self.assert_refused(lambda: self.fill_statutory_days(name, **args), message)
		self.assertFalse(frappe.get_all("SLA Calendar Holiday", {"parent": name}), "nothing stored")
		self.assertFalse(frappe.get_all("SLA Calendar Workday", {"parent": name}), "nothing stored")

	def test_statutory_days_year_1850(self):
		self.assert_fill_refused("1850", year=1850)
		self.assert_fill_refused("1850", year=1850, country="US")

	def test_statutory_days_year_99999(self):
		self.assert_fill_refused("99999", year=99999)
		self.assert_fill_refused("99999", year=99999, country="US")

	def test_statutory_days_year_not_a_number(self):
		self.assert_fill_refused("abc", year="abc", country="US")

	def test_statutory_days_country_zz(self):
		self.assert_fill_refused("ZZ", year=2026, country="ZZ")

	def test_statutory_days_of_a_covered_year_are_filled(self):
		name = frappe.client.insert(self.calendar("filled", country="CN"))["name"]
		self.fill_statutory_days(name, year=2026)
		self.assertGreater(frappe.response["message"]["holidays"], 0)
		self.assertTrue(frappe.get_all("SLA Calendar Holiday", {"parent": name}))

	# ------------------------------------------------------------------ agreement targets

	def agreement(self, title: str, **values) -> dict:
		doc = agreement_doc(self.world, agreement_title=f"_Test Bad Input {title}", **values).as_dict()
		return {k: v for k, v in doc.items() if v is not None}

	def assert_agreement_refused(self, message: str, **values):
		doc = self.agreement(self._testMethodName, **values)
		self.assert_refused(lambda: frappe.client.insert(doc), message)
		self.assertFalse(frappe.db.exists(AGREEMENT, {"agreement_title": doc["agreement_title"]}))

	def bad_target(self, value) -> list[dict]:
		return [{"service_item": ITEMS[0], "priority": "P1", "response_time": HOUR, "resolution_time": value}]

	def test_agreement_target_1e12(self):
		self.assert_agreement_refused("longer than all the years", targets=self.bad_target(1e12))

	def test_agreement_target_1e400(self):
		self.assert_agreement_refused("1e400", targets=self.bad_target("1e400"))

	def test_agreement_target_nan(self):
		self.assert_agreement_refused("NaN", targets=self.bad_target("NaN"))

	def test_agreement_target_abc(self):
		self.assert_agreement_refused("abc", targets=self.bad_target("abc"))

	def test_agreement_target_is_stored_as_validated(self):
		name = frappe.client.insert(self.agreement("stored", targets=self.bad_target(" 18000 ")))["name"]
		self.assertEqual(
			frappe.db.get_value("SLA Agreement Target", {"parent": name}, "resolution_time"), 18000
		)

	def test_agreement_save_with_bad_target_keeps_the_stored_targets(self):
		name = frappe.client.insert(self.agreement("save"))["name"]
		doc = frappe.client.get(AGREEMENT, name)
		doc["targets"][0]["response_time"] = "abc"
		self.assert_refused(lambda: frappe.client.save(doc), "abc")
		stored = frappe.get_all(
			"SLA Agreement Target", {"parent": name}, pluck="response_time", order_by="idx asc"
		)
		self.assertEqual(stored, [HOUR, 2 * HOUR])

	# ------------------------------------------------------------------ the engine's horizon

	def test_agreement_validity_1900_to_2199(self):
		self.assert_agreement_refused("2000", valid_from="1900-01-01", valid_to="2199-12-31")

	def test_agreement_validity_beyond_the_horizon_end(self):
		self.assert_agreement_refused("2060", valid_from="2060-06-01", valid_to="2061-05-31")

	def test_agreement_target_1e9_seconds_on_a_5x8_calendar(self):
		targets = [
			{"service_item": ITEMS[0], "priority": "P1", "response_time": HOUR, "resolution_time": 1e9}
		]
		self.assert_agreement_refused("only after 2060", targets=targets)

	def test_agreement_target_near_the_horizon_end(self):
		# a ticket opened on the last day of validity (2060) must still get its deadline within 2060
		targets = [
			{"service_item": ITEMS[0], "priority": "P1", "response_time": HOUR, "resolution_time": 800 * HOUR}
		]
		self.assert_agreement_refused(
			"only after 2060", targets=targets, valid_from="2060-01-01", valid_to="2060-12-31"
		)

	# ------------------------------------------------------------------ renewal

	def test_renewal_across_a_leap_year_leaves_no_gap(self):
		doc = frappe.get_doc(self.agreement("leap", valid_from="2027-01-01", valid_to="2027-12-31")).insert()
		sign(doc, today="2026-12-01")
		renewal = sla_agreement.make_new_version(doc.name)
		self.assertEqual((str(renewal.valid_from), str(renewal.valid_to)), ("2028-01-01", "2028-12-31"))

	# ------------------------------------------------------------------ portal errors

	def signable_agreement(self):
		doc = frappe.get_doc(self.agreement("portal"))
		doc.insert()
		with frozen("2025-12-20"):
			approve(doc)
		return doc.name

	def test_portal_confirm_of_an_unknown_agreement_is_404(self):
		frappe.set_user(CUSTOMER_A_USER)
		frappe.local.flags.disable_traceback = False
		self.assert_refused(
			lambda: sla_agreement.confirm_by_customer("SLA-AGR-0000-00000"),
			"not found",
			frappe.DoesNotExistError,
		)
		self.assertTrue(frappe.local.flags.disable_traceback, "the portal error carries no traceback")

	def test_portal_confirm_without_a_name_is_417(self):
		frappe.set_user(CUSTOMER_A_USER)
		self.assert_refused(lambda: sla_agreement.confirm_by_customer(), "agreement")

	def test_portal_confirm_of_another_customers_agreement_is_403(self):
		name = self.signable_agreement()
		frappe.set_user(CUSTOMER_B_USER)
		self.assert_refused(
			lambda: sla_agreement.confirm_by_customer(name), "portal user", frappe.PermissionError
		)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(AGREEMENT, name, "docstatus"), 0)
