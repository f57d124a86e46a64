"""Which warning/escalation levels are due for an SLA timer, and when to look at it next — pure.

Levels come from SLA Settings in table order. Each level applies to the response timer, the
resolution timer or both, and fires either when a share of the target has elapsed (in the calendar's
working time, pauses excluded) or a wall-clock offset after the breach instant.

A timer remembers ``last_level``: the table index (1-based) up to which every applicable level has been
handled. Levels are handled as a prefix in table order: the first pending applicable level that is not
yet due stops the walk, so a level is never handled twice and never skipped because a later one
came first. Percent levels below 100 % that are still pending when the timer is already breached are
skipped silently: a "75 % elapsed" warning after the breach is noise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

PERCENT = "Percent of target elapsed"
AFTER_BREACH = "After breach"
TRIGGERS = (PERCENT, AFTER_BREACH)
BOTH = "Both"


@dataclass(frozen=True)
class Level:
	idx: int
	trigger: str
	metric: str = BOTH
	percent: float = 0.0
	offset_seconds: float = 0.0
	name: str = ""

	def applies_to(self, metric: str) -> bool:
		return self.metric in (BOTH, "", None) or self.metric == metric


@dataclass(frozen=True)
class Decision:
	notify: tuple[Level, ...]
	skip: tuple[Level, ...]
	last_level: int


def levels_from_rows(rows: Iterable[dict]) -> list[Level]:
	"""Levels from child-table rows (dicts with idx, level_name, metric, trigger, percent, offset)."""
	levels = []
	for position, row in enumerate(rows, start=1):
		levels.append(
			Level(
				idx=int(row.get("idx") or position),
				trigger=row.get("trigger") or PERCENT,
				metric=row.get("metric") or BOTH,
				percent=float(row.get("percent") or 0),
				offset_seconds=float(row.get("offset") or 0),
				name=row.get("level_name") or "",
			)
		)
	return sorted(levels, key=lambda lv: lv.idx)


def order_problems(levels: list[Level]) -> list[tuple[str, int]]:
	"""Problems of a level table as (code, idx): percent levels must come first and ascend, then
	after-breach levels with ascending offsets; percentages must be positive."""
	problems = []
	seen_after = False
	last_percent, last_offset = -1.0, -1.0
	for level in levels:
		if level.trigger not in TRIGGERS:
			problems.append(("bad_trigger", level.idx))
		elif level.trigger == PERCENT:
			if level.percent <= 0:
				problems.append(("percent_not_positive", level.idx))
			if seen_after or level.percent < last_percent:
				problems.append(("out_of_order", level.idx))
			last_percent = max(last_percent, level.percent)
		else:
			if level.offset_seconds < 0:
				problems.append(("negative_offset", level.idx))
			if seen_after and level.offset_seconds < last_offset:
				problems.append(("out_of_order", level.idx))
			seen_after = True
			last_offset = max(last_offset, level.offset_seconds)
	return problems


def is_due(level: Level, *, fraction: float, breach_at: datetime | None, at: datetime) -> bool:
	if level.trigger == PERCENT:
		return fraction * 100 >= level.percent - 1e-9
	return breach_at is not None and at >= breach_at + timedelta(seconds=level.offset_seconds)


def pending(levels: list[Level], metric: str, last_level: int) -> list[Level]:
	return [lv for lv in levels if lv.idx > last_level and lv.applies_to(metric)]


def due_levels(
	levels: list[Level],
	metric: str,
	last_level: int,
	*,
	fraction: float,
	breach_at: datetime | None,
	at: datetime,
) -> Decision:
	"""Levels to notify now (and stale ones to skip), walking pending levels in order."""
	notify, skip = [], []
	new_last = last_level
	for level in pending(levels, metric, last_level):
		stale = breach_at is not None and level.trigger == PERCENT and level.percent < 100
		if stale:
			skip.append(level)
		elif is_due(level, fraction=fraction, breach_at=breach_at, at=at):
			notify.append(level)
		else:
			break
		new_last = level.idx
	else:
		# every applicable level is handled: jump past inapplicable trailing levels too
		if levels:
			new_last = max(new_last, levels[-1].idx)
	return Decision(tuple(notify), tuple(skip), new_last)


def next_check(
	levels: list[Level],
	metric: str,
	last_level: int,
	*,
	running: bool,
	deadline: datetime | None,
	breach_at: datetime | None,
	instant_for_fraction: Callable[[float], datetime],
) -> datetime | None:
	"""When the sweep must look at the timer next; None when nothing can happen without a ticket change.

	A paused or stopped timer needs no check (the ticket change that resumes it recomputes this). A running
	timer is checked at its deadline (to record the breach) and at the instant the first pending level
	falls due. ``instant_for_fraction(f)`` gives the instant at which ``f`` of the target will have elapsed
	if the timer keeps running (the engine's deadline for target × f).
	"""
	if not running:
		return None
	candidates = []
	if breach_at is None and deadline is not None:
		candidates.append(deadline)
	for level in pending(levels, metric, last_level):
		if breach_at is not None and level.trigger == PERCENT and level.percent < 100:
			continue  # will be skipped as stale
		if level.trigger == PERCENT:
			candidates.append(instant_for_fraction(level.percent / 100.0))
		else:
			base = breach_at or deadline
			if base is not None:
				candidates.append(base + timedelta(seconds=level.offset_seconds))
		break  # later levels are never due before this one is handled
	return min(candidates) if candidates else None
