# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""The "achieved" column of the traceability report: what was measured against each agreed line.

Response and resolution lines: the attainment of the agreement's SLA Timers that trace to the line (a
timer carries the requirement line of the target it runs for), met ÷ measured. Counting rule: a timer is
measured once it ended — stopped (Met or Breached) or breached while still running (its deadline passed:
Breached); a running or paused timer not yet breached is not measured yet; a cancelled timer never. One
GROUP BY query on SLA Timer, through ``frappe.get_list`` (the caller's row rules apply).

Availability and failure lines: the figure of the agreement's validity up to now (or its end), measured
by the pure core (``engine.availability``) in the agreement's service calendar over the outages of the
line's service item (all the agreement's items for a line without one), read with ``frappe.get_list``.
Only signed agreements are measured.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import frappe
from frappe import _
from frappe.utils import getdate

from sla_management.common.compat import aggregate
from sla_management.engine import availability as av, plan_rules
from sla_management.engine.durations import format_business_seconds
from sla_management.engine.errors import EngineError
from sla_management.engine.ticket_timer import to_aware
from sla_management.engine.vocabulary import BREACHED, MET

TIMER = "SLA Timer"
OUTAGE = "SLA Outage"
TIMER_METRIC = {plan_rules.RESPONSE_TIME: "Response", plan_rules.RESOLUTION_TIME: "Resolution"}
LIMIT_METRICS = (
	plan_rules.AVAILABILITY,
	plan_rules.NUMBER_OF_FAILURES,
	plan_rules.FAILURE_FREQUENCY,
	plan_rules.FAILURE_DURATION,
)
LIMIT = 100_000


def timer_counts(agreements: list[str]) -> dict[tuple[str, str, str], tuple[int, int]]:
	"""``{(agreement, requirement line, "Response"/"Resolution"): (met, measured)}`` of ended timers."""
	if not agreements:
		return {}
	rows = frappe.get_list(
		TIMER,
		filters={"agreement": ("in", agreements), "status": ("in", (MET, BREACHED))},
		fields=["agreement", "requirement_metric", "metric", "status", aggregate("count", "name", "timers")],
		group_by="agreement, requirement_metric, metric, status",
		order_by="agreement asc",
		limit_page_length=0,
	)
	out: dict[tuple[str, str, str], list[int]] = {}
	for r in rows:
		counts = out.setdefault((r.agreement, r.requirement_metric or "", r.metric), [0, 0])
		counts[1] += int(r.timers)
		if r.status == MET:
			counts[0] += int(r.timers)
	return {k: (v[0], v[1]) for k, v in out.items()}


def format_attainment(met: int, measured: int) -> str:
	return f"{100 * met / measured:.1f}% ({met}/{measured})"


def limit_metrics(docs: list, now: datetime, tz) -> dict[tuple[str, str], av.Metrics]:
	"""``{(agreement, service item): Metrics}`` over each signed agreement's validity up to ``now``."""
	from sla_management.sla_implement.doctype.sla_service_calendar.sla_service_calendar import (
		get_engine_calendar,
	)

	signed = [d for d in docs if d.docstatus == 1 and d.calendar]
	if not signed:
		return {}
	outages: dict[str, list] = {}
	for o in frappe.get_list(
		OUTAGE,
		filters={"agreement": ("in", [d.name for d in signed]), "kind": ("in", list(av.KINDS))},
		fields=["agreement", "service_item", "kind", "start", "end"],
		order_by="start asc",
		limit_page_length=LIMIT,
	):
		if o.service_item:
			outages.setdefault(o.agreement, []).append(
				((o.agreement, o.service_item), to_aware(o.start, tz), to_aware(o.end, tz), o.kind)
			)
	out = {}
	for doc in signed:
		cal = get_engine_calendar(doc.calendar)
		start = datetime.combine(getdate(doc.valid_from), time(), tzinfo=cal.zone)
		end = min(datetime.combine(getdate(doc.valid_to) + timedelta(days=1), time(), tzinfo=cal.zone), now)
		if end <= start:
			continue
		keys = {(doc.name, i.service_item) for i in doc.items if i.service_item}
		keys |= {o[0] for o in outages.get(doc.name, [])}
		try:
			result = av.availability_batch(
				outages.get(doc.name, []), dict.fromkeys(keys, cal), [(start, end)], now=now
			)
		except EngineError:
			continue  # outside the engine's years: not measurable here
		out.update({k: v[0] for k, v in result.items()})
	return out


def limit_achieved(metric: str, figures: list[av.Metrics]) -> str | None:
	"""The measured figure of an availability/failure line over ``figures`` (one per service item)."""
	if not figures:
		return None
	if metric == plan_rules.AVAILABILITY:
		service = sum(m.service_seconds for m in figures)
		if not service:
			return None
		down = sum(m.downtime_seconds for m in figures)
		return f"{100 * (service - down) / service:.3f}%"
	if metric == plan_rules.FAILURE_DURATION:
		return format_business_seconds(max(m.longest_failure_seconds for m in figures))
	failures = sum(m.failures for m in figures)
	per_month = sum(m.failures_per_month for m in figures)
	return _("Failures: {0} ({1} per month)").format(failures, f"{per_month:.2f}")
