"""Durations of business (working) time as people read them — pure, no ``frappe``.

A target of 24 working hours is "24 h (business)", not "1d": its deadline may be five calendar days
away, so days would mislead. Hours carry up to two decimals ("52.5 h"); under an hour the text is in
whole minutes ("30 min"), under a minute in seconds. The same rules are in public/js/sla_format.js
(``sla_management.format_business_seconds``) for the desk.
"""

from __future__ import annotations

import math

from .errors import _

HOUR = 3600
MINUTE = 60


def _number(value: float) -> str:
	"""``value`` with at most two decimals and no trailing zeros: 24 → "24", 52.5 → "52.5"."""
	text = f"{value:.2f}".rstrip("0").rstrip(".")
	return "0" if text in ("", "-0") else text


def business_seconds_text(seconds: float) -> str:
	"""The magnitude of ``seconds`` of business time: "24 h", "52.5 h", "30 min", "45 s" (no sign)."""
	if seconds is None or (isinstance(seconds, float) and not math.isfinite(seconds)):
		return "-"
	value = abs(float(seconds))
	minutes = round(value / MINUTE)
	if minutes >= 60:
		return _("{0} h").format(_number(max(value, HOUR) / HOUR))
	if minutes >= 1 and round(value) >= MINUTE:
		return _("{0} min").format(minutes)
	return _("{0} s").format(round(value))


def format_business_seconds(seconds: float | None, business: bool = False) -> str:
	"""A duration of business time; ``business``: add "(business)" (targets, where days would mislead).

	Negative values keep their sign: "-1.5 h".
	"""
	if seconds is None:
		return "-"
	text = business_seconds_text(seconds)
	if text != "-" and round(float(seconds)) < 0:
		text = f"-{text}"
	if business and text != "-":
		return _("{0} (business)").format(text)
	return text


def hours_minutes_text(seconds: float) -> str:
	"""The magnitude of ``seconds`` as hours and minutes, for a countdown: "1 h 53 min", "52 h", "7 min"."""
	if seconds is None or (isinstance(seconds, float) and not math.isfinite(seconds)):
		return "-"
	minutes = round(abs(float(seconds)) / MINUTE)
	if minutes < 1:
		return _("{0} s").format(round(abs(float(seconds))))
	hours, minutes = divmod(minutes, 60)
	if not hours:
		return _("{0} min").format(minutes)
	if not minutes:
		return _("{0} h").format(hours)
	return _("{0} h {1} min").format(hours, minutes)


def time_left_text(remaining_seconds: float) -> str:
	"""What a timer has left, or by how much it is overdue: "3 h 30 min left", "overdue by 20 min"."""
	if remaining_seconds is None:
		return "-"
	if remaining_seconds < 0:
		return _("overdue by {0}").format(hours_minutes_text(remaining_seconds))
	return _("{0} left").format(hours_minutes_text(remaining_seconds))
