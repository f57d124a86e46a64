"""Pure rules of the ITSS "Plan" step (§5.1): SLA requirement metrics, service catalog versions and rows.

No ``frappe`` import: the DocType controllers call these functions and turn the problem codes into
translated messages. Every rule raises or returns plain data, so it is tested with plain pytest.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

# re-exported: the rules and their callers speak the one vocabulary
from .vocabulary import (
	APPROVED as APPROVED,
	ARCHIVED as ARCHIVED,
	AVAILABILITY as AVAILABILITY,
	AVAILABILITY_HOURS as AVAILABILITY_HOURS,
	CATALOG_STATUSES as CATALOG_STATUSES,
	CONFIRMED as CONFIRMED,
	DRAFT as DRAFT,
	FAILURE_DURATION as FAILURE_DURATION,
	FAILURE_FREQUENCY as FAILURE_FREQUENCY,
	IN_REVIEW as IN_REVIEW,
	NUMBER_OF_FAILURES as NUMBER_OF_FAILURES,
	PUBLISHED as PUBLISHED,
	REQUIREMENT_METRICS as REQUIREMENT_METRICS,
	REQUIREMENT_STATUSES as REQUIREMENT_STATUSES,
	RESOLUTION_TIME as RESOLUTION_TIME,
	RESPONSE_TIME as RESPONSE_TIME,
)

# ---------------------------------------------------------------------------
# SLA Requirement metrics (§5.1.1: availability hours, number of failures, failure frequency,
# failure duration, response time, turnaround/resolution time)
# ---------------------------------------------------------------------------

METRICS: tuple[str, ...] = REQUIREMENT_METRICS

PERCENT = "Percent"
HOURS = "Hours"
MINUTES = "Minutes"
COUNT = "Count"
COUNT_PER_MONTH = "Count per Month"
COUNT_PER_YEAR = "Count per Year"

UNITS: tuple[str, ...] = (PERCENT, HOURS, MINUTES, COUNT, COUNT_PER_MONTH, COUNT_PER_YEAR)

# The units each metric may be expressed in; the first one is the default proposed in the form.
METRIC_UNITS: Mapping[str, tuple[str, ...]] = {
	AVAILABILITY_HOURS: (HOURS,),
	AVAILABILITY: (PERCENT,),
	NUMBER_OF_FAILURES: (COUNT,),
	FAILURE_FREQUENCY: (COUNT_PER_MONTH, COUNT_PER_YEAR),
	FAILURE_DURATION: (HOURS, MINUTES),
	RESPONSE_TIME: (HOURS, MINUTES),
	RESOLUTION_TIME: (HOURS, MINUTES),
}

# Problem codes returned by ``check_metric``; the controller maps each to a translated message.
UNKNOWN_METRIC = "unknown_metric"
MISSING_UNIT = "missing_unit"
UNIT_MISMATCH = "unit_mismatch"
NEGATIVE_VALUE = "negative_value"
PERCENT_OVER_100 = "percent_over_100"


def allowed_units(metric: str | None) -> tuple[str, ...]:
	"""Units a metric may be expressed in (empty for an unknown metric)."""
	return METRIC_UNITS.get(metric or "", ())


def default_unit(metric: str | None) -> str | None:
	units = allowed_units(metric)
	return units[0] if units else None


def check_metric(metric: str | None, unit: str | None, target_value: float | None) -> list[str]:
	"""Problems of one measurable standard (a row of SLA Requirement Metric), as problem codes.

	>>> check_metric("Availability", "Percent", 99.9)
	[]
	>>> check_metric("Response Time", "Percent", -1)
	['unit_mismatch', 'negative_value']
	"""
	problems = []
	value = float(target_value or 0)
	if metric not in METRIC_UNITS:
		problems.append(UNKNOWN_METRIC)
	elif not unit:
		problems.append(MISSING_UNIT)
	elif unit not in METRIC_UNITS[metric]:
		problems.append(UNIT_MISMATCH)
	if value < 0:
		problems.append(NEGATIVE_VALUE)
	if unit == PERCENT and value > 100:
		problems.append(PERCENT_OVER_100)
	return problems


def metric_key(metric: str | None, service_item: str | None, priority: str | None) -> tuple[str, str, str]:
	"""What makes a requirement metric unique: the metric, for which item (empty = all), at which priority.

	Priorities are compared without case and surrounding blanks ("P1" == " p1 ").
	"""
	return (metric or "", service_item or "", (priority or "").strip().casefold())


def find_duplicates(keys: Iterable[Hashable]) -> list[tuple[int, int]]:
	"""Pairs (first position, repeated position), 1-based like Frappe row numbers, of repeated keys.

	>>> find_duplicates(["a", "b", "a", "a"])
	[(1, 3), (1, 4)]
	"""
	first: dict[Hashable, int] = {}
	repeats = []
	for position, key in enumerate(keys, start=1):
		if key in first:
			repeats.append((first[key], position))
		else:
			first[key] = position
	return repeats


# ---------------------------------------------------------------------------
# Service catalog versions (the status lifecycles are in engine/lifecycle.py)
# ---------------------------------------------------------------------------


def next_version(existing_versions: Iterable[int | None]) -> int:
	"""Version of a new catalog: one more than the highest existing version of the same catalog name."""
	return 1 + max((int(v or 0) for v in existing_versions), default=0)


# ---------------------------------------------------------------------------
# Service catalog rows
# ---------------------------------------------------------------------------

# The fields of a catalog row that describe the service (a change to them voids a capability confirmation).
CATALOG_ITEM_CONTENT_FIELDS: tuple[str, ...] = (
	"service_item",
	"service_object",
	"content",
	"category",
	"delivery_hours",
	"typical_response_time",
	"typical_resolution_time",
)
# The fields the Operations Manager fills in while reviewing.
CATALOG_ITEM_REVIEW_FIELDS: tuple[str, ...] = (
	"capability_confirmed",
	"capability_confirmed_by",
	"review_note",
)


@dataclass(frozen=True)
class RowChanges:
	"""How the rows of a child table differ between the saved and the new version of a document."""

	added: tuple[str, ...] = ()
	removed: tuple[str, ...] = ()
	changed: Mapping[str, tuple[str, ...]] | None = None  # row name -> changed fields

	@property
	def any(self) -> bool:
		return bool(self.added or self.removed or self.changed)


def _norm(value):
	if value is None or value == "":
		return ""
	if isinstance(value, bool):
		return int(value)
	if isinstance(value, int | float):
		return float(value)
	text = str(value).strip()
	try:
		return float(text)
	except ValueError:
		return text


def changed_fields(old: Mapping, new: Mapping, fields: Iterable[str]) -> tuple[str, ...]:
	"""Fields whose value differs between two records, compared loosely ("" == None, 1 == 1.0 == "1")."""
	return tuple(f for f in fields if _norm(old.get(f)) != _norm(new.get(f)))


def diff_rows(
	old_rows: Mapping[str, Mapping], new_rows: Iterable[tuple[str | None, Mapping]], fields: Iterable[str]
) -> RowChanges:
	"""Compare rows by name. ``old_rows``: saved row name -> values; ``new_rows``: (name or None, values).

	Values are compared loosely ("" == None, 1 == 1.0 == True), because a form sends numbers as
	strings or floats where the database holds ints.
	"""
	fields = tuple(fields)
	seen, added, changed = set(), [], {}
	for position, (name, values) in enumerate(new_rows, start=1):
		if not name or name not in old_rows:
			added.append(name or f"#{position}")
			continue
		seen.add(name)
		diffs = changed_fields(old_rows[name], values, fields)
		if diffs:
			changed[name] = diffs
	removed = tuple(n for n in old_rows if n not in seen)
	return RowChanges(tuple(added), removed, changed or None)


def unconfirmed(rows: Iterable[Mapping]) -> list[str]:
	"""Service items of catalog rows whose capability has not been confirmed (approval needs them all)."""
	return [str(r.get("service_item") or "") for r in rows if not r.get("capability_confirmed")]
