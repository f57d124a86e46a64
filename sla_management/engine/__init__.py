"""Working-time engine: business calendars, deadlines and SLA timers in pure Python (no Frappe).

Instants in and out are timezone-aware; naive datetimes raise NaiveDatetimeError (use
``WorkingCalendar.localize`` to read one as wall time in the calendar's zone). Durations are
seconds (float) or timedelta, resolved to the microsecond.
"""

from .bulk import add_bulk, between_bulk
from .calendar import WorkingCalendar, parse_time_of_day
from .errors import (
	CalendarError,
	EngineError,
	NaiveDatetimeError,
	NoWorkingTimeError,
	OutOfRangeError,
)
from .statutory import statutory_days
from .timer import STATES, SlaTimer, TimerResult

__all__ = [
	"STATES",
	"CalendarError",
	"EngineError",
	"NaiveDatetimeError",
	"NoWorkingTimeError",
	"OutOfRangeError",
	"SlaTimer",
	"TimerResult",
	"WorkingCalendar",
	"add_bulk",
	"between_bulk",
	"parse_time_of_day",
	"statutory_days",
]
