"""Exceptions of the working-time engine and the translation helper ``_``."""

from __future__ import annotations

import sys


def _(msg: str) -> str:
	"""Translate ``msg`` with Frappe when the engine runs inside Frappe, else return it unchanged.

	The engine never imports Frappe: it uses Frappe's ``_`` only when Frappe is loaded already.
	"""
	frappe = sys.modules.get("frappe")
	if frappe is None:
		return msg
	try:
		return frappe._(msg)
	except Exception:  # outside a Frappe site context: keep the source string
		return msg


class EngineError(ValueError):
	"""Base class of every error raised by the engine (bad input, impossible request)."""


class CalendarError(EngineError):
	"""The calendar definition is invalid (zone, windows, dates, horizon) or a statutory lookup failed."""


class NaiveDatetimeError(EngineError):
	"""A naive datetime was given where an aware one is required."""


class NoWorkingTimeError(EngineError):
	"""The calendar has no working time left after the given instant."""


class OutOfRangeError(EngineError):
	"""An instant or a result lies outside the calendar's horizon."""
