"""Property test: availability metrics against a minute-stepping oracle on random calendars and outages.

The oracle marks, minute by minute, which minutes are service time (tests/engine/oracle.py) and which
are covered by a failure, a degraded outage or maintenance; failures are the runs of covered minutes.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, note, strategies as st

from sla_management.engine.availability import DEGRADED, DOWN, MAINTENANCE, availability_batch

from ..engine.oracle import MINUTE, PROPERTY, SPAN_DAYS, Oracle, span_start, specs

N = SPAN_DAYS * 24 * 60
KINDS = (DOWN, DEGRADED, MAINTENANCE)


@st.composite
def outages(draw, now: int):
	out = []
	for _ in range(draw(st.integers(0, 8))):
		key = draw(st.sampled_from("ab"))
		i = draw(st.integers(0, N - 1))
		kind = draw(st.sampled_from(KINDS))
		if draw(st.integers(0, 5)) == 0:
			j = None  # open
		else:
			j = draw(st.integers(i, min(N, i + draw(st.sampled_from([30, 300, 3000, N])))))
		out.append((key, i, j, kind))
	return out


def oracle_metrics(o: Oracle, outs, key, periods, now, w):
	down = np.zeros(o.n, bool)
	deg = np.zeros(o.n, bool)
	maint = np.zeros(o.n, bool)
	for k, i, j, kind in outs:
		if k != key:
			continue
		j = now if j is None else j
		if j <= i:
			continue
		{DOWN: down, DEGRADED: deg, MAINTENANCE: maint}[kind][i:j] = True
	fail = down | deg if w > 0 else down
	service = o.flags & ~maint
	# runs of failure minutes
	runs = []
	i = 0
	while i < o.n:
		if fail[i]:
			j = i
			while j < o.n and fail[j]:
				j += 1
			runs.append((i, j, int(service[i:j].sum())))
			i = j
		else:
			i += 1
	res = []
	for a, b in periods:
		d = int((service & down)[a:b].sum()) + w * int((service & fail & ~down)[a:b].sum())
		mine = [r for r in runs if a <= r[0] < b and r[2] > 0]
		res.append(
			{
				"service": int(service[a:b].sum()) * MINUTE,
				"maintenance": int((o.flags & maint)[a:b].sum()) * MINUTE,
				"downtime": d * MINUTE,
				"failures": len(mine),
				"failure_seconds": sum(r[2] for r in mine) * MINUTE,
				"failure_wall": sum(r[1] - r[0] for r in mine) * MINUTE,
				"longest": max((r[2] for r in mine), default=0) * MINUTE,
				"longest_wall": max((r[1] - r[0] for r in mine), default=0) * MINUTE,
			}
		)
	return res


@PROPERTY
@given(specs(), st.data())
def test_metrics_match_minute_oracle(spec_base, data):
	spec, base = spec_base
	note(repr(spec))
	cal = spec.calendar()
	o = Oracle(spec, span_start(spec, base), N)
	now = data.draw(st.integers(0, N), label="now")
	outs = data.draw(outages(now), label="outages")
	cuts = sorted(data.draw(st.lists(st.integers(0, N), min_size=2, max_size=4, unique=True), label="cuts"))
	periods = list(itertools.pairwise(cuts))
	w = data.draw(st.sampled_from([0.0, 0.5, 1.0]), label="weight")
	rows = [(k, o.dt(i), None if j is None else o.dt(j), kind) for k, i, j, kind in outs]
	got = availability_batch(
		rows,
		{"a": cal, "b": cal},
		[(o.dt(a), o.dt(b)) for a, b in periods],
		now=o.dt(now),
		degraded_weight=w,
	)
	for key in "ab":
		want = oracle_metrics(o, outs, key, periods, now, w)
		for m, x in zip(got[key], want, strict=True):
			assert m.service_seconds == x["service"]
			assert m.maintenance_seconds == x["maintenance"]
			assert m.downtime_seconds == x["downtime"]
			assert m.failures == x["failures"]
			assert m.failure_seconds == x["failure_seconds"]
			assert m.failure_wall_seconds == x["failure_wall"]
			assert m.longest_failure_seconds == x["longest"]
			assert m.longest_failure_wall_seconds == x["longest_wall"]
			if x["service"]:
				assert abs(m.availability_pct - 100 * (x["service"] - x["downtime"]) / x["service"]) < 1e-9
			else:
				assert m.availability_pct is None
			if x["failures"]:
				assert m.mttr_seconds == x["failure_seconds"] / x["failures"]
				assert m.mtbf_seconds == (x["service"] - x["downtime"]) / x["failures"]
			else:
				assert m.mttr_seconds is None and m.mtbf_seconds is None
