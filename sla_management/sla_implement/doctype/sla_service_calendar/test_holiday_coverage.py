# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Bench tests of calendars whose holidays run out before their agreements (issue 11, item 11): China's
years beyond chinesecalendar, the agreement warning and the owner's reminder."""

import frappe
from frappe.desk.form.load import getdoc

from sla_management.sla_implement.doctype.sla_service_calendar import holiday_coverage
from sla_management.tests.factories.agreements import (
	OPS,
	PM,
	PREFIX,
	agreement_doc,
	make_calendar,
)
from sla_management.tests.world import WorldTestCase

CALENDAR = "SLA Service Calendar"


def _holidays(name: str, year: int) -> dict:
	return {
		str(row.holiday_date): row.description
		for row in frappe.get_doc(CALENDAR, name).holidays
		if str(row.holiday_date).startswith(str(year))
	}


class TestHolidayCoverage(WorldTestCase):
	def setUp(self):
		super().setUp()
		frappe.local.message_log = []
		self.lang = frappe.local.lang
		frappe.set_user(PM)
		self.calendar = make_calendar(f"{PREFIX} holidays {frappe.generate_hash(length=6)}")
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.local.lang = self.lang
		super().tearDown()

	def _messages(self) -> str:
		return " ".join(str(m) for m in frappe.local.message_log)

	def test_2027_fills_the_laws_holidays_and_says_the_make_up_workdays_are_missing(self):
		frappe.set_user(PM)
		added = frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2027)
		self.assertEqual(added["holidays"], 13)
		self.assertEqual(added["workdays"], 0)
		self.assertIn("make-up workdays", added["missing"])
		self.assertIn("make-up workdays", self._messages())
		days = _holidays(self.calendar, 2027)
		self.assertEqual(days["2027-10-01"], "National Day")
		self.assertIn("2027-02-06", days)  # the Spring Festival
		# a covered year keeps its make-up workdays and says nothing is missing
		frappe.local.message_log = []
		added = frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2026)
		self.assertIsNone(added["missing"])
		self.assertGreater(added["workdays"], 0)

	def test_holiday_names_in_chinese_for_a_chinese_user(self):
		frappe.local.lang = "zh"
		frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2027)
		frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2026)
		self.assertEqual(_holidays(self.calendar, 2027)["2027-10-01"], "国庆节")
		self.assertEqual(_holidays(self.calendar, 2026)["2026-10-01"], "国庆节")

	def test_an_agreement_past_the_calendars_holidays_is_warned_not_refused(self):
		frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2026)
		frappe.set_user(PM)
		warning = frappe.call(
			holiday_coverage.check_agreement_calendar,
			calendar=self.calendar,
			valid_from="2026-01-01",
			valid_to="2027-09-30",
		)
		self.assertIn("2027", warning)
		self.assertIn("Fill Statutory Days", warning)
		self.assertIsNone(
			holiday_coverage.check_agreement_calendar(self.calendar, "2026-01-01", "2026-12-31")
		)
		# the agreement saves; the calendar's form names it
		agreement = agreement_doc(
			self.world, calendar=self.calendar, valid_from="2026-01-01", valid_to="2027-09-30"
		).insert()
		holiday_coverage.warn_agreement_calendar(agreement)
		self.assertIn("2027", self._messages())
		getdoc(CALENDAR, self.calendar)
		gaps = frappe.response.docs[-1].get_onload()["holiday_gaps"]
		self.assertEqual([(g["name"], g["years"]) for g in gaps], [(agreement.name, [2027])])
		# once 2027 is filled, no warning
		frappe.set_user("Administrator")
		frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2027)
		self.assertIsNone(holiday_coverage.agreement_warning(self.calendar, "2026-01-01", "2027-09-30"))

	def test_a_calendar_without_country_or_holidays_is_not_warned(self):
		name = make_calendar(f"{PREFIX} 7x24 {frappe.generate_hash(length=6)}", country=None)
		self.assertIsNone(holiday_coverage.agreement_warning(name, "2026-01-01", "2027-09-30"))

	def test_owner_and_operations_managers_are_reminded_once_from_december(self):
		frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2026)
		self.assertNotIn(self.calendar, holiday_coverage.send_holiday_reminders("2026-11-30"))
		self.assertIn(self.calendar, holiday_coverage.send_holiday_reminders("2026-12-01"))
		self.assertEqual(frappe.db.get_value(CALENDAR, self.calendar, "holiday_reminder_year"), 2027)
		for user in (PM, OPS):
			self.assertTrue(
				frappe.db.exists(
					"Notification Log",
					{"for_user": user, "document_type": CALENDAR, "document_name": self.calendar},
				),
				user,
			)
		# idempotent: a second run (or a second worker) notifies nobody again
		self.assertNotIn(self.calendar, holiday_coverage.send_holiday_reminders("2026-12-02"))
		self.assertFalse(holiday_coverage.claim(self.calendar, None, 2027))
		# filled: nothing to remind the next year either until its December
		frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2027)
		self.assertNotIn(self.calendar, holiday_coverage.send_holiday_reminders("2027-06-01"))

	def test_a_calendar_owned_by_administrator_reminds_administrator(self):
		# Frappe finds a Notification Log's users by e-mail address: Administrator's name is not its address
		frappe.db.set_value(CALENDAR, self.calendar, "owner", "Administrator")
		frappe.get_doc(CALENDAR, self.calendar).fill_statutory_days(2026)
		self.assertIn(self.calendar, holiday_coverage.send_holiday_reminders("2026-12-01"))
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": "Administrator", "document_type": CALENDAR, "document_name": self.calendar},
			)
		)
