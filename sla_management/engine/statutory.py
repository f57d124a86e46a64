"""Statutory holidays and make-up workdays from maintained libraries (offline, nothing downloaded), and
the rules that say when a calendar's holidays run out.

China (CN) comes from ``chinesecalendar`` (module ``chinese_calendar``), which publishes both the days off
and the make-up workdays (调休) of each year the State Council has announced. For a later year it comes
from ``holidays``: the statutory holidays of the law (the Spring Festival, National Day, …), without the
year's arrangement — the weekdays given off around them and the weekend make-up workdays are published by
the State Council each year (usually in November) and are not in any library before that; ``missing``
says so. Other countries come from ``holidays`` (and its ``weekend_workdays`` where it has them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .calendar import DEFAULT_HORIZON
from .errors import CalendarError, _

CHINA = {"CN", "CHN", "CHINA", "PRC"}


# When a calendar's owner is reminded that next year has no holidays yet: from this day (month, day) on.
REMIND_FROM: tuple[int, int] = (12, 1)


@dataclass(frozen=True)
class StatutoryDays:
	"""What the libraries know of a country's year: ``holidays`` (date, name) and make-up ``workdays``,
	both sorted; ``source`` the library; ``missing`` what they do not know (None: nothing)."""

	holidays: list[tuple[date, str]]
	workdays: list[date] = field(default_factory=list)
	source: str = "holidays"
	missing: str | None = None


def _is_zh(language: str | None) -> bool:
	return (language or "").lower().replace("-", "_").startswith("zh")


def _china(year: int, language: str | None) -> StatutoryDays:
	try:
		from chinese_calendar import constants
	except ImportError:  # pragma: no cover - a declared dependency
		raise CalendarError(_("The chinesecalendar package is not installed")) from None
	years = {d.year for d in constants.holidays}
	if year > max(years):
		return _china_from_holidays(year, language, max(years))
	if year not in years:
		raise CalendarError(
			_(
				"China's holidays for {0} are not in the installed chinesecalendar (it covers {1}-{2}): upgrade it"
			).format(year, min(years), max(years))
		)
	names = {h.value: h.chinese for h in constants.Holiday} if _is_zh(language) else {}
	days = sorted((d, names.get(str(n), str(n))) for d, n in constants.holidays.items() if d.year == year)
	workdays = sorted(d for d in constants.workdays if d.year == year)
	return StatutoryDays(days, workdays, source="chinesecalendar")


def _china_from_holidays(year: int, language: str | None, announced_until: int) -> StatutoryDays:
	"""China's statutory holidays of ``year`` by law (``holidays``, no observed days: those are the year's
	arrangement, not the law's), named in Chinese or English."""
	import holidays

	found = holidays.country_holidays(
		"CN", years=year, observed=False, language="zh_CN" if _is_zh(language) else "en_US"
	)
	days = sorted((d, str(n)) for d, n in found.items() if d.year == year)
	if not days:
		raise CalendarError(
			_("China's holidays for {0} are not in the installed holidays package").format(year)
		)
	missing = _(
		"China's arrangement for {0} is not published in the installed libraries (chinesecalendar covers "
		"years up to {1}): only the statutory holidays of the law were added. The days given off around "
		"them and the make-up workdays (调休) of {0} are missing: add them when the State Council publishes "
		"them, or fill the year again after upgrading chinesecalendar."
	).format(year, announced_until)
	return StatutoryDays(days, [], source="holidays", missing=missing)


def _holidays_language(code: str, language: str | None) -> str | None:
	"""A language the ``holidays`` country class supports for ``language`` (zh → zh_CN), else None."""
	if not language:
		return None
	import holidays

	cls = getattr(holidays, code, None)
	supported = getattr(cls, "supported_languages", ()) or ()
	wanted = language.replace("-", "_")
	for candidate in (wanted, "zh_CN" if _is_zh(wanted) else None, wanted.split("_")[0]):
		if candidate and candidate in supported:
			return candidate
	if wanted.lower().startswith("en"):
		return next((lang for lang in supported if lang.startswith("en")), None)
	return None


def statutory_days(
	country: str, year: int, subdiv: str | None = None, language: str | None = None
) -> tuple[list[tuple[date, str]], list[date]]:
	"""(holidays with names, make-up workdays) of ``country`` in ``year``, both sorted by date."""
	found = statutory_year(country, year, subdiv=subdiv, language=language)
	return found.holidays, found.workdays


def statutory_year(
	country: str, year: int, subdiv: str | None = None, language: str | None = None
) -> StatutoryDays:
	"""What the libraries know of ``country``'s ``year`` (see StatutoryDays), names in ``language`` where
	the library has it.

	Only for the years of the engine's horizon (calendar.DEFAULT_HORIZON): days outside it serve no ticket.
	"""
	if not isinstance(country, str) or not country.strip():
		raise CalendarError(_("Unknown country: {0}").format(repr(country)))
	if isinstance(year, bool) or not isinstance(year, int):
		raise CalendarError(_("The year must be an integer, not {0}").format(repr(year)))
	first, last = DEFAULT_HORIZON
	if not first <= year <= last:
		raise CalendarError(
			_(
				"Statutory days are only available for the years {0}-{1} that the SLA engine covers, not {2}"
			).format(first, last, year)
		)
	code = country.strip().upper()
	if code in CHINA:
		return _china(year, language)
	import holidays

	try:
		found = holidays.country_holidays(
			code, subdiv=subdiv, years=year, language=_holidays_language(code, language)
		)
	except NotImplementedError:
		if subdiv and code in holidays.list_supported_countries():
			raise CalendarError(_("Unknown subdivision {0} of {1}").format(repr(subdiv), code)) from None
		raise CalendarError(_("Unknown country: {0}").format(repr(country))) from None
	days = sorted((d, str(n)) for d, n in found.items() if d.year == year)
	workdays = sorted(d for d in (getattr(found, "weekend_workdays", None) or ()) if d.year == year)
	return StatutoryDays(days, workdays)


# ----------------------------------------------------------------------------- when holidays run out


def expects_holidays(country: str | None, holiday_dates) -> bool:
	"""Whether a calendar keeps holidays: it names a country or lists any (a 24x7 calendar has none)."""
	return bool((country or "").strip()) or any(True for _d in holiday_dates)


def last_holiday_year(holiday_dates) -> int | None:
	years = [d.year for d in holiday_dates]
	return max(years) if years else None


def years_without_holidays(valid_from: date, valid_to: date, holiday_dates) -> list[int]:
	"""The years from ``valid_from`` to ``valid_to`` in which the calendar lists no holiday."""
	if valid_from is None or valid_to is None or valid_to < valid_from:
		return []
	known = {d.year for d in holiday_dates}
	return [y for y in range(valid_from.year, valid_to.year + 1) if y not in known]


def reminder_year(today: date, holiday_dates, remind_from: tuple[int, int] = REMIND_FROM) -> int | None:
	"""Next year, when from ``remind_from`` (month, day) of this year on the calendar lists no holiday in
	it; else None. (Whether the calendar keeps holidays at all: ``expects_holidays``.)"""
	if (today.month, today.day) < remind_from:
		return None
	year = today.year + 1
	return None if any(d.year == year for d in holiday_dates) else year
