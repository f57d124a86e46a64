# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of the service calendar: engine calendar, validation, cache and statutory days."""

from datetime import date, datetime

import frappe

from sla_management.engine import WorkingCalendar
from sla_management.engine.roles import PROJECT_MANAGER
from sla_management.sla_implement.doctype.sla_service_calendar.sla_service_calendar import (
	get_engine_calendar,
)
from sla_management.tests.compat import IntegrationTestCase
from sla_management.tests.factories.agreements import (
	PM,
	PREFIX,
	make_calendar,
	make_user,
)

DOCTYPE = "SLA Service Calendar"


class TestSLAServiceCalendar(IntegrationTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("sla_calendar_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sla_calendar_test")

	def test_engine_calendar_follows_windows_and_time_zone(self):
		name = make_calendar(f"{PREFIX} Engine")
		calendar = get_engine_calendar(name)
		self.assertIsInstance(calendar, WorkingCalendar)
		self.assertEqual(calendar.timezone, "Asia/Shanghai")
		monday_10 = calendar.localize(datetime(2026, 3, 2, 10, 0))
		self.assertTrue(calendar.is_working(monday_10))
		self.assertFalse(calendar.is_working(calendar.localize(datetime(2026, 3, 7, 10, 0))))  # Saturday
		# 9 working hours a day: 10 hours from Monday 10:00 end on Tuesday 11:00
		self.assertEqual(calendar.add(monday_10, 10 * 3600), calendar.localize(datetime(2026, 3, 3, 11, 0)))

	def test_cache_is_invalidated_by_saving(self):
		name = make_calendar(f"{PREFIX} Cache")
		first = get_engine_calendar(name)
		self.assertIs(get_engine_calendar(name), first)
		doc = frappe.get_doc(DOCTYPE, name)
		doc.append("holidays", {"holiday_date": "2026-03-02", "description": "Test"})
		doc.save()
		second = get_engine_calendar(name)
		self.assertIsNot(second, first)
		self.assertFalse(second.is_working(second.localize(datetime(2026, 3, 2, 10, 0))))

	def test_end_at_midnight_means_end_of_day(self):
		name = make_calendar(
			f"{PREFIX} 7x24",
			windows=[
				{"weekday": day, "start_time": "00:00:00", "end_time": "00:00:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			],
		)
		calendar = get_engine_calendar(name)
		self.assertTrue(calendar.is_working(calendar.localize(datetime(2026, 3, 7, 23, 30))))

	def test_engine_errors_become_translated_validation_errors(self):
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_calendar(f"{PREFIX} Broken", timezone="Mars/Olympus_Mons")
		self.assertIn("not valid", str(ctx.exception))
		self.assertIn("Unknown time zone", str(ctx.exception))

	def test_window_errors_name_the_row_and_the_weekday(self):
		cases = {
			"Row 2 of Windows: Monday: this window overlaps row 1": [
				{"weekday": "Monday", "start_time": "09:00:00", "end_time": "13:00:00"},
				{"weekday": "Monday", "start_time": "12:00:00", "end_time": "18:00:00"},
			],
			"Row 1 of Windows: Monday: the end": [
				{"weekday": "Monday", "start_time": "18:00:00", "end_time": "09:00:00"}
			],
		}
		for message, windows in cases.items():
			with self.subTest(message):
				with self.assertRaises(frappe.ValidationError) as ctx:
					make_calendar(f"{PREFIX} Broken", windows=windows)
				self.assertIn(message, str(ctx.exception))

	def test_fill_statutory_days_adds_holidays_and_make_up_workdays_once(self):
		name = make_calendar(f"{PREFIX} China")
		doc = frappe.get_doc(DOCTYPE, name)
		added = doc.fill_statutory_days(2025)
		self.assertGreater(added["holidays"], 0)
		self.assertGreater(added["workdays"], 0)
		doc.reload()
		holidays = {h.holiday_date for h in doc.holidays}
		self.assertIn(date(2025, 10, 1), holidays)  # National Day
		makeup = [w for w in doc.workdays if w.workday_date == date(2025, 9, 28)]  # a Sunday worked in 2025
		self.assertEqual([(str(w.start_time), str(w.end_time)) for w in makeup], [("9:00:00", "18:00:00")])
		again = frappe.get_doc(DOCTYPE, name).fill_statutory_days(2025)
		self.assertEqual((again["holidays"], again["workdays"]), (0, 0))
		calendar = get_engine_calendar(name)
		self.assertTrue(calendar.is_working(calendar.localize(datetime(2025, 9, 28, 10, 0))))
		self.assertFalse(calendar.is_working(calendar.localize(datetime(2025, 10, 1, 10, 0))))

	def test_make_up_windows_fall_back_to_the_first_working_weekday(self):
		name = make_calendar(
			f"{PREFIX} Tue-Sat",
			windows=[
				{"weekday": day, "start_time": "08:00:00", "end_time": "12:00:00"}
				for day in ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
			],
		)
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual([(str(s), str(e)) for s, e in doc.makeup_windows()], [("8:00:00", "12:00:00")])

	def test_fill_statutory_days_needs_a_country(self):
		doc = frappe.get_doc(DOCTYPE, make_calendar(f"{PREFIX} Nowhere", country=None))
		self.assertRaisesRegex(frappe.ValidationError, "country code", doc.fill_statutory_days, 2025)

	def test_project_manager_maintains_calendars(self):
		make_user(PM, PROJECT_MANAGER)
		frappe.set_user(PM)
		name = make_calendar(f"{PREFIX} By PM")
		doc = frappe.get_doc(DOCTYPE, name)
		doc.description = "edited"
		doc.save()
		self.assertTrue(frappe.has_permission(DOCTYPE, "create"))
		self.assertFalse(frappe.has_permission(DOCTYPE, "delete", name))
