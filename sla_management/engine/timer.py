"""SLA timers: a start, a target in business time, pauses (waiting states) and an optional stop."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .calendar import EPOCH, ONE_US, US, WorkingCalendar, duration_us
from .errors import EngineError, NaiveDatetimeError, NoWorkingTimeError, _
from .vocabulary import BREACHED, MET, PAUSED, RUNNING

STATES = (RUNNING, PAUSED, MET, BREACHED)


def _label(what: str) -> str:
	"""The translated name of a timer input; translated only when an error names it (hot path stays cheap)."""
	return {
		"start": _("The timer start"),
		"stop": _("The timer stop"),
		"pause begin": _("A pause begin"),
		"pause end": _("A pause end"),
	}[what]


def _aware_us(dt: datetime, what: str) -> int:
	if not isinstance(dt, datetime):
		raise EngineError(_("{0} must be a datetime, got {1}").format(_label(what), repr(dt)))
	if dt.tzinfo is None or dt.utcoffset() is None:
		raise NaiveDatetimeError(_("{0} is a naive datetime: pass an aware datetime").format(_label(what)))
	return (dt - EPOCH) // ONE_US


@dataclass(frozen=True)
class TimerResult:
	"""The state of an SLA timer at one instant; durations in seconds of business time."""

	deadline: datetime | None
	elapsed_seconds: float
	remaining_seconds: float
	paused_seconds: float
	state: str
	breached: bool
	breach_at: datetime | None
	fraction: float


class SlaTimer:
	"""An immutable SLA timer; ``evaluate`` measures it against a calendar at an instant.

	Pauses are ``(begin, end)`` pairs, ``end`` None while the pause is still open. They are sorted,
	merged where they overlap or touch, and clipped to the start; a pause ending before it begins
	is an error.
	"""

	__slots__ = (
		"_pauses_us",
		"_start_us",
		"_stop_us",
		"_target_us",
		"pauses",
		"start",
		"stop",
		"target_seconds",
	)

	def __init__(
		self,
		start: datetime,
		target_seconds: float | timedelta,
		pauses: Iterable[tuple[datetime, datetime | None]] = (),
		stop: datetime | None = None,
	) -> None:
		self.start = start
		self._start_us = _aware_us(start, "start")
		self._target_us = duration_us(target_seconds)
		self.target_seconds = self._target_us / US
		self.stop = stop
		self._stop_us: int | None = None
		if stop is not None:
			self._stop_us = _aware_us(stop, "stop")
			if self._stop_us < self._start_us:
				raise EngineError(_("The timer stop {0} is before its start {1}").format(stop, start))
		self.pauses = tuple(pauses or ())
		self._pauses_us = self._normalise(self.pauses, self._start_us) if self.pauses else []

	@staticmethod
	def _normalise(pauses: Iterable, start_us: int) -> list[tuple[int, int | None]]:
		raw: list[tuple[int, int | None]] = []
		for p in pauses:
			try:
				begin, end = p
			except (TypeError, ValueError):
				raise EngineError(_("A pause must be a (begin, end) pair, got {0}").format(repr(p))) from None
			b = _aware_us(begin, "pause begin")
			e = None if end is None else _aware_us(end, "pause end")
			if e is not None and e < b:
				raise EngineError(_("The pause {0} - {1} ends before it begins").format(begin, end))
			b = max(b, start_us)
			if e is not None and e <= b:
				continue  # before the start, or zero length
			raw.append((b, e))
		raw.sort(key=lambda x: x[0])
		merged: list[tuple[int, int | None]] = []
		for b, e in raw:
			if merged:
				pb, pe = merged[-1]
				if pe is None or b <= pe:
					merged[-1] = (pb, None if (pe is None or e is None) else max(pe, e))
					continue
			merged.append((b, e))
		return merged

	def with_target(self, new_target_seconds: float | timedelta) -> SlaTimer:
		"""The same timer (start, pauses, stop: the history) with another target."""
		# the history is already checked and normalised: copy it instead of parsing it again
		other = SlaTimer.__new__(SlaTimer)
		other.start, other._start_us = self.start, self._start_us
		other.stop, other._stop_us = self.stop, self._stop_us
		other.pauses, other._pauses_us = self.pauses, self._pauses_us
		other._target_us = duration_us(new_target_seconds)
		other.target_seconds = other._target_us / US
		return other

	def paused_at(self, at: datetime) -> SlaTimer:
		"""This timer with a pause opened at ``at``."""
		return SlaTimer(self.start, self._target_us / US, (*self.pauses, (at, None)), self.stop)

	def resumed_at(self, at: datetime) -> SlaTimer:
		"""This timer with its open pauses closed at ``at``."""
		pauses = tuple((b, at if e is None else e) for b, e in self.pauses)
		return SlaTimer(self.start, self._target_us / US, pauses, self.stop)

	def stopped_at(self, at: datetime) -> SlaTimer:
		"""This timer stopped at ``at``."""
		return SlaTimer(self.start, self._target_us / US, self.pauses, at)

	def evaluate(self, cal: WorkingCalendar, at: datetime) -> TimerResult:
		"""Deadline, elapsed, remaining and paused business time, and the state, at ``at``."""
		at_us = cal.to_us(at)
		start = self._start_us
		if start < cal.lo_us or start > cal.hi_us:
			cal.to_us(self.start)  # raises: the start lies outside the calendar horizon
		stopped = self._stop_us is not None and self._stop_us <= at_us
		cut = self._stop_us if stopped else at_us
		cut = max(cut, start)
		w = cal.worked_us
		w_start = w(start)
		paused_now = False
		paused = 0
		reached = False  # target reached before the pause being walked: later pauses do not move it
		target_left = self._target_us
		w_cursor, cursor = w_start, start
		for b, e in self._pauses_us:
			if not stopped and b <= at_us and (e is None or at_us < e):
				paused_now = True
			if b >= cut:
				break
			e = cut if e is None or e > cut else e
			w_b, w_e = w(b), w(e)
			paused += w_e - w_b
			if not reached:
				if w_b - w_cursor >= target_left:
					reached = True
				else:
					target_left -= w_b - w_cursor
					w_cursor, cursor = w_e, e
		elapsed = w(cut) - w_start - paused
		deadline: datetime | None
		try:
			if target_left == 0:
				deadline = cal.from_us(cursor)
			else:
				deadline = cal.from_us(cal.instant_us(w_cursor + target_left))
		except NoWorkingTimeError:
			deadline = None
		target = self._target_us
		if elapsed > target:
			state = BREACHED
		elif stopped:
			state = MET
		else:
			state = PAUSED if paused_now else RUNNING
		breached = state == BREACHED
		if target:
			fraction = elapsed / target
		else:
			fraction = math.inf if elapsed > 0 else 0.0
		return TimerResult(
			deadline=deadline,
			elapsed_seconds=elapsed / US,
			remaining_seconds=(target - elapsed) / US,
			paused_seconds=paused / US,
			state=state,
			breached=breached,
			breach_at=deadline if breached else None,
			fraction=fraction,
		)

	def __repr__(self) -> str:
		return (
			f"SlaTimer(start={self.start!r}, target_seconds={self._target_us / US:g}, "
			f"pauses={len(self._pauses_us)}, stop={self.stop!r})"
		)
