# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The service calendar (§5.2.2): working windows, holidays and time zone of an agreement's service hours.

The calendar maths lives in the pure engine (``sla_management.engine``); this controller only turns the
document into an engine ``WorkingCalendar`` and keeps statutory days up to date.

Who may change it (§4, ``engine.access.BOUND_ROWS``, enforced in ``common.permissions``): while a signed or
active (submitted) SLA Agreement uses a calendar, only an SLA Operations Manager or System Manager may
change or delete it, because the agreement's deadlines are computed in it; a project manager gets a
PermissionError and makes a new calendar (a copy with the changes) for the agreement's next version.
Calendars no live agreement uses are edited by project managers as before.
"""

from typing import TYPE_CHECKING

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_time

from sla_management.common.cache import SiteCache
from sla_management.engine import CalendarError, WorkingCalendar, parse_time_of_day
from sla_management.engine.statutory import statutory_year

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# (name, modified) -> WorkingCalendar; saving changes ``modified``, so a saved calendar is rebuilt.
_engine_cache: SiteCache[WorkingCalendar] = SiteCache(64)


class SLAServiceCalendar(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	if TYPE_CHECKING:
		from frappe.types import DF

		from sla_management.sla_implement.doctype.sla_calendar_holiday.sla_calendar_holiday import (
			SLACalendarHoliday,
		)
		from sla_management.sla_implement.doctype.sla_calendar_window.sla_calendar_window import (
			SLACalendarWindow,
		)
		from sla_management.sla_implement.doctype.sla_calendar_workday.sla_calendar_workday import (
			SLACalendarWorkday,
		)

		calendar_name: DF.Data
		country: DF.Data | None
		description: DF.SmallText | None
		holiday_reminder_year: DF.Int
		holidays: DF.Table[SLACalendarHoliday]
		timezone: DF.Autocomplete
		windows: DF.Table[SLACalendarWindow]
		workdays: DF.Table[SLACalendarWorkday]
	# end: auto-generated types

	def onload(self):
		"""Agreements using this calendar whose validity runs into years it lists no holidays for."""
		from sla_management.sla_implement.doctype.sla_service_calendar.holiday_coverage import calendar_gaps

		dates = [frappe.utils.getdate(h.holiday_date) for h in self.holidays if h.holiday_date]
		self.set_onload("holiday_gaps", calendar_gaps(self.name, self.country, dates))

	def validate(self):
		self.country = (self.country or "").strip().upper() or None
		self.validate_windows()  # before sorting: the sort needs weekdays and times
		self.sort_rows()
		self.validate_engine_calendar()

	def validate_windows(self):
		"""Every window and make-up workday row: a weekday, a start and an end time, the end after the
		start, no overlap with another row of the same day; messages name the row and the day."""
		table_label = {"windows": _("Windows"), "workdays": _("Make-up Workdays")}
		by_day: dict = {}
		for table in ("windows", "workdays"):
			for row in self.get(table):
				if table == "windows":
					if row.weekday not in WEEKDAYS:
						_refuse_row(
							row,
							table_label[table],
							_("{0} is not a weekday: choose Monday to Sunday.").format(_text(row.weekday)),
						)
					day = _(row.weekday)
				else:
					day = frappe.format(row.workday_date, "Date") if row.workday_date else ""
				start = _row_time(row, "start_time", _("start time"), table_label[table], day)
				end = _row_time(row, "end_time", _("end time"), table_label[table], day, end=True)
				if end == 0:
					end = 86_400  # an end of 00:00 is midnight at the end of the day
				if end <= start:
					_refuse_row(
						row,
						table_label[table],
						_("{0}: the end {1} is not after the start {2}.").format(
							day, _text(row.end_time), _text(row.start_time)
						),
					)
				key = (table, row.weekday if table == "windows" else str(row.workday_date))
				for other, other_start, other_end in by_day.get(key, []):
					if start < other_end and other_start < end:
						_refuse_row(
							row,
							table_label[table],
							_("{0}: this window overlaps row {1}.").format(day, other.idx),
						)
				by_day.setdefault(key, []).append((row, start, end))

	def sort_rows(self):
		self.windows.sort(key=lambda w: (WEEKDAYS.index(w.weekday), str(get_time(w.start_time))))
		self.holidays.sort(key=lambda h: str(h.holiday_date))
		self.workdays.sort(key=lambda w: (str(w.workday_date), str(get_time(w.start_time))))
		for rows in (self.windows, self.holidays, self.workdays):
			for idx, row in enumerate(rows, start=1):
				row.idx = idx

	def validate_engine_calendar(self):
		try:
			self.to_engine()
		except CalendarError as exc:
			frappe.throw(_("The service calendar is not valid: {0}").format(exc), title=_("Invalid Calendar"))

	def to_engine(self) -> WorkingCalendar:
		"""This calendar as the engine's WorkingCalendar (raises the engine's CalendarError)."""
		weekly: dict[int, list[tuple[str, str]]] = {}
		for w in self.windows:
			weekly.setdefault(WEEKDAYS.index(w.weekday), []).append(_window(w))
		workdays: dict = {}
		for w in self.workdays:
			workdays.setdefault(frappe.utils.getdate(w.workday_date), []).append(_window(w))
		return WorkingCalendar(
			timezone=self.timezone,
			weekly=weekly,
			holidays=[frappe.utils.getdate(h.holiday_date) for h in self.holidays],
			workdays=workdays,
		)

	@frappe.whitelist()
	def fill_statutory_days(self, year: int | str, country: str | None = None) -> dict:
		"""Add the statutory holidays and make-up workdays of ``year`` (country defaults to the calendar's),
		named in the user's language where the library has it (Chinese for zh).

		A make-up workday gets this calendar's Monday windows (or those of its first working weekday).
		Dates already listed are left alone. Returns the number of rows added, and ``missing``: what the
		libraries do not know of the year (China after chinesecalendar's last year: the make-up workdays),
		also shown as an orange message.
		"""
		self.check_permission("write")
		country = (country or self.country or "").strip().upper()
		if not country:
			frappe.throw(_("Set the calendar's country code first."), title=_("Country Missing"))
		if not str(year).strip().lstrip("-").isdigit():
			frappe.throw(
				_("The year must be a whole number, not {0}.").format(_text(year)), title=_("Invalid Year")
			)
		try:
			found = statutory_year(country, cint(year), language=frappe.local.lang)
		except CalendarError as exc:
			frappe.throw(str(exc), title=_("Statutory Days Not Available"))
		holidays, makeup = found.holidays, found.workdays
		known_holidays = {frappe.utils.getdate(h.holiday_date) for h in self.holidays}
		known_workdays = {frappe.utils.getdate(w.workday_date) for w in self.workdays}
		added_holidays = added_workdays = 0
		for day, description in holidays:
			if day not in known_holidays:
				self.append("holidays", {"holiday_date": day, "description": description})
				known_holidays.add(day)
				added_holidays += 1
		windows = self.makeup_windows()
		for day in makeup:
			if day in known_workdays or not windows:
				continue
			for start, end in windows:
				self.append(
					"workdays",
					{
						"workday_date": day,
						"start_time": start,
						"end_time": end,
						"description": _("Make-up workday"),
					},
				)
			known_workdays.add(day)
			added_workdays += 1
		if not self.country:
			self.country = country
		self.save()
		if found.missing:
			frappe.msgprint(found.missing, title=_("Make-up Workdays Missing"), indicator="orange")
		return {
			"holidays": added_holidays,
			"workdays": added_workdays,
			"skipped_workdays": 0 if windows else len(makeup),
			"missing": found.missing,
		}

	def makeup_windows(self) -> list[tuple]:
		"""Windows of a make-up workday: Monday's, else those of the first weekday that has any."""
		for weekday in WEEKDAYS:
			rows = [(w.start_time, w.end_time) for w in self.windows if w.weekday == weekday]
			if rows:
				return rows
		return []


def _text(value) -> str:
	"""A value the user typed, safe to show in a message."""
	return frappe.bold(frappe.utils.escape_html(str(value)))


def _refuse_row(row, table_label: str, message: str):
	frappe.throw(
		_("Row {0} of {1}: {2}").format(row.idx, table_label, message),
		frappe.ValidationError,
		title=_("Invalid Calendar"),
	)


def _row_time(row, fieldname: str, label: str, table_label: str, day: str, end: bool = False) -> int:
	"""Seconds from midnight of a row's time field; refuses an empty or unreadable time."""
	value = row.get(fieldname)
	if value in (None, ""):
		_refuse_row(row, table_label, _("{0}: set the {1}.").format(day, label))
	try:
		return parse_time_of_day(value if not isinstance(value, str) else value.strip(), end=end)
	except CalendarError:
		_refuse_row(
			row,
			table_label,
			_("{0}: {1} is not a valid {2}; use HH:MM or HH:MM:SS.").format(day, _text(value), label),
		)


def _clock(value) -> str:
	t = get_time(value)
	return t.strftime("%H:%M:%S" if t.second else "%H:%M")


def _window(row) -> tuple[str, str]:
	"""A window row as engine strings; an end of 00:00 means midnight at the end of the day."""
	start, end = _clock(row.start_time), _clock(row.end_time)
	if end == "00:00":
		end = "24:00"
	return start, end


def get_engine_calendar(name: str, modified=None) -> WorkingCalendar:
	"""The engine calendar of an SLA Service Calendar, cached in-process by (site, name, modified).

	``modified``: the calendar's, when the caller read it already (no query then).
	"""
	if modified is None:
		modified = frappe.db.get_value("SLA Service Calendar", name, "modified")
		if modified is None:
			frappe.throw(
				_("SLA Service Calendar {0} not found").format(name),
				frappe.DoesNotExistError,
				title=_("Not Found"),
			)
	return _engine_cache.get(
		(name, str(modified)), lambda: frappe.get_doc("SLA Service Calendar", name).to_engine()
	)
