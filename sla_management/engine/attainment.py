"""SLA attainment of a period and the yearly ITSS KPI (§5.3, §7, issue 13) — pure, no Frappe.

Every measured target of a period is met or not. The **counting rule**:

- A ticket timer (response or resolution) counts in the period in which it **ended**:

  - *Met* (status ``Met``): in the period that holds its ``stop``;
  - *Breached* (status ``Breached``): in the period that holds its breach instant (``breach_at``, the
    deadline), whether it has stopped since or is still running — so a timer breached on 31 March
    and stopped on 2 April is a breach of March;
  - a *running* or *paused* timer that is not breached is not measured yet (it counts later, in the
    period in which it ends); a *cancelled* timer never counts.

  Periods are half-open ``[start, end)``: a stop exactly at the period end belongs to the next period.
  All instants of one call are naive datetimes of one zone (as Frappe stores them), or all aware.
- Each availability / failure limit check of a period (``engine.availability.LimitCheck``) counts as
  one measured target, met when its ``met`` is True; a check that is not measurable (``met`` None,
  e.g. no service time) is not counted.
- A project's **rate** = met ÷ measured over all its agreements (every version) in the period.
- The **KPI** = the mean of the per-project rates of the projects that had measured targets
  (Σ rate ÷ number of projects); projects without measured targets are listed apart, counted neither
  as 0 nor as 100 %. A project is below target when its rate < target (95 % by default).
  This is not the ticket-weighted share (Σ met ÷ Σ measured), which :class:`Kpi` shows for comparison.

``count_targets`` takes timer tuples (:class:`TimerRow`) or :class:`TimerColumns` (numpy columns:
the vectorised path for large inputs; key columns as integer codes with their labels).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, NamedTuple

import numpy as np

from .errors import EngineError, _

MET = "Met"
BREACHED = "Breached"
RUNNING = "Running"
PAUSED = "Paused"
CANCELLED = "Cancelled"
STATUSES: tuple[str, ...] = (RUNNING, PAUSED, MET, BREACHED, CANCELLED)
STATUS_CODE = {s: i for i, s in enumerate(STATUSES)}

# metrics of the period results (the timer metrics and one per availability/failure limit)
RESPONSE = "Response"
RESOLUTION = "Resolution"
AVAILABILITY = "Availability"
FAILURES = "Number of Failures"
FAILURE_DURATION = "Failure Duration"
MTTR = "MTTR"
METRICS: tuple[str, ...] = (RESPONSE, RESOLUTION, AVAILABILITY, FAILURES, FAILURE_DURATION, MTTR)
# engine.availability LimitCheck.name -> metric
CHECK_METRIC = {
	"availability_pct": AVAILABILITY,
	"failures_per_month": FAILURES,
	"longest_failure_seconds": FAILURE_DURATION,
	"mttr_seconds": MTTR,
}
DEFAULT_TARGET = 0.95
_EPS = 1e-12
_NAT = np.datetime64("NaT", "us")


class TimerRow(NamedTuple):
	"""One ticket timer as plain data (status one of :data:`STATUSES`)."""

	agreement: Hashable
	project: Hashable
	metric: str
	priority: Hashable
	service_item: Hashable
	status: str
	stop: datetime | None
	breach_at: datetime | None


class Check(NamedTuple):
	"""One availability/failure limit check of an agreement's service item in the period."""

	agreement: Hashable
	project: Hashable
	service_item: Hashable
	metric: str  # a metric of METRICS or a LimitCheck name
	met: bool | None


class Key(NamedTuple):
	agreement: Hashable
	project: Hashable
	metric: str
	priority: Hashable
	service_item: Hashable


class Count(NamedTuple):
	met: int
	measured: int

	@property
	def rate(self) -> float | None:
		"""met ÷ measured, None when nothing was measured."""
		return self.met / self.measured if self.measured else None

	def __add__(self, other):  # type: ignore[override]
		return Count(self.met + other[0], self.measured + other[1])


@dataclass(frozen=True)
class TimerColumns:
	"""Timers as columns: ``codes`` int arrays index ``labels`` per key column; times datetime64[us]."""

	agreement: np.ndarray
	project: np.ndarray
	metric: np.ndarray
	priority: np.ndarray
	service_item: np.ndarray
	status: np.ndarray  # int codes of STATUSES
	stop: np.ndarray  # datetime64[us], NaT when none
	breach_at: np.ndarray
	labels: Mapping[str, Sequence[Hashable]]

	KEYS = ("agreement", "project", "metric", "priority", "service_item")

	@classmethod
	def from_rows(cls, rows: Iterable[Sequence[Any]]) -> TimerColumns:
		"""Columns of :class:`TimerRow`-like tuples (one pass; labels in first-seen order)."""
		cols: list[list] = [[] for _i in range(8)]
		maps: list[dict] = [{} for _i in range(5)]
		for row in rows:
			for i in range(5):
				m = maps[i]
				v = row[i]
				c = m.get(v)
				if c is None:
					c = m[v] = len(m)
				cols[i].append(c)
			cols[5].append(_status_code(row[5]))
			cols[6].append(row[6])
			cols[7].append(row[7])
		codes = [np.asarray(c, dtype=np.int64) for c in cols[:5]]
		return cls(
			*codes,
			status=np.asarray(cols[5], dtype=np.int8),
			stop=_dt64(cols[6]),
			breach_at=_dt64(cols[7]),
			labels={k: list(m) for k, m in zip(cls.KEYS, maps, strict=True)},
		)

	def __len__(self) -> int:
		return len(self.status)


def _status_code(status: Any) -> int:
	try:
		return STATUS_CODE[status]
	except KeyError:
		raise EngineError(_("Unknown timer status {0}").format(repr(status))) from None


def _naive(dt: datetime) -> datetime:
	return dt if dt.tzinfo is None else dt.astimezone(timezone.utc).replace(tzinfo=None)


def _dt64(values: Sequence[datetime | None]) -> np.ndarray:
	try:  # naive datetimes and None (NaT): numpy converts them in one go
		if not any(v is not None and v.tzinfo is not None for v in values):
			return np.array(values, dtype="datetime64[us]")
	except (AttributeError, TypeError, ValueError):
		pass
	return np.array([_NAT if v is None else np.datetime64(_naive(v), "us") for v in values], "datetime64[us]")


def timer_outcome(
	status: str, stop: datetime | None, breach_at: datetime | None, start: datetime, end: datetime
) -> bool | None:
	"""The counting rule for one timer: True met, False breached in ``[start, end)``, None not counted."""
	if status == MET:
		return True if stop is not None and start <= stop < end else None
	if status == BREACHED:
		return False if breach_at is not None and start <= breach_at < end else None
	_status_code(status)
	return None


def _check_rows(checks: Iterable[Sequence[Any]]) -> dict[Key, Count]:
	out: dict[Key, Count] = {}
	for agreement, project, service_item, metric, met in checks:
		if met is None:
			continue
		metric = CHECK_METRIC.get(metric, metric)
		if metric not in METRICS:
			raise EngineError(_("Unknown metric {0}").format(repr(metric)))
		key = Key(agreement, project, metric, "", service_item)
		c = out.get(key, Count(0, 0))
		out[key] = Count(c.met + (1 if met else 0), c.measured + 1)
	return out


def _label_array(labels: Sequence[Hashable]) -> np.ndarray:
	arr = np.empty(max(len(labels), 1), dtype=object)
	arr[: len(labels)] = list(labels)
	return arr


def _counted(
	cols: TimerColumns, period_start: datetime, period_end: datetime
) -> tuple[np.ndarray, np.ndarray]:
	"""Indexes of the timers counted in the period (the counting rule) and whether each was met."""
	if period_end <= period_start:
		raise EngineError(_("The period must end after it starts"))
	s = np.datetime64(_naive(period_start), "us")
	e = np.datetime64(_naive(period_end), "us")
	st = cols.status
	breached = st == STATUS_CODE[BREACHED]
	t = np.where(breached, cols.breach_at, cols.stop)
	counted = (breached | (st == STATUS_CODE[MET])) & (t >= s) & (t < e)  # NaT compares False
	idx = np.flatnonzero(counted)
	return idx, ~breached[idx]


def _group(cols: TimerColumns, idx: np.ndarray, met: np.ndarray, keys: Sequence[str]):
	"""``(label tuples, met, measured)`` of the counted timers grouped by the key columns ``keys``."""
	if not len(idx):
		return [], [], []
	codes = [np.asarray(getattr(cols, k))[idx].astype(np.int64) for k in keys]
	sizes = [max(len(cols.labels[k]), 1) for k in keys]
	if float(np.prod(np.asarray(sizes, dtype=np.float64))) < 2.0**62:
		combined = np.zeros(len(idx), dtype=np.int64)
		for c, n in zip(codes, sizes, strict=True):
			combined = combined * n + c
		uniq, inv = np.unique(combined, return_inverse=True)
		parts = []
		for n in reversed(sizes):
			uniq, r = np.divmod(uniq, n)
			parts.append(r)
		parts.reverse()
	else:  # too many labels for one int64 code: unique rows
		rows, inv = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
		parts = [rows[:, j] for j in range(len(keys))]
	inv = np.asarray(inv).reshape(-1)
	k = len(parts[0])
	measured = np.bincount(inv, minlength=k)
	n_met = np.bincount(inv, weights=met, minlength=k).astype(np.int64)
	labels = [_label_array(cols.labels[key])[p].tolist() for key, p in zip(keys, parts, strict=True)]
	return list(zip(*labels, strict=True)), n_met.tolist(), measured.tolist()


def count_targets(
	timers: TimerColumns | Iterable[Sequence[Any]],
	period_start: datetime,
	period_end: datetime,
	*,
	checks: Iterable[Sequence[Any]] = (),
) -> dict[Key, Count]:
	"""Met and measured targets of ``[period_start, period_end)`` per (agreement, project, metric,
	priority, service item): the timers by the counting rule, plus the limit ``checks`` (priority "")."""
	cols = timers if isinstance(timers, TimerColumns) else TimerColumns.from_rows(timers)
	idx, met = _counted(cols, period_start, period_end)
	keys, n_met, measured = _group(cols, idx, met, TimerColumns.KEYS)
	out: dict[Key, Count] = {Key(*k): Count(m_, n_) for k, m_, n_ in zip(keys, n_met, measured, strict=True)}
	for key, c in _check_rows(checks).items():
		out[key] = out.get(key, Count(0, 0)) + c
	return out


def project_counts(
	timers: TimerColumns | Iterable[Sequence[Any]],
	period_start: datetime,
	period_end: datetime,
	*,
	checks: Iterable[Sequence[Any]] = (),
) -> dict[Hashable, Count]:
	"""``project_rates(count_targets(...))`` without the per-key step: met and measured per project."""
	cols = timers if isinstance(timers, TimerColumns) else TimerColumns.from_rows(timers)
	idx, met = _counted(cols, period_start, period_end)
	keys, n_met, measured = _group(cols, idx, met, ("project",))
	out: dict[Hashable, Count] = {
		k[0]: Count(m_, n_) for k, m_, n_ in zip(keys, n_met, measured, strict=True)
	}
	for key, c in _check_rows(checks).items():
		out[key[1]] = out.get(key[1], Count(0, 0)) + c
	return out


def project_rates(counts: Mapping[Key, Count | tuple[int, int]]) -> dict[Hashable, Count]:
	"""Met and measured per project over all its agreements (``.rate`` = met ÷ measured)."""
	out: dict[Hashable, Count] = {}
	for key, c in counts.items():
		project = key[1]
		out[project] = out.get(project, Count(0, 0)) + c
	return out


@dataclass(frozen=True)
class Kpi:
	"""The KPI of a period: ``value`` the mean of per-project rates (None without measured projects)."""

	value: float | None
	target: float
	rates: Mapping[Hashable, float]  # per measured project
	unmeasured: tuple[Hashable, ...]  # projects without measured targets (listed, not counted)
	below: tuple[Hashable, ...]  # measured projects below target
	met: int
	measured: int

	@property
	def weighted_share(self) -> float | None:
		"""Σ met ÷ Σ measured over all projects — for comparison only, not the KPI."""
		return self.met / self.measured if self.measured else None

	@property
	def on_target(self) -> bool | None:
		return None if self.value is None else self.value >= self.target - _EPS


def kpi(
	rates: Mapping[Hashable, Count | tuple[int, int]],
	target: float = DEFAULT_TARGET,
	*,
	projects: Iterable[Hashable] = (),
) -> Kpi:
	"""The KPI over ``rates`` (from :func:`project_rates`); ``projects``: every project of the scope, so
	that those without any count are listed too. ``target`` is a fraction (0.95)."""
	if not 0 <= target <= 1:
		raise EngineError(_("The KPI target is a fraction between 0 and 1, not {0}").format(target))
	per: dict[Hashable, float] = {}
	met = measured = 0
	for project, c in rates.items():
		m_, n_ = int(c[0]), int(c[1])
		if m_ < 0 or n_ < 0 or m_ > n_:
			raise EngineError(_("Project {0}: met must lie between 0 and measured").format(project))
		if n_:
			per[project] = m_ / n_
			met += m_
			measured += n_
	unmeasured = sorted({*rates, *projects} - set(per), key=str)
	value = sum(per.values()) / len(per) if per else None
	below = tuple(sorted((p for p, r in per.items() if r < target - _EPS), key=str))
	return Kpi(value, target, per, tuple(unmeasured), below, met, measured)


# periods of the frozen results ----------------------------------------------------------------------------

MONTH, QUARTER, YEAR = "Month", "Quarter", "Year"
PERIOD_MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}


def _add_months(d: date, months: int) -> date:
	m = d.month - 1 + months
	return date(d.year + m // 12, m % 12 + 1, 1)


def period_bounds(period_type: str, period_start: date) -> tuple[date, date]:
	"""``(first day, first day after)`` of the month, quarter or year starting on ``period_start``."""
	months = PERIOD_MONTHS.get(period_type)
	if months is None:
		raise EngineError(_("Unknown period type {0}").format(repr(period_type)))
	d = period_start
	if d.day != 1 or (d.month - 1) % months:
		raise EngineError(
			_("{0} is not the first day of a {1}").format(d.isoformat(), _(period_type).lower())
		)
	return d, _add_months(d, months)


def months_of(period_type: str, period_start: date) -> list[tuple[date, date]]:
	"""The months ``[first, first after)`` of the period."""
	return months_of_range(*period_bounds(period_type, period_start))


def months_of_range(start: date, end: date) -> list[tuple[date, date]]:
	"""The months ``[first, first after)`` from the month of ``start`` up to ``end`` (exclusive)."""
	start = date(start.year, start.month, 1)
	out = []
	while start < end:
		nxt = _add_months(start, 1)
		out.append((start, nxt))
		start = nxt
	return out


def latest_finished(period_type: str, today: date) -> date:
	"""The start of the latest period of the type that ended on or before ``today`` (its end is the first
	day after it)."""
	months = PERIOD_MONTHS.get(period_type)
	if months is None:
		raise EngineError(_("Unknown period type {0}").format(repr(period_type)))
	current = date(today.year, (today.month - 1) // months * months + 1, 1)
	return _add_months(current, -months)


def finished_on(today: date) -> list[tuple[str, date]]:
	"""The periods whose first day after is ``today``: those that ended yesterday (month, quarter, year)."""
	return [
		(t, latest_finished(t, today))
		for t in (MONTH, QUARTER, YEAR)
		if period_bounds(t, latest_finished(t, today))[1] == today
	]
