"""Property tests: the engine against the minute-stepping oracle on random calendars."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, note, strategies as st

from sla_management.engine import (
	NoWorkingTimeError,
	SlaTimer,
	add_bulk,
	between_bulk,
)
from sla_management.engine.vocabulary import BREACHED

from .oracle import MINUTE, PROPERTY, SPAN_DAYS, Oracle, span_start, specs

UTC = timezone.utc
N = SPAN_DAYS * 24 * 60  # minutes in the oracle span
FIRST = N // 2  # starts are drawn from the first half of the span


def _setup(spec_base):
	spec, base = spec_base
	note(repr(spec))
	return spec, spec.calendar(), Oracle(spec, span_start(spec, base), N)


@PROPERTY
@given(specs(), st.data())
def test_add_matches_oracle(spec_base, data):
	_spec, cal, o = _setup(spec_base)
	i = data.draw(st.integers(0, FIRST), label="start")
	available = o.between(i, N)
	k = data.draw(st.integers(0, available), label="minutes")
	got = cal.add(o.dt(i), k * MINUTE)
	assert got.tzinfo is cal.zone
	assert int(got.timestamp()) == o.t(o.add(i, k))
	# the same start given in another zone gives the same instant
	assert cal.add(o.dt(i).astimezone(cal.zone), timedelta(minutes=k)) == got


@PROPERTY
@given(specs(), st.data())
def test_between_is_working_next_working_match_oracle(spec_base, data):
	_spec, cal, o = _setup(spec_base)
	i = data.draw(st.integers(0, N - 1), label="a")
	j = data.draw(st.integers(i, N - 1), label="b")
	assert cal.between(o.dt(i), o.dt(j)) == o.between(i, j) * MINUTE
	assert cal.is_working(o.dt(i)) == bool(o.flags[i])
	nxt = o.next_working(i)
	if nxt is not None:
		assert int(cal.next_working(o.dt(i)).timestamp()) == o.t(nxt)


@PROPERTY
@given(specs(), st.data())
def test_add_between_inverse_and_monotonic(spec_base, data):
	_spec, cal, o = _setup(spec_base)
	# any microsecond, not only minutes
	t0 = o.t(0) * 1_000_000
	us = data.draw(st.integers(t0, t0 + FIRST * MINUTE * 1_000_000), label="start_us")
	start = datetime.fromtimestamp(0, UTC) + timedelta(microseconds=us - 0)
	s1 = data.draw(st.integers(0, 3 * 86400 * 1_000_000), label="s1_us") / 1e6
	s2 = data.draw(st.integers(0, 3 * 86400 * 1_000_000), label="s2_us") / 1e6
	try:
		d1, d2 = cal.add(start, s1), cal.add(start, s2)
	except NoWorkingTimeError:
		return  # finite calendar (only make-up workdays) with too little time
	assert cal.between(start, d1) == s1
	assert cal.between(start, d2) == s2
	assert (d1 <= d2) == (s1 <= s2) or s1 == s2
	assert d1 >= start
	if s1 > 0:
		# the deadline is the earliest such instant: one microsecond earlier is not enough
		assert cal.between(start, d1 - timedelta(microseconds=1)) < s1
	later = start + timedelta(microseconds=data.draw(st.integers(0, 86400 * 1_000_000)))
	try:
		assert cal.add(later, s1) >= d1
	except NoWorkingTimeError:
		pass


@PROPERTY
@given(specs(), st.data())
def test_bulk_equals_scalar(spec_base, data):
	spec, cal, o = _setup(spec_base)
	n = data.draw(st.integers(1, 30), label="n")
	idx = data.draw(st.lists(st.integers(0, FIRST), min_size=n, max_size=n), label="starts")
	micro = data.draw(st.lists(st.integers(0, 59_999_999), min_size=n, max_size=n), label="us")
	secs = data.draw(st.lists(st.integers(0, 2 * 86400 * 1000), min_size=n, max_size=n), label="ms")
	starts = [o.dt(i) + timedelta(microseconds=u) for i, u in zip(idx, micro, strict=True)]
	seconds = np.array(secs, dtype=np.float64) / 1000
	try:
		expected = [cal.add(t, float(s)) for t, s in zip(starts, seconds, strict=True)]
	except NoWorkingTimeError:
		with pytest.raises(NoWorkingTimeError):
			add_bulk(cal, np.array([t.timestamp() for t in starts]), seconds)
		return
	exp_us = np.array([(e - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1) for e in expected])
	# float POSIX seconds
	got_f = add_bulk(cal, np.array([t.timestamp() for t in starts]), seconds)
	assert got_f.tolist() == [e.timestamp() for e in expected]
	# datetime64 (UTC)
	d64 = np.array([np.datetime64(t.replace(tzinfo=None), "us") for t in starts])
	got_d = add_bulk(cal, d64, seconds)
	assert got_d.dtype == np.dtype("datetime64[ns]")
	assert (got_d.view(np.int64) == exp_us * 1000).all()
	# pandas, aware
	idx_pd = pd.DatetimeIndex(starts).tz_convert(spec.zone)
	got_p = add_bulk(cal, idx_pd, seconds)
	assert list(got_p) == expected
	# between_bulk == scalar between
	span_end = o.dt(N - 1)
	lengths = data.draw(st.lists(st.integers(0, 3 * 86400), min_size=n, max_size=n), label="lengths")
	ends = [min(t + timedelta(seconds=x), max(span_end, t)) for t, x in zip(starts, lengths, strict=True)]
	d64_end = np.array([np.datetime64(e.replace(tzinfo=None), "us") for e in ends])
	got_b = between_bulk(cal, d64, d64_end)
	assert got_b.tolist() == [cal.between(a, b) for a, b in zip(starts, ends, strict=True)]


@st.composite
def pauses(draw, lo: int, hi: int):
	out = []
	for _ in range(draw(st.integers(0, 4))):
		b = draw(st.integers(lo - 120, hi))
		if draw(st.integers(0, 5)) == 0:
			out.append((b, None))
		else:
			out.append((b, b + draw(st.integers(0, 24 * 60))))
	return out


@PROPERTY
@given(specs(), st.data())
def test_timer_matches_oracle(spec_base, data):
	_spec, cal, o = _setup(spec_base)
	start = data.draw(st.integers(130, FIRST // 2), label="start")
	at = data.draw(st.integers(start - 60, FIRST), label="at")
	stop = data.draw(st.one_of(st.none(), st.integers(start, FIRST + 600)), label="stop")
	ps = data.draw(pauses(start, FIRST), label="pauses")
	target = data.draw(st.integers(0, 48 * 60), label="target_minutes")
	exp = o.timer(start, target, ps, at, stop)
	timer = SlaTimer(
		o.dt(start),
		target * MINUTE,
		[(o.dt(b), None if e is None else o.dt(e)) for b, e in ps],
		None if stop is None else o.dt(stop),
	)
	try:
		res = timer.evaluate(cal, o.dt(at))
	except NoWorkingTimeError:  # pragma: no cover - evaluate reports an unreachable target as None
		raise
	assert res.elapsed_seconds == exp["elapsed"] * MINUTE
	assert res.paused_seconds == exp["paused"] * MINUTE
	assert res.remaining_seconds == (target - exp["elapsed"]) * MINUTE
	assert res.state == exp["state"]
	assert res.breached == (exp["state"] == BREACHED)
	if exp["deadline"] is not None:
		assert res.deadline is not None
		assert int(res.deadline.timestamp()) == o.t(exp["deadline"])
		assert res.breach_at == (res.deadline if res.breached else None)
	# a change of target keeps the history: same elapsed and paused time
	other = timer.with_target((target + 30) * MINUTE).evaluate(cal, o.dt(at))
	assert other.elapsed_seconds == res.elapsed_seconds
	assert other.paused_seconds == res.paused_seconds
