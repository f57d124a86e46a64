"""Availability, failures, MTTR and MTBF per key (service item of an agreement) and period — pure, no Frappe.

Input is plain data: outages ``(key, start, end, kind)`` with aware datetimes (``end`` None while the
outage is open), periods ``[start, end)``, the agreement's :class:`~.calendar.WorkingCalendar` (its
service hours) per key, and ``now`` for open outages. Working time comes from the calendar's table
(the cumulative working time ``W``, as in :mod:`.bulk`), so every figure is exact to the microsecond.

Counting rules:

- **Service time** of a period = working time of the calendar in the period minus the planned
  maintenance (kind ``Planned Maintenance``) that falls in working time. Maintenance is neither a
  failure nor downtime, and a failure during maintenance is not downtime either.
- **Downtime** = working time, outside maintenance, covered by at least one failure of the key
  (overlapping failures are merged first, so an instant counts once), cut exactly at the period and
  service-hour boundaries. **Availability %** = 100 × (service − downtime) / service; None when the
  service time is 0.
- **Degraded** outages count with ``degraded_weight`` (default 0): at 0 a degraded outage is recorded
  but is neither a failure nor downtime (the service works, worse); with a weight w > 0 it is a
  failure like ``Down`` (merged with the others, counted, timed) and its time not also covered by a
  ``Down`` outage is downtime × w (w = 1: degraded is down).
- **Failures**: merged outages of a key form one failure (outages that overlap or touch count once).
  A failure counts only when it meets service time (one entirely outside the service hours or
  inside maintenance is no failure of the agreement). It is counted in the period in which it
  started, with its whole duration (up to ``now`` while open), so a failure crossing a month end is
  one failure of its first month — also for the limit on a single failure's duration; one that
  started before all given periods is counted in none (its downtime in the periods still counts).
- **Failure duration**: business seconds = working time of the failure outside maintenance; wall
  seconds = end − start. ``longest_failure_seconds`` and ``longest_failure_wall_seconds`` are the
  maxima of each (they may belong to different failures). **MTTR** = failure business seconds /
  failures; **MTBF** = (service − downtime) / failures; both None without failures.
- **Failures per month** = failures / months of the period: whole calendar months in the calendar's
  zone when the period runs from a local month start to a local month start, else days / 30.436875.
- **Open outages** count up to ``now`` (so at most to the period end); an outage with end == start,
  or an open one that starts after ``now``, is nothing.
- **Limits** (:class:`Limits`): availability % at least the target; failures per month at most the
  maximum; the longest failure (business seconds) at most the maximum; MTTR (business seconds) at
  most the maximum. Each check is met (True), not met (False) or, for availability without service
  time, not measurable (None); without failures the failure, duration and MTTR limits are met.

:func:`availability_batch` computes all keys and periods at once: outages become start/end events,
sorted once by (key, instant); running depths per kind then give every elementary segment, whose
working time is one ``searchsorted`` on the calendar table — no scalar calendar call per outage.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np

from .bulk import _worked_ns
from .calendar import EPOCH, ONE_US, US, WorkingCalendar
from .errors import EngineError, NaiveDatetimeError, OutOfRangeError, _

DOWN = "Down"
DEGRADED = "Degraded"
MAINTENANCE = "Planned Maintenance"
KINDS: tuple[str, ...] = (DOWN, DEGRADED, MAINTENANCE)
_KIND_CODE = {DOWN: 0, DEGRADED: 1, MAINTENANCE: 2, "down": 0, "degraded": 1, "maintenance": 2}
_KIND_CODE.update({k.lower(): v for k, v in list(_KIND_CODE.items())})
DAYS_PER_MONTH = 365.2425 / 12

AVAILABILITY = "availability_pct"
FAILURES_PER_MONTH = "failures_per_month"
LONGEST_FAILURE = "longest_failure_seconds"
MTTR = "mttr_seconds"


class Outage(NamedTuple):
	"""One recorded outage; a plain ``(key, start, end, kind)`` tuple works as well."""

	key: Hashable
	start: datetime
	end: datetime | None
	kind: str = DOWN


@dataclass(frozen=True)
class Limits:
	"""The agreed limits of one key; None: no limit of that kind."""

	availability_pct: float | None = None
	max_failures_per_month: float | None = None
	max_failure_seconds: float | None = None
	max_mttr_seconds: float | None = None


class LimitCheck(NamedTuple):
	"""One limit against its figure: ``met`` True / False, None when the figure is not measurable."""

	name: str
	limit: float
	actual: float | None
	met: bool | None


@dataclass(frozen=True, slots=True)
class Metrics:
	"""The figures of one key in one period (seconds are float, resolved to the microsecond)."""

	key: Hashable
	period_start: datetime
	period_end: datetime
	service_seconds: float
	maintenance_seconds: float
	downtime_seconds: float
	availability_pct: float | None
	failures: int
	failures_per_month: float
	failure_seconds: float
	failure_wall_seconds: float
	longest_failure_seconds: float
	longest_failure_wall_seconds: float
	mttr_seconds: float | None
	mtbf_seconds: float | None
	checks: tuple[LimitCheck, ...] = ()

	@property
	def met(self) -> bool | None:
		"""False when a limit is not met, None when none is checked or one is not measurable."""
		if not self.checks:
			return None
		values = [c.met for c in self.checks]
		if False in values:
			return False
		return None if None in values else True


def _us(dt: Any) -> int:
	try:
		return (dt - EPOCH) // ONE_US
	except TypeError:
		if isinstance(dt, datetime):
			raise NaiveDatetimeError(
				_("Naive datetime {0}: pass an aware datetime (see WorkingCalendar.localize)").format(dt)
			) from None
		raise EngineError(_("Expected a datetime, got {0}").format(repr(dt))) from None


def _months(cal: WorkingCalendar, a: datetime, b: datetime) -> float:
	la, lb = a.astimezone(cal.zone), b.astimezone(cal.zone)
	whole = all(x.day == 1 and not (x.hour or x.minute or x.second or x.microsecond) for x in (la, lb))
	if whole:
		return float((lb.year - la.year) * 12 + lb.month - la.month)
	return (_us(b) - _us(a)) / US / 86_400 / DAYS_PER_MONTH


def _worked(cal: WorkingCalendar, t: np.ndarray) -> np.ndarray:
	"""W(t) in µs for int64 µs instants (constant outside the table, so clipping is exact)."""
	t = np.clip(t, cal.lo_us, cal.hi_us)
	return _worked_ns(cal, t * 1000) // 1000


def check_limits(m: Metrics, limits: Limits | None) -> tuple[LimitCheck, ...]:
	"""The limit checks of ``m`` (see the module docstring for the rules)."""
	if limits is None:
		return ()
	out = []
	if limits.availability_pct is not None:
		a = m.availability_pct
		out.append(
			LimitCheck(
				AVAILABILITY, limits.availability_pct, a, None if a is None else a >= limits.availability_pct
			)
		)
	if limits.max_failures_per_month is not None:
		f = m.failures_per_month
		out.append(
			LimitCheck(
				FAILURES_PER_MONTH, limits.max_failures_per_month, f, f <= limits.max_failures_per_month
			)
		)
	if limits.max_failure_seconds is not None:
		x = m.longest_failure_seconds
		out.append(
			LimitCheck(LONGEST_FAILURE, limits.max_failure_seconds, x, x <= limits.max_failure_seconds)
		)
	if limits.max_mttr_seconds is not None:
		r = m.mttr_seconds
		out.append(LimitCheck(MTTR, limits.max_mttr_seconds, r, r is None or r <= limits.max_mttr_seconds))
	return tuple(out)


def _parse_outages(
	outages: Iterable[Any], code_of: Mapping[Hashable, int], now_us: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
	keys: list[int] = []
	starts: list[int] = []
	ends: list[int] = []
	kinds: list[int] = []
	kind_code = _KIND_CODE
	for o in outages:
		key, start, end, kind = o
		try:
			c = code_of[key]
		except (KeyError, TypeError):
			raise EngineError(_("Outage of {0}: no calendar given for it").format(repr(key))) from None
		k = kind_code.get(kind)
		if k is None:
			k = kind_code.get(str(kind).strip().lower()) if isinstance(kind, str) else None
			if k is None:
				raise EngineError(_("Unknown outage kind {0}").format(repr(kind)))
		s = _us(start)
		if end is None:
			if now_us is None:
				raise EngineError(_("An open outage needs the current time (now)"))
			e = now_us
			if e <= s:
				continue
		else:
			e = _us(end)
			if e < s:
				raise EngineError(_("Outage of {0} ends before it starts").format(repr(key)))
			if e == s:
				continue
		keys.append(c)
		starts.append(s)
		ends.append(e)
		kinds.append(k)
	return (
		np.asarray(keys, dtype=np.int64),
		np.asarray(starts, dtype=np.int64),
		np.asarray(ends, dtype=np.int64),
		np.asarray(kinds, dtype=np.int64),
	)


def availability_batch(
	outages: Iterable[Any],
	calendars: Mapping[Hashable, WorkingCalendar],
	periods: Sequence[tuple[datetime, datetime]],
	*,
	now: datetime | None = None,
	limits: Mapping[Hashable, Limits | None] | Limits | None = None,
	degraded_weight: float = 0.0,
) -> dict[Hashable, list[Metrics]]:
	"""Metrics of every key of ``calendars`` in every period: ``{key: [Metrics per period]}``.

	``periods`` are sorted, non-overlapping ``[start, end)`` pairs of aware datetimes (e.g. the months
	of a year); ``limits`` one :class:`Limits` for all keys or a mapping key -> Limits.
	"""
	w = float(degraded_weight)
	if not 0.0 <= w <= 1.0:
		raise EngineError(_("The weight of degraded outages must lie between 0 and 1"))
	now_us = None if now is None else _us(now)
	P = len(periods)
	ps = np.asarray([_us(a) for a, _b in periods], dtype=np.int64)
	pe = np.asarray([_us(b) for _a, b in periods], dtype=np.int64)
	if P and ((pe <= ps).any() or (ps[1:] < pe[:-1]).any()):
		raise EngineError(_("Periods must be sorted, non-empty and must not overlap"))

	# key codes grouped by calendar, so that each calendar's events form one slice
	cal_list: list[WorkingCalendar] = []
	cal_index: dict[int, int] = {}
	key_cal: list[int] = []
	key_list = list(calendars)
	for k in key_list:
		cal = calendars[k]
		ci = cal_index.get(id(cal))
		if ci is None:
			ci = cal_index[id(cal)] = len(cal_list)
			cal_list.append(cal)
			if P and (ps[0] < cal.lo_us or pe[-1] > cal.hi_us):
				raise OutOfRangeError(
					_("The periods lie outside the calendar horizon {0}-{1}").format(*cal.horizon)
				)
		key_cal.append(ci)
	order = sorted(range(len(key_list)), key=key_cal.__getitem__)
	keys_sorted = [key_list[i] for i in order]
	code_cal = np.asarray([key_cal[i] for i in order], dtype=np.int64)
	code_of = {k: c for c, k in enumerate(keys_sorted)}
	nk = len(keys_sorted)

	# service time per calendar and period
	period_work = np.zeros((len(cal_list), P), dtype=np.int64)
	for ci, cal in enumerate(cal_list):
		if P:
			period_work[ci] = _worked(cal, pe) - _worked(cal, ps)

	kc, s, e, kind = _parse_outages(outages, code_of, now_us)
	fail_kind = (kind == 0) | ((kind == 1) & (w > 0))
	down = np.zeros(nk * P, dtype=np.float64)
	fail = np.zeros(nk * P, dtype=np.float64)
	maint = np.zeros(nk * P, dtype=np.float64)
	n_fail = np.zeros(nk * P, dtype=np.int64)
	f_bus = np.zeros(nk * P, dtype=np.float64)
	f_wall = np.zeros(nk * P, dtype=np.float64)
	max_bus = np.zeros(nk * P, dtype=np.float64)
	max_wall = np.zeros(nk * P, dtype=np.float64)

	if len(kc) and P:
		# events: outage starts (+1) and ends (-1), and the period boundaries of each key with outages
		bounds = np.unique(np.concatenate((ps, pe)))
		with_out = np.unique(kc)
		n = len(kc)
		ev_key = np.concatenate((kc, kc, np.repeat(with_out, len(bounds))))
		ev_t = np.concatenate((s, e, np.tile(bounds, len(with_out))))
		nb = len(ev_key) - 2 * n
		ev_d = np.concatenate((np.ones(n, np.int64), -np.ones(n, np.int64), np.zeros(nb, np.int64)))
		ev_kind = np.concatenate((kind, kind, np.full(nb, 3, np.int64)))
		ev_fail = np.concatenate((fail_kind, fail_kind, np.zeros(nb, bool)))
		# starts before ends at one instant: touching failures merge into one
		o = np.lexsort((-ev_d, ev_t, ev_key))
		ev_key, ev_t, ev_d, ev_kind, ev_fail = ev_key[o], ev_t[o], ev_d[o], ev_kind[o], ev_fail[o]
		d_down = np.cumsum(np.where(ev_kind == 0, ev_d, 0))
		d_maint = np.cumsum(np.where(ev_kind == 2, ev_d, 0))
		f_delta = np.where(ev_fail, ev_d, 0)
		d_fail = np.cumsum(f_delta)

		# working time at each event, calendar by calendar (events are sorted by key code)
		W = np.empty(len(ev_t), dtype=np.int64)
		first_code = np.searchsorted(code_cal, np.arange(len(cal_list) + 1), side="left")
		cut = np.searchsorted(ev_key, first_code, side="left")
		for ci, cal in enumerate(cal_list):
			a, b = cut[ci], cut[ci + 1]
			if b > a:
				W[a:b] = _worked(cal, ev_t[a:b])

		# elementary segments [t_i, t_i+1) of one key
		same = ev_key[:-1] == ev_key[1:]
		L = np.where(same, W[1:] - W[:-1], 0).astype(np.float64)
		t0 = ev_t[:-1]
		p = np.searchsorted(ps, t0, side="right") - 1
		pc = np.maximum(p, 0)
		in_p = same & (p >= 0) & (t0 < pe[pc])
		idx = ev_key[:-1] * P + pc
		no_maint = d_maint[:-1] == 0
		m = in_p & (d_down[:-1] > 0) & no_maint
		down = np.bincount(idx[m], L[m], minlength=nk * P)
		m = in_p & (d_fail[:-1] > 0) & no_maint
		fail = np.bincount(idx[m], L[m], minlength=nk * P)
		m = in_p & (d_maint[:-1] > 0)
		maint = np.bincount(idx[m], L[m], minlength=nk * P)

		# failures: a merged run of failure depth > 0
		before = d_fail - f_delta
		is_start = (f_delta > 0) & (before == 0)
		is_end = (d_fail == 0) & (before > 0)
		ep_id = np.cumsum(is_start) - 1
		n_ep = int(is_start.sum())
		if n_ep:
			ep_t0 = ev_t[is_start]
			ep_wall = (ev_t[is_end] - ep_t0).astype(np.float64)
			ep_key = ev_key[is_start]
			m = same & (d_fail[:-1] > 0) & no_maint
			ep_bus = np.bincount(ep_id[:-1][m], L[m], minlength=n_ep)
			q = np.searchsorted(ps, ep_t0, side="right") - 1
			qc = np.maximum(q, 0)
			counted = (q >= 0) & (ep_t0 < pe[qc]) & (ep_bus > 0)
			j = (ep_key * P + qc)[counted]
			ep_bus, ep_wall = ep_bus[counted], ep_wall[counted]
			n_fail = np.bincount(j, minlength=nk * P)
			f_bus = np.bincount(j, ep_bus, minlength=nk * P)
			f_wall = np.bincount(j, ep_wall, minlength=nk * P)
			np.maximum.at(max_bus, j, ep_bus)
			np.maximum.at(max_wall, j, ep_wall)

	downtime = down + w * (fail - down) if w > 0 else down

	# results
	months = [[_months(cal, a, b) for a, b in periods] for cal in cal_list]
	shared_limits = limits if isinstance(limits, Limits) or limits is None else None
	out: dict[Hashable, list[Metrics]] = {}
	dt = downtime.tolist()
	mt = maint.tolist()
	nf = n_fail.tolist()
	fb, fw, mb, mw = f_bus.tolist(), f_wall.tolist(), max_bus.tolist(), max_wall.tolist()
	pw = period_work.tolist()
	for c, key in enumerate(keys_sorted):
		ci = int(code_cal[c])
		lim = shared_limits if shared_limits is not None or limits is None else limits.get(key)
		row = []
		for pi, (a, b) in enumerate(periods):
			i = c * P + pi
			service = (pw[ci][pi] - mt[i]) / US
			down_s = dt[i] / US
			f = nf[i]
			up = service - down_s
			metric = Metrics(
				key=key,
				period_start=a,
				period_end=b,
				service_seconds=service,
				maintenance_seconds=mt[i] / US,
				downtime_seconds=down_s,
				availability_pct=100.0 * up / service if service > 0 else None,
				failures=f,
				failures_per_month=f / months[ci][pi] if months[ci][pi] > 0 else float(f),
				failure_seconds=fb[i] / US,
				failure_wall_seconds=fw[i] / US,
				longest_failure_seconds=mb[i] / US,
				longest_failure_wall_seconds=mw[i] / US,
				mttr_seconds=fb[i] / US / f if f else None,
				mtbf_seconds=up / f if f else None,
			)
			if lim is not None:
				object.__setattr__(metric, "checks", check_limits(metric, lim))
			row.append(metric)
		out[key] = row
	return {k: out[k] for k in key_list}


def availability(
	outages: Iterable[Any],
	calendar: WorkingCalendar,
	period_start: datetime,
	period_end: datetime,
	*,
	now: datetime | None = None,
	limits: Limits | None = None,
	degraded_weight: float = 0.0,
) -> Metrics:
	"""Metrics of one key in ``[period_start, period_end)``; the outages' keys are ignored."""
	rows = [(None, o[1], o[2], o[3] if len(o) > 3 else DOWN) for o in outages]
	res = availability_batch(
		rows,
		{None: calendar},
		[(period_start, period_end)],
		now=now,
		limits=limits,
		degraded_weight=degraded_weight,
	)
	return res[None][0]
