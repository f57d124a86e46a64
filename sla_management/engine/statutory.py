"""Statutory holidays and make-up workdays from maintained libraries (offline, nothing downloaded).

China (CN) comes from ``chinesecalendar`` (module ``chinese_calendar``), which publishes both the
days off and the make-up workdays (调休) of each year the State Council has announced; other
countries come from ``holidays`` (and its ``weekend_workdays`` where it has them).
"""

from __future__ import annotations

from datetime import date

from .calendar import DEFAULT_HORIZON
from .errors import CalendarError, _

CHINA = {"CN", "CHN", "CHINA", "PRC"}


def _china(year: int, language: str | None) -> tuple[list[tuple[date, str]], list[date]]:
	try:
		from chinese_calendar import constants
	except ImportError:  # pragma: no cover - a declared dependency
		raise CalendarError(_("The chinesecalendar package is not installed")) from None
	years = {d.year for d in constants.holidays}
	if year not in years:
		raise CalendarError(
			_(
				"China's holidays for {0} are not in the installed chinesecalendar (it covers {1}-{2}): upgrade it"
			).format(year, min(years), max(years))
		)
	names = (
		{h.value: h.chinese for h in constants.Holiday} if (language or "").lower().startswith("zh") else {}
	)
	days = sorted((d, names.get(str(n), str(n))) for d, n in constants.holidays.items() if d.year == year)
	workdays = sorted(d for d in constants.workdays if d.year == year)
	return days, workdays


def statutory_days(
	country: str, year: int, subdiv: str | None = None, language: str | None = None
) -> tuple[list[tuple[date, str]], list[date]]:
	"""(holidays with names, make-up workdays) of ``country`` in ``year``, both sorted by date.

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
		found = holidays.country_holidays(code, subdiv=subdiv, years=year, language=language)
	except NotImplementedError:
		if subdiv and code in holidays.list_supported_countries():
			raise CalendarError(_("Unknown subdivision {0} of {1}").format(repr(subdiv), code)) from None
		raise CalendarError(_("Unknown country: {0}").format(repr(country))) from None
	days = sorted((d, str(n)) for d, n in found.items() if d.year == year)
	workdays = sorted(d for d in (getattr(found, "weekend_workdays", None) or ()) if d.year == year)
	return days, workdays
