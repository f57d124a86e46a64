"""Vectorised deadlines and working time for arrays (numpy / pandas): the same table, searchsorted.

Inputs: numpy ``datetime64`` arrays (read as UTC, any unit), pandas ``DatetimeIndex`` / ``Series``
(tz-aware; naive ones raise NaiveDatetimeError), float POSIX seconds, or sequences of aware
datetimes. Missing values (NaT / NaN) give missing results. Results equal the scalar ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .calendar import US, WorkingCalendar, duration_us
from .errors import EngineError, NaiveDatetimeError, OutOfRangeError, _

NAT = np.iinfo(np.int64).min
_DATETIME64, _FLOAT, _PANDAS_INDEX, _PANDAS_SERIES, _OBJECT = range(5)


def _is_pandas(x: Any) -> bool:
	return type(x).__module__.split(".")[0] == "pandas"


def _instants_ns(cal: WorkingCalendar, x: Any) -> tuple[np.ndarray, np.ndarray, int, Any]:
	"""(int64 ns since the epoch, valid mask, kind, pandas meta) of an array of instants."""
	meta = None
	if _is_pandas(x):
		import pandas as pd

		if isinstance(x, pd.Series):
			kind, meta = _PANDAS_SERIES, (x.index, x.name)
			x = pd.DatetimeIndex(x) if x.dtype.kind == "M" else x
		else:
			kind = _PANDAS_INDEX
		if not isinstance(x, pd.DatetimeIndex):
			raise EngineError(_("Expected datetimes, got a pandas object of dtype {0}").format(x.dtype))
		if x.tz is None:
			raise NaiveDatetimeError(_("Naive pandas datetimes: localize them first (tz_localize)"))
		ns = np.asarray(x.tz_convert("UTC").as_unit("ns").asi8, dtype=np.int64)
		valid = ns != NAT
	else:
		arr = np.asarray(x)
		if arr.dtype.kind == "M":
			kind = _DATETIME64
			ns = arr.astype("datetime64[ns]").view(np.int64)
			valid = ns != NAT
		elif arr.dtype.kind in "fiu":
			kind = _FLOAT
			f = arr.astype(np.float64)
			valid = np.isfinite(f)
			ns = np.where(valid, np.round(np.where(valid, f, 0.0) * 1e6), 0).astype(np.int64) * 1000
		elif arr.dtype.kind == "O":
			kind = _OBJECT
			flat = arr.ravel()
			vals = [NAT if v is None else cal.to_us(v) * 1000 for v in flat.tolist()]
			ns = np.asarray(vals, dtype=np.int64).reshape(arr.shape)
			valid = ns != NAT
		else:
			raise EngineError(_("Unsupported array of instants, dtype {0}").format(arr.dtype))
	if valid.any():
		v = ns[valid]
		if v.min() < cal.lo_us * 1000 or v.max() > cal.hi_us * 1000:
			raise OutOfRangeError(_("Instants lie outside the calendar horizon {0}-{1}").format(*cal.horizon))
	return ns, valid, kind, meta


def _durations_us(seconds: Any) -> np.ndarray:
	if _is_pandas(seconds):
		seconds = seconds.to_numpy()
	if np.isscalar(seconds) or (not hasattr(seconds, "__len__") and not isinstance(seconds, np.ndarray)):
		return np.asarray(duration_us(seconds), dtype=np.int64)
	arr = np.asarray(seconds)
	if arr.dtype.kind == "m":
		us = arr.astype("timedelta64[us]").view(np.int64)
		if (us == NAT).any():
			raise EngineError(_("Durations must not be missing (NaT)"))
	elif arr.dtype.kind in "fiu":
		f = arr.astype(np.float64)
		if not np.isfinite(f).all():
			raise EngineError(_("Durations must be finite numbers of seconds"))
		us = np.round(f * 1e6).astype(np.int64)
	else:
		raise EngineError(_("Unsupported array of durations, dtype {0}").format(arr.dtype))
	if (us < 0).any():
		raise EngineError(_("Durations must not be negative"))
	return us


def _out(cal: WorkingCalendar, ns: np.ndarray, valid: np.ndarray, kind: int, meta: Any) -> Any:
	if kind == _FLOAT:
		return np.where(valid, (ns // 1000) / 1e6, np.nan)
	ns = np.where(valid, ns, NAT)
	if kind == _DATETIME64:
		return ns.view("datetime64[ns]")
	if kind == _OBJECT:
		out = np.empty(ns.shape, dtype=object)
		flat = out.ravel()
		for i, (v, ok) in enumerate(zip(ns.ravel().tolist(), valid.ravel().tolist(), strict=True)):
			flat[i] = cal.from_us(v // 1000) if ok else None
		return flat.reshape(ns.shape)
	import pandas as pd

	idx = pd.DatetimeIndex(ns.ravel().view("datetime64[ns]")).tz_localize("UTC").tz_convert(cal.zone)
	if kind == _PANDAS_INDEX:
		return idx
	index, name = meta
	return pd.Series(idx, index=index, name=name)


def _worked_ns(cal: WorkingCalendar, t: np.ndarray) -> np.ndarray:
	s, e, c = cal.ns_table()
	i = np.searchsorted(s, t, side="right") - 1
	ic = np.maximum(i, 0)
	return np.where(i >= 0, c[ic] + np.minimum(t, e[ic]) - s[ic], 0)


def add_bulk(cal: WorkingCalendar, starts: Any, seconds: Any) -> Any:
	"""Deadlines for arrays of starts and durations (seconds: array or scalar); same kind as ``starts``."""
	t, valid, kind, meta = _instants_ns(cal, starts)
	s_ns = _durations_us(seconds) * 1000
	t, s_ns, valid = np.broadcast_arrays(t, s_ns, valid)
	s_tab, _e, c_tab = cal.ns_table()
	y = _worked_ns(cal, t) + s_ns
	if (valid & (s_ns > 0) & (y > cal.total_us * 1000)).any():
		raise cal._beyond()
	j = np.maximum(np.searchsorted(c_tab, y, side="left") - 1, 0)
	out = np.where(s_ns == 0, t, s_tab[j] + y - c_tab[j])
	return _out(cal, out, valid, kind, meta)


def between_bulk(cal: WorkingCalendar, a: Any, b: Any) -> np.ndarray:
	"""Working seconds in ``[a, b)`` element-wise (float seconds, NaN where an input is missing)."""
	ta, va, _k, _m = _instants_ns(cal, a)
	tb, vb, _k, _m = _instants_ns(cal, b)
	ta, tb, va, vb = np.broadcast_arrays(ta, tb, va, vb)
	valid = va & vb
	if (valid & (tb < ta)).any():
		raise EngineError(_("An end is before its start"))
	diff = _worked_ns(cal, tb) - _worked_ns(cal, ta)
	q, r = np.divmod(diff, 1000)
	return np.where(valid, q / US + r / 1e9, np.nan)
