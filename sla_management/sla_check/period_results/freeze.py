# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Frozen period results (issue 13): each agreement's and each service project's SLA result of a month,
quarter or year, written once as a submitted SLA Period Result.

- **What is measured** (the counting rule of ``engine.attainment``): every ticket timer that ended in the
  period (Met: its stop lies in it; Breached: its breach instant does), counted by the database (one
  GROUP BY per chunk); and every availability/failure limit check of each month of the period per
  service item of the agreement (``engine.availability.availability_batch`` over the SLA Outage rows in
  the agreement's service calendar, limits from ``sla_check.limits.limits_for``), one target each. A
  quarter counts the checks of its three months, a year those of its twelve, so results add up.
- **Which agreements**: submitted agreements valid on a day of the period, and those whose timers ended
  in it; a project's result sums the results of its agreements (all versions) of the period.
- **Time**: timers are compared in the system time zone (as stored); months of availability are the
  months of the agreement's calendar zone (as in the SLA Service Availability report).
- **Service credit**: from the agreement's credit schedule and monthly fee (``engine.credits``), per
  month (highest step of its items); a quarter or year sums its months' amounts, its % is the amount over
  the fee of its months.
- **Job**: the daily hook (``enqueue_finished_periods``) looks at the latest finished month, quarter and
  year, and enqueues a worker per chunk of agreements (and of projects) that have no result yet; each
  worker checks first, writes and submits one result per agreement/project and commits it. The unique
  ``result_key`` (period, scope, reference, revision) is the claim: a second worker's insert fails and is
  skipped, so re-running creates nothing new.
- **Recompute** (``recompute``): the managers only; cancel and amend (revision + 1) with the reason and
  who on the timeline; an agreement's recompute recomputes its project's result of the period too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate

from sla_management.engine import attainment as att, availability as av, credits as cr
from sla_management.engine.errors import EngineError
from sla_management.engine.roles import MANAGER_ROLES
from sla_management.engine.ticket_timer import to_aware
from sla_management.sla_check import limits as lim
from sla_management.sla_check.tickets.sync import system_tz
from sla_management.sla_implement.doctype.sla_service_calendar.sla_service_calendar import (
	get_engine_calendar,
)

RESULT = "SLA Period Result"
AGREEMENT = "SLA Agreement"
PROJECT = "SLA Service Project"
CREDIT = "SLA Agreement Service Credit"
SCOPE_AGREEMENT, SCOPE_PROJECT = "Agreement", "Project"
CHUNK = 50
SAVEPOINT = "sla_period_result"
WORKER = "sla_management.sla_check.period_results.freeze.freeze_chunk"
# the counting rule of engine.attainment, in SQL (t: SLA Timer)
COUNTED = """(
	(t.status = 'Met' and t.stop >= %(s)s and t.stop < %(e)s)
	or (t.status = 'Breached' and coalesce(t.breach_at, t.deadline) >= %(s)s
		and coalesce(t.breach_at, t.deadline) < %(e)s)
)"""
AGREEMENT_FIELDS = ("project", "customer_type", "customer", "calendar", "version", "valid_from", "valid_to")


def bounds(period_type: str, period_start) -> tuple[date, date]:
	"""First day and first day after of the period (a clear 417 for a wrong type or start)."""
	try:
		return att.period_bounds(period_type, getdate(period_start))
	except (EngineError, ValueError, TypeError) as exc:
		frappe.throw(str(exc), exc=frappe.ValidationError, title=_("Invalid Period"))


def _sql_bounds(start: date, end: date) -> dict:
	return {
		"s": datetime.combine(start, datetime.min.time()),
		"e": datetime.combine(end, datetime.min.time()),
	}


# which agreements ---------------------------------------------------------------------------------------


def agreements_of_period(start: date, end: date, projects: list[str] | None = None) -> list[str]:
	"""Submitted agreements valid on a day of ``[start, end)`` or with timers that ended in it."""
	values = {**_sql_bounds(start, end), "d0": start, "d1": end - timedelta(days=1), "p": projects or ()}
	by_project = "and a.project in %(p)s" if projects else ""
	rows = frappe.db.sql(
		f"""
		select a.name from `tab{AGREEMENT}` a
		where a.docstatus = 1 and a.valid_from <= %(d1)s and a.valid_to >= %(d0)s {by_project}
		union
		select distinct t.agreement from `tabSLA Timer` t
		join `tab{AGREEMENT}` a on a.name = t.agreement and a.docstatus = 1
		where {COUNTED} {by_project}
		""",
		values,
	)
	return sorted(r[0] for r in rows)


# figures ------------------------------------------------------------------------------------------------


def _timer_lines(names: list[str], start: date, end: date) -> dict[str, list[dict]]:
	"""Met/measured timers per agreement, metric, priority and service item: one GROUP BY."""
	if not names:
		return {}
	rows = frappe.db.sql(
		f"""
		select t.agreement, t.metric, ifnull(t.priority, '') as priority,
			ifnull(t.service_item, '') as service_item,
			sum(t.status = 'Met') as met, count(*) as measured
		from `tabSLA Timer` t
		where t.agreement in %(a)s and {COUNTED}
		group by t.agreement, t.metric, ifnull(t.priority, ''), ifnull(t.service_item, '')
		""",
		{**_sql_bounds(start, end), "a": names},
		as_dict=True,
	)
	out: dict[str, list[dict]] = defaultdict(list)
	for r in rows:
		out[r.agreement].append(
			{
				"metric": r.metric,
				"priority": r.priority,
				"service_item": r.service_item or None,
				"agreement": r.agreement,
				"measured": cint(r.measured),
				"met": cint(r.met),
			}
		)
	return out


def _credit_schedules(names: list[str]) -> dict[str, list]:
	if not names or not frappe.db.exists("DocType", CREDIT):
		return {}
	out: dict[str, list] = defaultdict(list)
	for r in frappe.get_all(
		CREDIT,
		filters={"parenttype": AGREEMENT, "parentfield": "service_credits", "parent": ("in", names)},
		fields=["parent", "availability_below", "credit_percent", "service_item"],
		order_by="idx asc",
	):
		out[r.parent].append(cr.Step(flt(r.availability_below), flt(r.credit_percent), r.service_item))
	return out


def _months_in(
	cal_zone, start: date, end: date, now: datetime
) -> list[tuple[date, date, datetime, datetime]]:
	"""(first day, first day after, start, end in the calendar's zone) of each month up to ``now``."""
	out = []
	for m0, m1 in att.months_of_range(start, end):
		a = datetime(m0.year, m0.month, 1, tzinfo=cal_zone)
		b = datetime(m1.year, m1.month, 1, tzinfo=cal_zone)
		if a >= now:
			break
		out.append((m0, m1, a, min(b, now)))
	return out


def _availability(agreements: dict, start: date, end: date) -> dict[str, dict]:
	"""Per agreement: ``{"items": {item: [(month, Metrics)]}, "credit": (percent, amount)}``."""
	with_cal = {n: a for n, a in agreements.items() if a.calendar}
	if not with_cal:
		return {}
	limits = lim.limits_for(list(with_cal))
	keys = set(limits)
	tz = system_tz()
	now = frappe.utils.now_datetime().replace(tzinfo=tz)
	wide0 = datetime.combine(start - timedelta(days=2), datetime.min.time())
	wide1 = datetime.combine(end + timedelta(days=2), datetime.min.time())
	outages = []
	for o in frappe.get_all(
		"SLA Outage",
		filters=[["agreement", "in", list(with_cal)], ["start", "<", wide1], ["kind", "in", list(av.KINDS)]],
		or_filters=[["end", "is", "not set"], ["end", ">", wide0]],
		fields=["agreement", "service_item", "kind", "start", "end"],
		limit_page_length=0,
	):
		if o.service_item:
			key = (o.agreement, o.service_item)
			if key not in keys:
				keys.add(key)
				limits[key] = lim.agreement_limits(with_cal[o.agreement])
			outages.append((key, to_aware(o.start, tz), to_aware(o.end, tz), o.kind))
	by_calendar: dict[str, list] = defaultdict(list)
	for key in keys:
		by_calendar[with_cal[key[0]].calendar].append(key)
	out: dict[str, dict] = {}
	for calendar_name, cal_keys in by_calendar.items():
		cal = get_engine_calendar(calendar_name)
		months = _months_in(cal.zone, start, end, now)
		if not months:
			continue
		wanted = set(cal_keys)
		try:
			result = av.availability_batch(
				[o for o in outages if o[0] in wanted],
				{k: cal for k in cal_keys},
				[(a, b) for _m0, _m1, a, b in months],
				now=now,
				limits={k: limits[k] for k in cal_keys},
			)
		except EngineError:
			frappe.log_error(title=_("Cannot measure availability of calendar {0}").format(calendar_name))
			continue
		for key in cal_keys:
			agreement = with_cal[key[0]]
			valid0, valid1 = getdate(agreement.valid_from), getdate(agreement.valid_to)
			rows = [
				(m0, m)
				for (m0, m1, _a, _b), m in zip(months, result[key], strict=True)
				if valid0 < m1 and valid1 >= m0  # the months the agreement is valid in
			]
			out.setdefault(key[0], {"items": {}})["items"][key[1]] = rows
	return out


def _check_lines(agreement: str, items: dict) -> tuple[list[dict], dict]:
	"""One line per (limit, item) over the months, and the agreement's availability figures."""
	lines = []
	tot = {"service": 0.0, "down": 0.0, "failures": 0, "longest": 0.0, "fail_s": 0.0}
	for item, rows in sorted(items.items()):
		service = sum(m.service_seconds for _m0, m in rows)
		down = sum(m.downtime_seconds for _m0, m in rows)
		failures = sum(m.failures for _m0, m in rows)
		fail_s = sum(m.failure_seconds for _m0, m in rows)
		longest = max((m.longest_failure_seconds for _m0, m in rows), default=0.0)
		tot["service"] += service
		tot["down"] += down
		tot["failures"] += failures
		tot["fail_s"] += fail_s
		tot["longest"] = max(tot["longest"], longest)
		actual = {
			av.AVAILABILITY: 100.0 * (service - down) / service if service > 0 else None,
			av.FAILURES_PER_MONTH: failures / len(rows) if rows else 0.0,
			av.LONGEST_FAILURE: longest,
			av.MTTR: fail_s / failures if failures else None,
		}
		per_limit: dict[str, list] = {}
		for _m0, m in rows:
			for c in m.checks:
				per_limit.setdefault(c.name, [c.limit, 0, 0])
				if c.met is not None:
					per_limit[c.name][1] += 1
					per_limit[c.name][2] += 1 if c.met else 0
		for name, (limit, measured, met) in per_limit.items():
			lines.append(
				{
					"metric": att.CHECK_METRIC[name],
					"priority": "",
					"service_item": item,
					"agreement": agreement,
					"measured": measured,
					"met": met,
					"actual": actual[name],
					"limit_value": limit,
				}
			)
	return lines, tot


def figures_of(names: list[str], start: date, end: date) -> dict[str, frappe._dict]:
	"""The live figures of the agreements ``names`` in ``[start, end)``, per agreement."""
	if not names:
		return {}
	fields = ["name", *AGREEMENT_FIELDS, *lim.DEFAULT_FIELDS[1:]]
	if frappe.get_meta(AGREEMENT).has_field("monthly_fee"):
		fields.append("monthly_fee")
	agreements = {
		a.name: a for a in frappe.get_all(AGREEMENT, filters={"name": ("in", names)}, fields=fields)
	}
	timers = _timer_lines(list(agreements), start, end)
	avail = _availability(agreements, start, end)
	schedules = _credit_schedules(list(agreements))
	out = {}
	for name, a in agreements.items():
		items = avail.get(name, {}).get("items", {})
		check_lines, tot = _check_lines(name, items)
		fee = flt(a.get("monthly_fee"))
		percent = amount = 0.0
		if schedules.get(name):
			by_month: dict[date, dict] = defaultdict(dict)
			for item, rows in items.items():
				for m0, m in rows:
					by_month[m0][item] = m.availability_pct
			monthly = [cr.agreement_credit_owed(v, schedules[name], fee) for v in by_month.values()]
			amount = sum(x[1] for x in monthly)
			if len(monthly) == 1:
				percent = monthly[0][0]
			elif monthly:
				percent = 100.0 * amount / (fee * len(monthly)) if fee else max(x[0] for x in monthly)
		out[name] = frappe._dict(
			agreement=a,
			lines=sorted(
				[*timers.get(name, []), *check_lines],
				key=lambda r: _line_order((r["metric"], r["priority"] or "", r["service_item"] or "")),
			),
			service=tot["service"],
			down=tot["down"],
			failures=tot["failures"],
			longest=tot["longest"],
			fail_s=tot["fail_s"],
			credit_percent=percent,
			credit_amount=amount,
		)
	return out


def _project_lines(figs: list[frappe._dict]) -> list[dict]:
	"""The agreements' lines summed per metric, priority and service item (actual and limit kept when one
	agreement gives the line, the limit when all give the same)."""
	merged: dict[tuple, dict] = {}
	for f in figs:
		for line in f.lines:
			key = (line["metric"], line["priority"] or "", line["service_item"] or "")
			m = merged.get(key)
			if m is None:
				merged[key] = {**line, "agreement": None}
				continue
			m["measured"] += line["measured"]
			m["met"] += line["met"]
			m["actual"] = None
			if m.get("limit_value") != line.get("limit_value"):
				m["limit_value"] = None
	return [merged[k] for k in sorted(merged, key=_line_order)]


def _line_order(key: tuple) -> tuple:
	metric, priority, item = key
	return (att.METRICS.index(metric) if metric in att.METRICS else 99, priority, item)


def _project_figures(figs: list[frappe._dict]) -> frappe._dict:
	return frappe._dict(
		lines=_project_lines(figs),
		service=sum(f.service for f in figs),
		down=sum(f.down for f in figs),
		failures=sum(f.failures for f in figs),
		longest=max((f.longest for f in figs), default=0.0),
		fail_s=sum(f.fail_s for f in figs),
		credit_percent=None,
		credit_amount=sum(f.credit_amount for f in figs),
	)


# documents ----------------------------------------------------------------------------------------------


def kpi_target() -> float:
	"""SLA Settings' KPI target (%), 95 while the setting is not there or not set: a site migrated before
	the field existed has no value stored (read as 0), and a 0 % target means none."""
	if frappe.get_meta("SLA Settings").has_field("kpi_target"):
		value = flt(frappe.db.get_single_value("SLA Settings", "kpi_target"))
		if value > 0:
			return value
	return 100 * att.DEFAULT_TARGET


def _result_doc(period_type, start, end, scope, reference, fig, *, target, revision=1):
	measured = sum(line["measured"] for line in fig.lines)
	met = sum(line["met"] for line in fig.lines)
	doc = frappe.new_doc(RESULT)
	doc.update(
		{
			"period_type": period_type,
			"period_start": start,
			"period_end": end - timedelta(days=1),
			"scope": scope,
			"measured": measured,
			"met": met,
			"rate": round(100.0 * met / measured, 6) if measured else None,
			"target": target,
			"availability_pct": round(100.0 * (fig.service - fig.down) / fig.service, 6)
			if fig.service > 0
			else None,
			"service_time": round(fig.service, 3),
			"downtime": round(fig.down, 3),
			"failures": fig.failures,
			"longest_failure": round(fig.longest, 3),
			"mttr": round(fig.fail_s / fig.failures, 3) if fig.failures else None,
			"credit_percent": fig.credit_percent,
			"credit_amount": fig.credit_amount,
			"frozen_on": frappe.utils.now_datetime(),
			"revision": revision,
		}
	)
	if scope == SCOPE_AGREEMENT:
		a = fig.agreement
		doc.update(
			{
				"agreement": a.name,
				"agreement_version": a.version,
				"project": a.project,
				"customer_type": a.customer_type,
				"customer": a.customer,
			}
		)
	else:
		p = frappe.db.get_value(PROJECT, reference, ["customer_type", "customer"], as_dict=True) or {}
		doc.update({"project": reference, **p})
	for line in fig.lines:
		row = dict(line)
		row["rate"] = round(100.0 * row["met"] / row["measured"], 6) if row["measured"] else None
		doc.append("lines", row)
	return doc


def _insert(doc, commit: bool) -> bool:
	"""Insert ``doc`` submitted; False when its key exists already (another worker was first)."""
	doc.flags.sla_period_result = True
	doc.flags.ignore_permissions = True
	doc.flags.ignore_links = True
	doc.docstatus = 1
	frappe.db.savepoint(SAVEPOINT)
	try:
		doc.insert()
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		frappe.db.rollback(save_point=SAVEPOINT)
		return False
	if commit:
		frappe.db.commit()  # nosemgrep: one result per transaction, so a crash keeps what is done
	return True


def _existing(period_type, start, scope, field, refs) -> dict[str, tuple[int, int]]:
	"""reference -> (submitted or draft results, highest revision) of the period."""
	if not refs:
		return {}
	out: dict[str, tuple[int, int]] = {}
	for r in frappe.get_all(
		RESULT,
		filters={"period_type": period_type, "period_start": start, "scope": scope, field: ("in", refs)},
		fields=[field, "docstatus", "revision"],
	):
		live, top = out.get(r[field], (0, 0))
		out[r[field]] = (live + (r.docstatus < 2), max(top, cint(r.revision)))
	return out


def freeze_chunk(period_type, period_start, agreements=None, projects=None, commit=True) -> int:
	"""Worker: write and submit the results of the given agreements and/or projects that have none yet.

	Returns how many it wrote. Idempotent: references with a result are skipped, and a concurrent insert
	of the same result fails on the unique key and is skipped."""
	start, end = bounds(period_type, period_start)
	target = kpi_target()
	agreements = list(agreements or [])
	projects = list(projects or [])
	written = 0
	if agreements:
		done = _existing(period_type, start, SCOPE_AGREEMENT, "agreement", agreements)
		todo = [a for a in agreements if not done.get(a, (0, 0))[0]]
		for name, fig in figures_of(todo, start, end).items():
			revision = done.get(name, (0, 0))[1] + 1
			doc = _result_doc(
				period_type, start, end, SCOPE_AGREEMENT, name, fig, target=target, revision=revision
			)
			written += _insert(doc, commit)
	if projects:
		done = _existing(period_type, start, SCOPE_PROJECT, "project", projects)
		todo = [p for p in projects if not done.get(p, (0, 0))[0]]
		figs = figures_of(agreements_of_period(start, end, todo) if todo else [], start, end)
		by_project: dict[str, list] = defaultdict(list)
		for fig in figs.values():
			by_project[fig.agreement.project].append(fig)
		for project in todo:
			fig = _project_figures(by_project.get(project, []))
			revision = done.get(project, (0, 0))[1] + 1
			doc = _result_doc(
				period_type, start, end, SCOPE_PROJECT, project, fig, target=target, revision=revision
			)
			written += _insert(doc, commit)
	return written


def _missing(period_type, start: date, end: date) -> tuple[list[str], list[str]]:
	"""Agreements and projects of the period without a result."""
	agreements = agreements_of_period(start, end)
	projects = sorted(
		{
			r.project
			for r in frappe.get_all(
				AGREEMENT, filters={"name": ("in", agreements)}, fields=["project"], distinct=True
			)
		}
		if agreements
		else set()
	)
	done_a = _existing(period_type, start, SCOPE_AGREEMENT, "agreement", agreements)
	done_p = _existing(period_type, start, SCOPE_PROJECT, "project", projects)
	return (
		[a for a in agreements if not done_a.get(a, (0, 0))[0]],
		[p for p in projects if not done_p.get(p, (0, 0))[0]],
	)


def freeze_period(period_type, period_start, *, enqueue=False, chunk_size=CHUNK, commit=True) -> frappe._dict:
	"""Freeze the period: every agreement and project without a result gets one. ``enqueue``: one long
	background job per chunk (the scheduler, the desk button); else the chunks run here (tests)."""
	start, end = bounds(period_type, period_start)
	agreements, projects = _missing(period_type, start, end)
	chunk_size = max(1, cint(chunk_size))
	chunks = [{"agreements": agreements[i : i + chunk_size]} for i in range(0, len(agreements), chunk_size)]
	chunks += [{"projects": projects[i : i + chunk_size]} for i in range(0, len(projects), chunk_size)]
	written = 0
	for chunk in chunks:
		if enqueue:
			refs = chunk.get("agreements") or chunk.get("projects")
			frappe.enqueue(
				WORKER,
				queue="long",
				job_id=f"sla-period-{period_type}-{start}-{frappe.generate_hash(str(refs), 10)}",
				deduplicate=True,
				period_type=period_type,
				period_start=str(start),
				**chunk,
			)
		else:
			written += freeze_chunk(period_type, start, commit=commit, **chunk)
	return frappe._dict(
		agreements=len(agreements), projects=len(projects), chunks=len(chunks), written=written
	)


def enqueue_finished_periods() -> None:
	"""Daily hook: the latest finished month, quarter and year; chunks of what has no result yet."""
	today = getdate(frappe.utils.nowdate())
	for period_type in (att.MONTH, att.QUARTER, att.YEAR):
		freeze_period(period_type, att.latest_finished(period_type, today), enqueue=True)


# desk ---------------------------------------------------------------------------------------------------


def _require_manager() -> None:
	if not set(frappe.get_roles()) & set(MANAGER_ROLES):
		frappe.throw(
			_("Only an SLA Operations Manager or a System Manager may freeze or recompute period results."),
			exc=frappe.PermissionError,
		)


@frappe.whitelist(methods=["POST"])
def freeze(period_type: str, period_start: str) -> dict:
	"""Desk button: enqueue the freeze of a finished period (managers only)."""
	_require_manager()
	start, end = bounds(period_type, period_start)
	if end > getdate(frappe.utils.nowdate()):
		frappe.throw(_("The period has not ended yet."), exc=frappe.ValidationError)
	return freeze_period(period_type, start, enqueue=True)


def _recompute_one(doc, reason: str):
	start, end = bounds(doc.period_type, doc.period_start)
	if doc.scope == SCOPE_AGREEMENT:
		fig = figures_of([doc.agreement], start, end).get(doc.agreement)
		if fig is None:
			frappe.throw(
				_("Agreement {0} no longer exists.").format(doc.agreement), exc=frappe.ValidationError
			)
	else:
		names = agreements_of_period(start, end, [doc.project])
		fig = _project_figures(list(figures_of(names, start, end).values()))
	new = _result_doc(
		doc.period_type,
		start,
		end,
		doc.scope,
		doc.agreement or doc.project,
		fig,
		target=kpi_target(),
		revision=cint(doc.revision) + 1,
	)
	new.amended_from = doc.name
	new.reason = reason
	doc.cancel()
	_insert(new, commit=False)
	new.add_comment(
		"Comment",
		_("Recomputed by {0} (revision {1}): {2}").format(
			frappe.utils.get_fullname(frappe.session.user), new.revision, reason
		),
	)
	return new


@frappe.whitelist(methods=["POST"])
def recompute(result: str, reason: str) -> str:
	"""Cancel a submitted result and submit its amendment from live data (revision + 1, the reason and
	who on its timeline); an agreement's recompute recomputes its project's result of the period too.
	Managers only (403 for anyone else). Returns the new result's name."""
	_require_manager()
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Say why the result is recomputed."), exc=frappe.ValidationError)
	if not frappe.db.exists(RESULT, result):
		frappe.throw(_("Period result {0} not found.").format(result), exc=frappe.DoesNotExistError)
	doc = frappe.get_doc(RESULT, result)
	if doc.docstatus != 1:
		frappe.throw(_("Only a submitted period result can be recomputed."), exc=frappe.ValidationError)
	new = _recompute_one(doc, reason)
	if doc.scope == SCOPE_AGREEMENT:
		project_result = frappe.db.get_value(
			RESULT,
			{
				"period_type": doc.period_type,
				"period_start": doc.period_start,
				"scope": SCOPE_PROJECT,
				"project": doc.project,
				"docstatus": 1,
			},
		)
		if project_result:
			_recompute_one(frappe.get_doc(RESULT, project_result), reason)
	return new.name
