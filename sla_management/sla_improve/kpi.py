# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Attainment and the yearly SLA KPI (§7, issue 13): the Frappe-layer queries behind the "SLA Attainment"
and "SLA KPI" reports, the workspace's number cards and its monthly attainment chart.

Counting rule (a timer is one measured target of a ticket: its response or its resolution):

- a timer counts in the period in which it ended: **met** when it stopped unbreached in the period (its
  ``stop``), **breached** when its breach instant (``breach_at``, its deadline) lies in the period, whether
  it has stopped or not;
- a running (or paused) unbreached timer is not measured yet; a cancelled timer never counts;
- measured = met + breached; a rate = met ÷ measured × 100 %;
- a project's rate covers all its agreements (every version) in the period; the KPI of a year is the mean
  of the per-project rates of the projects that had measured targets (projects without any are listed, not
  counted as 0 or 100).

The counting is done by the database: two GROUP BY queries through ``frappe.get_list`` (met by ``stop``,
breached by ``breach_at``), so the caller's permissions apply as in the desk's list (a project manager
counts the timers of the projects they manage); no loop over timer rows in Python.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import get_last_day, getdate

from sla_management.common.compat import aggregate
from sla_management.engine import attainment as core
from sla_management.engine.vocabulary import BREACHED, MET, RUNNING, TIMER_METRICS

TIMER = "SLA Timer"
PROJECT = "SLA Service Project"
AGREEMENT = "SLA Agreement"
PERIOD_RESULT = "SLA Period Result"
SETTINGS = "SLA Settings"
GROUP_FIELDS = ("project", "agreement", "service_item", "priority", "metric")
# a running timer is "at risk" when its deadline is within this much of now, or an escalation level fired
AT_RISK_WITHIN = timedelta(hours=1)
MIN_YEAR, MAX_YEAR = 2000, 2060
COMPANY_DOCTYPE, COMPANY_FIELD = "Company", "company"  # setup/custom_fields.py (ERPNext sites only)


# -- the period ------------------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[date, date]:
	return date(year, 1, 1), date(year, 12, 31)


def month_bounds(year: int, month: int) -> tuple[date, date]:
	first = date(year, month, 1)
	return first, getdate(get_last_day(first))


def _between(from_date: date, to_date: date) -> list[str]:
	"""Frappe's "between" on a Datetime field: from the first day 00:00 to the last day's end."""
	return [str(from_date), str(to_date)]


def met_filters(from_date: date, to_date: date) -> list[list]:
	"""Timers met in the period: stopped unbreached in it (status Met)."""
	return [["status", "=", MET], ["stop", "between", _between(from_date, to_date)]]


def breached_filters(from_date: date, to_date: date) -> list[list]:
	"""Timers breached in the period: their breach instant lies in it (stopped or not; a cancelled timer
	has status Cancelled and never counts)."""
	return [["status", "=", BREACHED], ["breach_at", "between", _between(from_date, to_date)]]


# -- counting (in the database, permission-aware) ---------------------------------------------------------


def _grouped_count(filters: list, group_by: tuple[str, ...]) -> dict[tuple, int]:
	rows = frappe.get_list(
		TIMER,
		filters=filters,
		fields=[*group_by, aggregate("count", "name", "n")],
		group_by=", ".join(group_by) or None,
		order_by=", ".join(f"{f} asc" for f in group_by) or None,
		limit_page_length=0,
	)
	return {tuple(r.get(f) for f in group_by): int(r.n or 0) for r in rows if r.n}


def timer_counts(
	from_date: date, to_date: date, group_by: tuple[str, ...] = ("project",), filters: list | None = None
) -> dict[tuple, dict]:
	"""{group key: {"met", "breached", "measured", "rate"}} of the timers the caller may read that ended in
	[from_date, to_date] (whole days), grouped by ``group_by`` (SLA Timer fields)."""
	filters = list(filters or [])
	met = _grouped_count([*filters, *met_filters(from_date, to_date)], group_by)
	breached = _grouped_count([*filters, *breached_filters(from_date, to_date)], group_by)
	out = {}
	for key in sorted(set(met) | set(breached), key=lambda k: tuple(str(v or "") for v in k)):
		out[key] = counts(met.get(key, 0), breached.get(key, 0))
	return out


def counts(met: int, breached: int) -> dict:
	measured = met + breached
	return {"met": met, "breached": breached, "measured": measured, "rate": rate(met, measured)}


def rate(met: int | float, measured: int | float) -> float | None:
	return round(100.0 * met / measured, 4) if measured else None


def kpi_of(rates) -> float | None:
	"""The mean of the per-project rates (%) that exist (projects without measured targets are not
	counted)."""
	measured = [r for r in rates if r is not None]
	return round(sum(measured) / len(measured), 4) if measured else None


def kpi_result(results: list[dict], target: float) -> core.Kpi:
	"""The pure core's KPI (``engine.attainment.kpi``) over per-project results (``met``, ``measured``);
	``target`` in %."""
	rates = {r["project"]: core.Count(r["met"], r["measured"]) for r in results}
	return core.kpi(rates, target / 100.0, projects=[r["project"] for r in results])


def kpi_target() -> float:
	"""SLA Settings' KPI target (%): the freeze job's (``sla_check.period_results.freeze.kpi_target``)."""
	from sla_management.sla_check.period_results import freeze

	return freeze.kpi_target()


# -- the company (ERPNext sites: SLA Service Project has a ``company``) ------------------------------------


def has_companies() -> bool:
	"""Whether service projects belong to companies here: the DocType Company exists (ERPNext) and SLA
	Service Project has its ``company`` field (install.make_custom_fields)."""
	return bool(frappe.db.exists("DocType", COMPANY_DOCTYPE)) and frappe.get_meta(PROJECT).has_field(
		COMPANY_FIELD
	)


def company_projects(company) -> list[str] | None:
	"""The service projects of ``company`` (a report's company filter), None without the filter. A company
	on a site without companies, or an unknown one, is a clear error (HTTP 417). Which projects the caller
	may read is decided by the queries that count (frappe.get_list)."""
	if company in (None, ""):
		return None
	if not has_companies():
		frappe.throw(
			_("This site has no companies: leave the company filter empty."),
			exc=frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	if not isinstance(company, str) or not frappe.db.exists(COMPANY_DOCTYPE, company):
		frappe.throw(
			_("Unknown company {0}.").format(frappe.utils.escape_html(str(company))),
			exc=frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	return frappe.get_all(PROJECT, filters={COMPANY_FIELD: company}, pluck="name", order_by="name asc")


def in_projects(filters: list, projects: list[str] | None, field: str = "project") -> list:
	"""``filters`` narrowed to ``projects`` (None: no narrowing; a non-empty list, see the callers)."""
	return [*filters, [field, "in", projects]] if projects is not None else filters


# -- per project: live and frozen --------------------------------------------------------------------------


def readable_projects(names=None) -> list[str]:
	filters = {"name": ("in", list(names))} if names is not None else {}
	return frappe.get_list(PROJECT, filters=filters, pluck="name", order_by="name asc", limit_page_length=0)


def live_project_results(
	from_date: date,
	to_date: date,
	project: str | None = None,
	checks: bool = True,
	projects: list[str] | None = None,
) -> list[dict]:
	"""Per project the caller may read: measured, met, breached (not met), rate in the period — its timers
	and, with ``checks``, each availability/failure limit check of its agreements' months (``limit_checks``);
	projects with an agreement valid in the period but nothing measured are listed with rate None."""
	filters = in_projects([["project", "=", project]] if project else [], projects)
	totals = {
		key[0]: [c["met"], c["breached"]]
		for key, c in timer_counts(from_date, to_date, ("project",), filters).items()
	}
	agreements = readable_agreements(from_date, to_date, project, projects=projects)
	if checks:
		for p, (met, measured) in limit_checks([a.name for a in agreements], from_date, to_date).items():
			t = totals.setdefault(p, [0, 0])
			t[0] += met
			t[1] += measured - met
	names = sorted({p for p in totals if p} | {a.project for a in agreements if a.project})
	return [{"project": name, **counts(*totals.get(name, (0, 0)))} for name in names]


def limit_checks(agreements: list[str], from_date: date, to_date: date) -> dict[str, tuple[int, int]]:
	"""(met, measured) per project of the availability/failure limit checks of ``agreements``."""
	out: dict[str, list[int]] = {}
	for key, (met, measured) in limit_check_lines(agreements, from_date, to_date).items():
		c = out.setdefault(key[0], [0, 0])
		c[0] += met
		c[1] += measured
	return {p: (c[0], c[1]) for p, c in out.items()}


def limit_check_lines(agreements: list[str], from_date: date, to_date: date) -> dict[tuple, tuple[int, int]]:
	"""(met, measured) per (project, agreement, service item, "", metric) of the availability/failure
	limit checks of ``agreements`` (the caller's readable ones) in [from_date, to_date]: one target per
	limit, service item and month, measured as the freeze job measures them
	(``sla_check.period_results.freeze.figures_of``)."""
	if not agreements:
		return {}
	from sla_management.sla_check.period_results import freeze

	out: dict[tuple, tuple[int, int]] = {}
	end = getdate(frappe.utils.add_days(to_date, 1))
	for fig in freeze.figures_of(agreements, from_date, end).values():
		for line in fig.lines:
			if line["metric"] in TIMER_METRICS or not line["measured"]:
				continue
			key = (fig.agreement.project, line["agreement"], line["service_item"], "", line["metric"])
			met, measured = out.get(key, (0, 0))
			out[key] = (met + int(line["met"]), measured + int(line["measured"]))
	return out


def readable_agreements(
	from_date: date, to_date: date, project=None, agreement=None, projects: list[str] | None = None
) -> list[frappe._dict]:
	"""Submitted agreements the caller may read that are valid on a day of the period (of ``projects``)."""
	filters = [["docstatus", "=", 1], ["valid_from", "<=", to_date], ["valid_to", ">=", from_date]]
	if project:
		filters.append(["project", "=", project])
	if agreement:
		filters.append(["name", "=", agreement])
	filters = in_projects(filters, projects)
	return frappe.get_list(AGREEMENT, filters=filters, fields=["name", "project"], limit_page_length=0)


def period_result_available() -> bool:
	return bool(frappe.db.exists("DocType", PERIOD_RESULT))


def frozen_project_results(
	year: int, project: str | None = None, projects: list[str] | None = None
) -> list[dict] | None:
	"""The submitted yearly project results of ``year`` the caller may read, None when the year is not
	frozen (no SLA Period Result of the year)."""
	if not period_result_available():
		return None
	meta = frappe.get_meta(PERIOD_RESULT)
	filters = [["docstatus", "=", 1], ["period_type", "=", "Year"], ["scope", "=", "Project"]]
	filters.append(["period_start" if meta.has_field("period_start") else "year", "=", _year_key(meta, year)])
	if project:
		filters.append(["project", "=", project])
	filters = in_projects(filters, projects)
	rows = frappe.get_list(
		PERIOD_RESULT,
		filters=filters,
		fields=["project", "measured", "met"],
		order_by="project asc",
		limit_page_length=0,
	)
	if not rows and not _year_frozen(meta, year):
		return None
	return [
		{"project": r.project, **counts(int(r.met or 0), int(r.measured or 0) - int(r.met or 0))}
		for r in rows
	]


def _year_key(meta, year: int):
	return f"{year}-01-01" if meta.has_field("period_start") else year


def _year_frozen(meta, year: int) -> bool:
	"""Any submitted yearly result of ``year`` (regardless of the caller's projects): the year is closed."""
	field = "period_start" if meta.has_field("period_start") else "year"
	return bool(
		frappe.db.exists(PERIOD_RESULT, {"docstatus": 1, "period_type": "Year", field: _year_key(meta, year)})
	)


def frozen_months(year: int) -> int:
	"""How many months of ``year``, from January on without a gap, have submitted monthly project results
	(the freeze job closed them): 0 to 12."""
	if not period_result_available():
		return 0
	starts = {
		str(d)
		for d in frappe.get_all(
			PERIOD_RESULT,
			filters={
				"docstatus": 1,
				"period_type": "Month",
				"scope": "Project",
				"period_start": ("between", [f"{year}-01-01", f"{year}-12-01"]),
			},
			pluck="period_start",
			distinct=True,
		)
	}
	months = 0
	while months < 12 and f"{year}-{months + 1:02d}-01" in starts:
		months += 1
	return months


def open_year_results(
	year: int, project: str | None = None, to_date: date | None = None, projects: list[str] | None = None
):
	"""(results, months) of a year that is not closed: the months the freeze job closed (``frozen_months``,
	from January on) from their submitted monthly project results, the rest live from the timers and
	limit checks; ``months`` = how many months came from frozen results."""
	first, last = year_bounds(year)
	last = min(last, to_date or last)
	months = frozen_months(year)
	if not months:
		return live_project_results(first, last, project, projects=projects), 0
	split = month_bounds(year, months)[1]
	filters = [
		["docstatus", "=", 1],
		["period_type", "=", "Month"],
		["scope", "=", "Project"],
		["period_start", "between", [f"{year}-01-01", f"{year}-{months:02d}-01"]],
	]
	if project:
		filters.append(["project", "=", project])
	filters = in_projects(filters, projects)
	totals: dict[str, list[int]] = {}
	for r in frappe.get_list(
		PERIOD_RESULT,
		filters=filters,
		fields=["project", aggregate("sum", "measured", "measured"), aggregate("sum", "met", "met")],
		group_by="project",
		order_by="project asc",
		limit_page_length=0,
	):
		totals[r.project] = [int(r.met or 0), int(r.measured or 0) - int(r.met or 0)]
	if split < last:
		for r in live_project_results(
			getdate(frappe.utils.add_days(split, 1)), last, project, projects=projects
		):
			t = totals.setdefault(r["project"], [0, 0])
			t[0] += r["met"]
			t[1] += r["breached"]
	return [{"project": p, **counts(*totals[p])} for p in sorted(totals)], months


def project_results(
	year: int, project: str | None = None, to_date: date | None = None, projects: list[str] | None = None
):
	"""(results, source, months): "frozen" when the year is closed (submitted yearly results exist), else
	"live" — with its first ``months`` months from their frozen monthly results (``open_year_results``).
	``projects``: only these (a company's, ``company_projects``); an empty list: no results."""
	if projects is not None and not projects:
		if period_result_available() and _year_frozen(frappe.get_meta(PERIOD_RESULT), year):
			return [], "frozen", 12
		return [], "live", frozen_months(year)
	frozen = frozen_project_results(year, project, projects)
	if frozen is not None:
		return frozen, "frozen", 12
	results, months = open_year_results(year, project, to_date, projects)
	return results, "live", months


# -- number cards and the monthly chart (whitelisted, permission-aware through frappe.get_list) ------------


def today() -> date:
	return getdate(frappe.utils.nowdate())


def _card(value, fieldtype: str, route: list, route_options: dict | None = None) -> dict:
	return {"value": value, "fieldtype": fieldtype, "route": route, "route_options": route_options or {}}


@frappe.whitelist()
def kpi_year_to_date(filters=None) -> dict:
	"""Number card: the KPI of this year so far (live: mean of the per-project rates)."""
	day = today()
	result = kpi_result(open_year_results(day.year, to_date=day)[0], kpi_target())
	value = None if result.value is None else round(100.0 * result.value, 4)
	return _card(value, "Percent", ["query-report", "SLA KPI"], {"year": day.year})


@frappe.whitelist()
def projects_below_target(filters=None) -> dict:
	"""Number card: projects whose rate this year so far is below the KPI target."""
	day = today()
	result = kpi_result(open_year_results(day.year, to_date=day)[0], kpi_target())
	return _card(len(result.below), "Int", ["query-report", "SLA KPI"], {"year": day.year})


@frappe.whitelist()
def timers_breached_this_month(filters=None) -> dict:
	"""Number card: timers whose breach instant lies in this month (not cancelled)."""
	day = today()
	first, last = month_bounds(day.year, day.month)
	value = _count(breached_filters(first, last))
	return _card(
		value,
		"Int",
		["List", TIMER],
		{"status": BREACHED, "breach_at": ["between", _between(first, last)]},
	)


def at_risk_filters(now: datetime) -> tuple[list, list]:
	"""(filters, or_filters) of timers at risk now: running (not paused), not breached yet, and either due
	within the next hour (or already due, before the sweep marks them) or past an escalation level."""
	return (
		[["status", "=", RUNNING], ["breached", "=", 0]],
		[["deadline", "<=", now + AT_RISK_WITHIN], ["last_level", ">", 0]],
	)


@frappe.whitelist()
def timers_at_risk_now(filters=None) -> dict:
	"""Number card: running timers due within the hour or past an escalation level (see at_risk_filters)."""
	now = frappe.utils.now_datetime()
	and_filters, or_filters = at_risk_filters(now)
	value = _count(and_filters, or_filters)
	return _card(value, "Int", ["List", TIMER], {"status": RUNNING, "breached": 0})


def _count(filters: list, or_filters: list | None = None) -> int:
	rows = frappe.get_list(
		TIMER, filters=filters, or_filters=or_filters, fields=[aggregate("count", "name", "n")]
	)
	return int(rows[0].n or 0) if rows else 0


def monthly_attainment(year: int, to_date: date | None = None) -> dict:
	"""Per month of ``year`` up to ``to_date``: the mean of the per-project rates of the month (the KPI's
	formula on one month), the share of all measured timers that were met, and the target."""
	labels, kpis, shares = [], [], []
	last_month = 12 if not to_date or to_date.year > year else to_date.month
	for month in range(1, last_month + 1):
		first, last = month_bounds(year, month)
		results = timer_counts(first, last, ("project",))
		met = sum(c["met"] for c in results.values())
		measured = sum(c["measured"] for c in results.values())
		labels.append(f"{year}-{month:02d}")
		kpis.append(kpi_of(c["rate"] for c in results.values()))
		shares.append(rate(met, measured))
	target = kpi_target()
	return {
		"labels": labels,
		"datasets": [{"name": _("SLA Attainment Rate %"), "values": kpis}],
		"yMarkers": [{"label": _("Target Value %"), "value": target, "options": {"labelPos": "left"}}],
		"shares": shares,
	}


def validate_year(year) -> int:
	year = year if year not in (None, "") else today().year
	if not str(year).strip().isdigit() or not MIN_YEAR <= int(str(year).strip()) <= MAX_YEAR:
		frappe.throw(
			_("The year must be a whole number between {0} and {1}, not {2}.").format(
				MIN_YEAR, MAX_YEAR, frappe.utils.escape_html(str(year))
			),
			exc=frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	return int(str(year).strip())
