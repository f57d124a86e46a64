"""Pure rules of the service level agreement (§5.2.2–5.2.3, §5.4.1): no ``frappe`` import, no database.

The SLA Agreement controller feeds these functions plain values and turns what they return into
translated messages; the daily lifecycle job asks them which status an agreement should have.
"""

from __future__ import annotations

import math
from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from . import plan_rules
from .calendar import DEFAULT_HORIZON, WorkingCalendar
from .errors import NoWorkingTimeError, OutOfRangeError

# re-exported: the rules and their callers speak the one vocabulary
from .vocabulary import (
	ACTIVE as ACTIVE,
	APPROVED as APPROVED,
	CANCELLED as CANCELLED,
	DRAFT as DRAFT,
	EXPIRED as EXPIRED,
	IN_REVIEW as IN_REVIEW,
	LIVE_AGREEMENT_STATUSES as LIVE_AGREEMENT_STATUSES,
	SIGNED as SIGNED,
	SUPERSEDED as SUPERSEDED,
)

# Lifecycle (§5.2.3): Draft → In Review → Approved → Signed → Active → Expired / Superseded; Cancelled by cancelling.
# A submitted agreement in one of LIVE_STATUSES binds the provider (it may cover tickets now or later).
LIVE_STATUSES = LIVE_AGREEMENT_STATUSES


def status_on(status: str, valid_from: date, valid_to: date, today: date) -> str:
	"""The status a *signed* agreement should have on ``today``; other statuses are left as they are.

	Only Signed and Active move with the calendar: Draft/In Review wait for people, and Expired,
	Superseded and Cancelled are final.
	"""
	if status not in LIVE_STATUSES:
		return status
	if valid_to < today:
		return EXPIRED
	if valid_from <= today:
		return ACTIVE
	return SIGNED


@dataclass(frozen=True)
class Version:
	"""One version of an agreement, as the supersede rule needs it."""

	name: str
	version: int
	status: str


def superseded(versions: Iterable[Version]) -> dict[str, str]:
	"""Old versions to supersede: ``{old name: name of the newer version that is now Active}``.

	All ``versions`` share one agreement code. The newest Active version supersedes every older version
	that is still Signed or Active; a newer version that is only Signed does not (the old one stays valid
	until the new one starts).
	"""
	versions = list(versions)
	active = [v for v in versions if v.status == ACTIVE]
	if not active:
		return {}
	newest = max(active, key=lambda v: v.version)
	return {v.name: newest.name for v in versions if v.status in LIVE_STATUSES and v.version < newest.version}


def reminder_due(
	status: str,
	valid_to: date,
	reminder_days: int | None,
	sent_on: date | None,
	today: date,
	renewed: bool = False,
) -> bool:
	"""Whether the renewal reminder (§5.4.1: renewed yearly) should go out today.

	Once per agreement (``sent_on``), only for an Active agreement that has not been renewed yet
	(no newer version), from ``reminder_days`` before ``valid_to`` until ``valid_to`` itself.
	"""
	if status != ACTIVE or sent_on or renewed or not reminder_days or reminder_days < 0:
		return False
	return valid_to - timedelta(days=reminder_days) <= today <= valid_to


def add_months(day: date, months: int) -> date:
	"""``day`` moved by whole months, kept within the month (31 January + 1 month = 28/29 February)."""
	year, month = divmod(day.month - 1 + months, 12)
	year += day.year
	return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def next_period(valid_from: date, valid_to: date) -> tuple[date, date]:
	"""The validity of a renewal, starting the day after the current one ends.

	A period of whole months (a calendar year, an anniversary year, a quarter) renews for the same
	number of months, so leap years neither shorten nor stretch it; any other period keeps its length
	in days.
	"""
	one_day = timedelta(days=1)
	start = valid_to + one_day
	months = (valid_to.year - valid_from.year) * 12 + valid_to.month - valid_from.month + 1
	for n in (months - 1, months):
		if n > 0 and add_months(valid_from, n) - one_day == valid_to:
			return start, add_months(start, n) - one_day
	return start, start + (valid_to - valid_from)


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
	"""A response/resolution target row (durations in seconds; empty item = all items, empty priority = any)."""

	idx: int
	service_item: str | None = None
	priority: str | None = None
	response_time: float | None = None
	resolution_time: float | None = None
	default_target: bool = False
	requirement_metric: str | None = None


@dataclass(frozen=True)
class Problem:
	"""A broken rule: ``kind`` names it, ``idx`` is the row (0 for the document), ``values`` fill the message."""

	kind: str
	idx: int = 0
	values: tuple = ()


# Problem kinds the controller translates.
ITEM_NOT_IN_AGREEMENT = "item_not_in_agreement"
DUPLICATE_TARGET = "duplicate_target"
NEGATIVE_TARGET = "negative_target"
EMPTY_TARGET = "empty_target"
RESOLUTION_BEFORE_RESPONSE = "resolution_before_response"
CALENDAR_REQUIRED = "calendar_required"
SEVERAL_DEFAULTS = "several_defaults"
INVALID_TARGET_VALUE = "invalid_target_value"
TARGET_TOO_LONG = "target_too_long"
TARGET_BEYOND_HORIZON = "target_beyond_horizon"
VALIDITY_OUTSIDE_HORIZON = "validity_outside_horizon"

TARGET_FIELDNAMES = ("response_time", "resolution_time")
# No target can be longer than the engine's whole horizon (in elapsed seconds, leap days included).
MAX_TARGET_SECONDS = (DEFAULT_HORIZON[1] - DEFAULT_HORIZON[0] + 1) * 366 * 86_400


def target_seconds(value) -> float | None:
	"""A target duration as the float that is validated and stored: None when empty.

	Numbers and numeric text ("1800", " 3.6e3 ") are converted; anything else, and non-finite values
	(NaN, infinities, "1e400"), raise ValueError. Negative and too long values are left to
	``target_problems``.
	"""
	if value is None or (isinstance(value, str) and not value.strip()):
		return None
	if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
		raise ValueError(value)
	seconds = float(value)  # ValueError for text that is no number
	if not math.isfinite(seconds):
		raise ValueError(value)
	return seconds


def target_problems(targets: Sequence[Target], items: Iterable[str], has_calendar: bool) -> list[Problem]:
	"""Every broken target rule, in row order (§5.2.2: response and resolution levels per priority)."""
	items = set(items)
	problems: list[Problem] = []
	seen: dict[tuple[str, str], int] = {}
	if targets and not has_calendar:
		problems.append(Problem(CALENDAR_REQUIRED, targets[0].idx))
	defaults = [t.idx for t in targets if t.default_target]
	if len(defaults) > 1:
		problems.append(Problem(SEVERAL_DEFAULTS, defaults[1], tuple(defaults)))
	for t in targets:
		if t.service_item and t.service_item not in items:
			problems.append(Problem(ITEM_NOT_IN_AGREEMENT, t.idx, (t.service_item,)))
		key = (t.service_item or "", (t.priority or "").strip())
		if key in seen:
			problems.append(Problem(DUPLICATE_TARGET, t.idx, (seen[key],)))
		else:
			seen[key] = t.idx
		response, resolution = t.response_time or 0, t.resolution_time or 0
		if response < 0 or resolution < 0:
			problems.append(Problem(NEGATIVE_TARGET, t.idx))
		elif max(response, resolution) > MAX_TARGET_SECONDS:
			too_long = "response_time" if response > MAX_TARGET_SECONDS else "resolution_time"
			problems.append(Problem(TARGET_TOO_LONG, t.idx, (too_long, max(response, resolution))))
		elif not response and not resolution:
			problems.append(Problem(EMPTY_TARGET, t.idx))
		elif response and resolution and resolution < response:
			problems.append(Problem(RESOLUTION_BEFORE_RESPONSE, t.idx))
	return problems


def horizon_problems(
	valid_from: date,
	valid_to: date,
	targets: Sequence[Target],
	calendar: WorkingCalendar | None = None,
) -> list[Problem]:
	"""What the engine could not serve: a validity outside its horizon (the calendar's, else the default
	one), or a target that a ticket opened at the end of the validity's last day would only reach after
	the horizon ends (or never, on a calendar whose working time runs out)."""
	first, last = calendar.horizon if calendar is not None else DEFAULT_HORIZON
	if valid_from.year < first or valid_to.year > last:
		return [Problem(VALIDITY_OUTSIDE_HORIZON, 0, (first, last))]
	if calendar is None:
		return []
	opened = datetime.combine(valid_to, time(23, 59, 59), tzinfo=calendar.zone)
	problems = []
	for t in targets:
		for fieldname in TARGET_FIELDNAMES:
			seconds = getattr(t, fieldname)
			if not seconds or not 0 < seconds <= MAX_TARGET_SECONDS:
				continue  # empty, or refused by target_problems already
			try:
				calendar.add(opened, seconds)
			except (OutOfRangeError, NoWorkingTimeError):
				problems.append(Problem(TARGET_BEYOND_HORIZON, t.idx, (fieldname, seconds, valid_to, last)))
				break
	return problems


def unknown_items(items: Iterable[str], published: Iterable[str]) -> list[str]:
	"""Agreement items that are not in the published service catalog (§5.2.1), in their order."""
	published = set(published)
	return [i for i in dict.fromkeys(items) if i not in published]


# --------------------------------------------------------------------------- overlap


@dataclass(frozen=True)
class Coverage:
	"""What an agreement covers: a customer, a period, and (item set, priority) cells.

	In a cell, ``items`` None means every item and ``priority`` None means any priority.
	"""

	customer: tuple[str, str]
	valid_from: date
	valid_to: date
	cells: tuple[tuple[frozenset[str] | None, str | None], ...] = field(default_factory=tuple)


def coverage(
	customer: tuple[str, str],
	valid_from: date,
	valid_to: date,
	items: Iterable[str],
	targets: Iterable[Target],
) -> Coverage:
	"""The coverage of an agreement: each target covers its item (or all the agreement's items) and
	priority; an agreement without targets covers all its items at any priority."""
	agreement_items = frozenset(items) or None
	cells = []
	for t in targets:
		cell_items = frozenset({t.service_item}) if t.service_item else agreement_items
		cells.append((cell_items, (t.priority or "").strip() or None))
	if not cells:
		cells.append((agreement_items, None))
	return Coverage(customer, valid_from, valid_to, tuple(cells))


def overlaps(a: Coverage, b: Coverage) -> bool:
	"""Whether a ticket could fall under both agreements: same customer, overlapping periods, a shared
	service item (or all items) and the same priority (or any priority)."""
	if a.customer != b.customer or a.valid_to < b.valid_from or b.valid_to < a.valid_from:
		return False
	for items_a, prio_a in a.cells:
		for items_b, prio_b in b.cells:
			items_meet = items_a is None or items_b is None or bool(items_a & items_b)
			prios_meet = prio_a is None or prio_b is None or prio_a == prio_b
			if items_meet and prios_meet:
				return True
	return False


# --------------------------------------------------------------------------- traceability

# Requirement metrics (plan_rules.METRICS) answered by a field of the agreement rather than by a target row.
AGREEMENT_LEVEL_FIELDS = {
	plan_rules.AVAILABILITY: "availability_target",
	plan_rules.AVAILABILITY_HOURS: "calendar",
	plan_rules.NUMBER_OF_FAILURES: "max_failures",
	plan_rules.FAILURE_FREQUENCY: "failure_frequency_limit",
	plan_rules.FAILURE_DURATION: "max_failure_duration",
}
# Requirement metrics answered by a response/resolution target row.
TARGET_FIELDS = {
	plan_rules.RESPONSE_TIME: "response_time",
	plan_rules.RESOLUTION_TIME: "resolution_time",
}


@dataclass(frozen=True)
class Metric:
	"""A requirement line (SLA Requirement Metric row): what the customer asked for."""

	name: str
	metric: str
	service_item: str | None = None
	priority: str | None = None


@dataclass(frozen=True)
class Answer:
	"""How the agreement answers a requirement line: the agreement field or target field and its value."""

	fieldname: str
	value: object
	target_idx: int | None = None
	limit_idx: int | None = None  # the row of the limits per service item that answers it


def _given(value) -> bool:
	return value not in (None, "", 0, 0.0)


def answer(
	metric: Metric,
	targets: Sequence[Target],
	agreement_values: dict[str, object],
	limits: Sequence[ServiceLimit] = (),
) -> Answer | None:
	"""The part of the agreement that answers ``metric`` (requested → agreed), or None.

	A response/resolution line is answered by the target row that names it (``requirement_metric``), or
	else by the target for the same service item and priority; an availability/failure line by the limit
	row that names it or is of its service item (``limit_answer``), else by the agreement's
	availability/failure fields; availability hours by its service calendar.
	"""
	found = limit_answer(metric, limits)
	if found:
		return found
	if metric.metric in AGREEMENT_LEVEL_FIELDS:
		fieldname = AGREEMENT_LEVEL_FIELDS[metric.metric]
		value = agreement_values.get(fieldname)
		return Answer(fieldname, value) if _given(value) else None
	fieldname = TARGET_FIELDS.get(metric.metric)
	if not fieldname:
		return None
	wanted = plan_rules.metric_key(metric.metric, metric.service_item, metric.priority)
	linked = [t for t in targets if t.requirement_metric == metric.name]
	matching = [
		t for t in targets if plan_rules.metric_key(metric.metric, t.service_item, t.priority) == wanted
	]
	for t in (*linked, *matching):
		value = getattr(t, fieldname)
		if _given(value):
			return Answer(fieldname, value, t.idx)
	return None


def unanswered(
	metrics: Iterable[Metric],
	targets: Sequence[Target],
	agreement_values: dict[str, object],
	limits: Sequence[ServiceLimit] = (),
) -> list[Metric]:
	"""Requirement lines that nothing in the agreement answers, in their order."""
	return [m for m in metrics if answer(m, targets, agreement_values, limits) is None]


# --------------------------------------------------------------------------- limits per service item

# Requirement metrics a service limit row can answer, and the row field that answers each.
LIMIT_FIELDS = {
	plan_rules.AVAILABILITY: "availability_target",
	plan_rules.NUMBER_OF_FAILURES: "max_failures",
	plan_rules.FAILURE_FREQUENCY: "max_failures",
	plan_rules.FAILURE_DURATION: "max_failure_duration",
}
LIMIT_ITEM_REQUIRED = "limit_item_required"
LIMIT_ITEM_NOT_IN_AGREEMENT = "limit_item_not_in_agreement"
DUPLICATE_LIMIT = "duplicate_limit"
PERCENT_OUT_OF_RANGE = "percent_out_of_range"
NEGATIVE_LIMIT = "negative_limit"
EMPTY_LIMIT = "empty_limit"
LIMIT_LINE_WRONG_METRIC = "limit_line_wrong_metric"
CREDIT_ITEM_NOT_IN_AGREEMENT = "credit_item_not_in_agreement"
DUPLICATE_CREDIT = "duplicate_credit"
CREDIT_OUT_OF_RANGE = "credit_out_of_range"
NEGATIVE_FEE = "negative_fee"


@dataclass(frozen=True)
class ServiceLimit:
	"""A row of the agreement's limits per service item (durations in seconds; 0/None: not set)."""

	idx: int
	service_item: str | None
	availability_target: float | None = None
	max_failures: int | None = None
	max_failure_duration: float | None = None
	max_mttr: float | None = None
	requirement_metric: str | None = None


@dataclass(frozen=True)
class CreditStep:
	"""A step of the service credit schedule (empty item: every item of the agreement)."""

	idx: int
	availability_below: float
	credit_percent: float
	service_item: str | None = None


def limit_problems(limits: Sequence[ServiceLimit], items: Iterable[str]) -> list[Problem]:
	"""Every broken rule of the limits per service item, in row order.

	A row names one of the agreement's items, at most one row per item; the availability target is a
	percentage (0–100); counts and durations are not negative; a row sets at least one limit.
	"""
	items = set(items)
	problems: list[Problem] = []
	seen: dict[str, int] = {}
	for row in limits:
		if not row.service_item:
			problems.append(Problem(LIMIT_ITEM_REQUIRED, row.idx))
		elif row.service_item not in items:
			problems.append(Problem(LIMIT_ITEM_NOT_IN_AGREEMENT, row.idx, (row.service_item,)))
		elif row.service_item in seen:
			problems.append(Problem(DUPLICATE_LIMIT, row.idx, (seen[row.service_item], row.service_item)))
		else:
			seen[row.service_item] = row.idx
		if not 0 <= (row.availability_target or 0) <= 100:
			problems.append(Problem(PERCENT_OUT_OF_RANGE, row.idx, ("availability_target",)))
		values = (row.max_failures, row.max_failure_duration, row.max_mttr)
		if any((v or 0) < 0 for v in values):
			problems.append(Problem(NEGATIVE_LIMIT, row.idx))
		elif not row.availability_target and not any(values):
			problems.append(Problem(EMPTY_LIMIT, row.idx))
	return problems


def credit_problems(
	steps: Sequence[CreditStep], items: Iterable[str], monthly_fee: float | None = None
) -> list[Problem]:
	"""Every broken rule of the service credit schedule: percentages within 0–100 (the threshold above 0),
	items of the agreement, one step per item and threshold, a fee that is not negative."""
	items = set(items)
	problems: list[Problem] = []
	if (monthly_fee or 0) < 0:
		problems.append(Problem(NEGATIVE_FEE))
	seen: dict[tuple[str, float], int] = {}
	for s in steps:
		if s.service_item and s.service_item not in items:
			problems.append(Problem(CREDIT_ITEM_NOT_IN_AGREEMENT, s.idx, (s.service_item,)))
		if not 0 < s.availability_below <= 100:
			problems.append(Problem(CREDIT_OUT_OF_RANGE, s.idx, ("availability_below",)))
		if not 0 <= s.credit_percent <= 100:
			problems.append(Problem(CREDIT_OUT_OF_RANGE, s.idx, ("credit_percent",)))
		key = (s.service_item or "", round(s.availability_below, 6))
		if key in seen:
			problems.append(Problem(DUPLICATE_CREDIT, s.idx, (seen[key],)))
		else:
			seen[key] = s.idx
	return problems


def limit_answer(metric: Metric, limits: Sequence[ServiceLimit]) -> Answer | None:
	"""The limit row answering an availability/failure line: the row that names the line, else the row of
	the line's service item; None when no row sets the metric's field (the agreement level may answer)."""
	fieldname = LIMIT_FIELDS.get(metric.metric)
	if not fieldname:
		return None
	linked = [r for r in limits if r.requirement_metric == metric.name]
	matching = [r for r in limits if metric.service_item and r.service_item == metric.service_item]
	for r in (*linked, *matching):
		value = getattr(r, fieldname)
		if _given(value):
			return Answer(fieldname, value, limit_idx=r.idx)
	return None
