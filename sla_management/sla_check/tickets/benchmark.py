# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Benchmarks of SLA on tickets, run on a bench site (not part of the product's normal operation).

	bench --site SITE execute sla_management.sla_check.tickets.benchmark.run
	bench --site SITE execute sla_management.sla_check.tickets.benchmark.run --kwargs "{'n': 400, 'timers': 100000}"

1. ``Issue.insert``: median time of an insert with neither this app's ticket hooks nor ERPNext's SLA ("off"),
   with this app's hooks ("app": covered by a signed agreement, so the full stamping path runs), and with
   ERPNext's own SLA ("ERPNext SLA": a default Service Level Agreement, tracking on), all in the same run:
   the cost of each is printed in ms, as a share of the plain insert, and against each other. Runs are
   interleaved (off, app, ERPNext SLA, off, ...) after a warm-up, so caches and the database are in the
   same state for all three.
2. The sweep: ``timers`` open SLA Timer rows (bulk inserted), ``due`` of them due; the time of the due
   query alone, and of ``process_due_timers`` over them (lock, evaluate, record breach, next check; with no
   escalation levels, and again with a level that notifies one user per timer, Notification Logs made in-line).

Everything runs in one transaction that is rolled back at the end: the site keeps no benchmark data.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import frappe
from frappe.utils import add_to_date, random_string

from sla_management.engine.ticket_timer import TIMER_FIELDS
from sla_management.sla_check.tickets import agreements, config, sweep
from sla_management.sla_check.tickets.timer_store import TIMER

HANDLERS = ("sla_management.sla_check.tickets.events.on_ticket_change",)
ERPNEXT_SLA_HANDLERS = ("erpnext.support.doctype.service_level_agreement.service_level_agreement.apply",)
ERPNEXT_SLA_CACHE = "doctypes_with_active_sla"  # ERPNext's cache of DocTypes with an SLA (Redis)


def run(
	n: int = 200, timers_count: int = 100_000, due: int = 1_000, keep: bool = False, sweep: bool = True
) -> dict:
	"""Run both benchmarks and print their figures; returns them (``sweep`` False: the insert one only)."""
	frappe.flags.mute_emails = True
	frappe.db.rollback()
	try:
		world = _world()
		insert = bench_insert(world, n)
		sweep_figures = bench_sweep(world, timers_count, due) if sweep else None
	finally:
		if not keep:
			frappe.db.rollback()
			# what ERPNext's SLA cached while its (rolled back) agreement existed
			frappe.cache.delete_value(ERPNEXT_SLA_CACHE)
			frappe.clear_document_cache("Support Settings", "Support Settings")
		config.clear_cache()
	figures = {"insert": insert, "sweep": sweep_figures}
	_print(figures)
	return figures


# -- set-up ---------------------------------------------------------------------------------------------


def _world() -> frappe._dict:
	from sla_management.sla_check.tickets.setup import ensure_default_ticket_types
	from sla_management.tests.factories import agreements as agreement_factory
	from sla_management.tests.factories.plan import customer_doctype, make_customer

	if not frappe.db.exists("DocType", "Issue"):
		frappe.throw("The insert benchmark needs ERPNext's Issue")
	ensure_default_ticket_types()
	frappe.db.commit()  # custom fields are DDL: settle them before the transaction that is rolled back
	settings = frappe.get_doc("SLA Settings")
	settings.enabled = 1
	settings.set("escalation_levels", [])
	settings.save()
	tag = random_string(6)
	if not frappe.db.exists("Issue Priority", "Bench"):
		frappe.get_doc({"doctype": "Issue Priority"}).insert(ignore_permissions=True, set_name="Bench")
	customer = make_customer(f"_Bench SLA Customer {tag}")
	calendar = frappe.get_doc(
		{
			"doctype": "SLA Service Calendar",
			"calendar_name": f"_Bench 7x24 {tag}",
			"timezone": "Asia/Shanghai",
			"windows": [
				{"weekday": day, "start_time": "00:00:00", "end_time": "00:00:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			],
		}
	).insert()
	project = frappe.get_doc(
		{
			"doctype": "SLA Service Project",
			"project_name": f"_Bench Project {tag}",
			"customer_type": customer_doctype(),
			"customer": customer,
			"status": "Active",
		}
	).insert(ignore_permissions=True)
	today = frappe.utils.getdate()
	agreement = frappe.get_doc(
		{
			"doctype": "SLA Agreement",
			"agreement_title": f"_Bench Agreement {tag}",
			"project": project.name,
			"calendar": calendar.name,
			"catalog": agreement_factory.make_published_catalog(),
			"items": [{"service_item": agreement_factory.ITEMS[0]}],
			"valid_from": add_to_date(today, days=-30),
			"valid_to": add_to_date(today, days=300),
			"targets": [{"priority": "Bench", "response_time": 3600, "resolution_time": 4 * 3600}],
		}
	).insert()
	agreement_factory.sign(agreement, today=str(today))
	erpnext_sla = _erpnext_sla(tag, today)
	return frappe._dict(
		customer=customer,
		calendar=calendar.name,
		agreement=agreement.name,
		project=project.name,
		erpnext_sla=erpnext_sla,
	)


def _erpnext_sla(tag: str, today) -> str:
	"""ERPNext's own SLA on Issue, for comparison: a default Service Level Agreement (24x7, priority
	"Bench": respond in 1 h, resolve in 4 h, as the app's agreement) with SLA tracking switched on."""
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	holidays = frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": f"_Bench SLA Holidays {tag}",
			"from_date": add_to_date(today, days=-60),
			"to_date": add_to_date(today, days=300),
		}
	).insert(ignore_permissions=True)
	weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
	sla = frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": f"_Bench ERPNext SLA {tag}",
			"document_type": "Issue",
			"enabled": 1,
			"default_service_level_agreement": 1,
			"holiday_list": holidays.name,
			"apply_sla_for_resolution": 1,
			"priorities": [
				{
					"priority": "Bench",
					"response_time": 3600,
					"resolution_time": 4 * 3600,
					"default_priority": 1,
				}
			],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
			"support_and_resolution": [
				{"workday": day, "start_time": "00:00:00", "end_time": "23:59:59"} for day in weekdays
			],
		}
	).insert(ignore_permissions=True)
	return sla.name


def _without(handlers_to_drop: tuple[str, ...]) -> dict:
	"""The site's doc_events without the given handlers."""
	frappe.get_doc_hooks()  # make sure frappe.local.doc_events_hooks is built
	return {
		doctype: {
			event: [h for h in handlers if h not in handlers_to_drop] for event, handlers in events.items()
		}
		for doctype, events in frappe.local.doc_events_hooks.items()
	}


def _hook_sets() -> dict[str, dict]:
	"""doc_events for each variant: neither SLA ("off"), this app's only ("app"), ERPNext's only."""
	return {
		"off": _without(HANDLERS + ERPNEXT_SLA_HANDLERS),
		"app": _without(ERPNEXT_SLA_HANDLERS),
		"erpnext": _without(HANDLERS),
	}


# -- 1. Issue.insert -------------------------------------------------------------------------------------


def bench_insert(world, n: int) -> dict:
	original = frappe.get_doc_hooks()
	hooks = _hook_sets()
	# The agreement was made in this (uncommitted) transaction, so the ticket handler would read candidate
	# agreements from the database instead of the cache; in production tickets are inserted long after the
	# agreement was committed. Measure that: as if in a later request (the rollback still clears the cache).
	frappe.flags[agreements.CHANGED_FLAG] = False

	def insert_issue():
		doc = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Benchmark issue",
				"customer": world.customer,
				"priority": "Bench",
			}
		)
		t0 = time.perf_counter()
		doc.insert(ignore_permissions=True)
		return (time.perf_counter() - t0) * 1000, doc

	times = {variant: [] for variant in hooks}
	last = {}
	queries = {}
	try:
		for i in range(n + 20):
			for variant, events in hooks.items():
				frappe.local.doc_events_hooks = events
				elapsed, last[variant] = insert_issue()
				if i >= 20:  # warm-up
					times[variant].append(elapsed)
		for variant, events in hooks.items():
			frappe.local.doc_events_hooks = events
			queries[variant] = _count_queries(insert_issue)
	finally:
		frappe.local.doc_events_hooks = original
	app_doc, erpnext_doc = last["app"], last["erpnext"]
	stamped = frappe.db.get_value(
		"Issue", app_doc.name, ["sla_mgmt_status", "sla_mgmt_agreement"], as_dict=True
	)
	med = {variant: statistics.median(values) for variant, values in times.items()}
	added, erpnext_added = med["app"] - med["off"], med["erpnext"] - med["off"]
	return {
		"n": n,
		"median_off_ms": round(med["off"], 3),
		"median_on_ms": round(med["app"], 3),
		"median_erpnext_ms": round(med["erpnext"], 3),
		"added_ms": round(added, 3),
		"erpnext_added_ms": round(erpnext_added, 3),
		"added_pct_of_insert": round(100 * added / med["off"], 1),
		"erpnext_added_pct_of_insert": round(100 * erpnext_added / med["off"], 1),
		"app_vs_erpnext": round(added / erpnext_added, 3) if erpnext_added > 0 else None,
		"p90_off_ms": round(_pct(times["off"], 0.9), 3),
		"p90_on_ms": round(_pct(times["app"], 0.9), 3),
		"queries_off": queries["off"],
		"queries_on": queries["app"],
		"queries_erpnext": queries["erpnext"],
		"last_ticket_status": stamped.sla_mgmt_status,
		"last_ticket_agreement": stamped.sla_mgmt_agreement,
		"last_ticket_timers": frappe.db.count(TIMER, {"ticket_doctype": "Issue", "ticket": app_doc.name}),
		"erpnext_sla_applied": frappe.db.get_value("Issue", erpnext_doc.name, "service_level_agreement"),
		"erpnext_response_by": str(frappe.db.get_value("Issue", erpnext_doc.name, "response_by")),
	}


def _count_queries(fn) -> int:
	"""SQL statements sent by one call of ``fn``: the server's count of this session's statements
	(``Questions``), less the one that reads it."""

	def questions() -> int:
		return int(frappe.db.sql("SHOW SESSION STATUS LIKE 'Questions'")[0][1])

	before = questions()
	fn()
	return questions() - before - 1


def _pct(values, q):
	values = sorted(values)
	return values[min(len(values) - 1, int(q * len(values)))]


# -- 2. the sweep ----------------------------------------------------------------------------------------


def bench_sweep(world, total: int, due: int) -> dict:
	now = frappe.utils.now_datetime()
	start = now - timedelta(hours=1)
	user = frappe.session.user
	cols = [*TIMER_FIELDS, "creation", "modified", "owner", "modified_by", "docstatus", "idx"]
	tag = random_string(4)
	rows = []
	t0 = time.perf_counter()
	for i in range(total):
		is_due = i < due
		data = dict.fromkeys(TIMER_FIELDS)
		data.update(
			name=f"bench{tag}{i:07d}",
			ticket_doctype="Issue",
			ticket=f"BENCH-{tag}-{i}",
			agreement=world.agreement,
			agreement_version=1,
			calendar=world.calendar,
			project=world.project,
			metric="Resolution",
			cycle=1,
			# due timers: a 30-minute target started an hour ago (breached); others: far in the future
			target_seconds=1800 if is_due else 30 * 86400,
			start=start,
			status="Running",
			breached=0,
			last_level=0,
			next_check=(now - timedelta(minutes=30)) if is_due else (now + timedelta(days=1 + i % 30)),
		)
		rows.append([data[c] for c in TIMER_FIELDS] + [now, now, user, user, 0, 0])
	frappe.db.bulk_insert(TIMER, cols, rows, chunk_size=10_000)
	setup_s = time.perf_counter() - t0

	t0 = time.perf_counter()
	names = sweep.due_timer_names(now)
	query_s = time.perf_counter() - t0
	assert len(names) >= due, (len(names), due)

	savepoint = "sla_bench_sweep"
	frappe.db.savepoint(savepoint)
	t0 = time.perf_counter()
	result = _sweep_chunks(names, now)
	sweep_s = time.perf_counter() - t0 + query_s
	frappe.db.rollback(save_point=savepoint)

	# again with an escalation level at breach that notifies one user (Notification Log + e-mail queue)
	settings = frappe.get_doc("SLA Settings")
	settings.set(
		"escalation_levels",
		[
			{
				"level_name": "Bench breach",
				"trigger": "After breach",
				"offset": 0,
				"notify_users": user,
				"email": 1,
			}
		],
	)
	settings.save()
	# notifications in-line instead of in background jobs: measured here, and nothing is left in the
	# queue after the rollback
	frappe.flags.sla_mgmt_notify_inline = True
	try:
		t0 = time.perf_counter()
		names = sweep.due_timer_names(now)
		with_alerts = _sweep_chunks(names, now)
		alerts_s = time.perf_counter() - t0
	finally:
		frappe.flags.sla_mgmt_notify_inline = False
	return {
		"open_timers": total,
		"due_timers": len(names),
		"bulk_insert_setup_s": round(setup_s, 2),
		"due_query_ms": round(query_s * 1000, 2),
		"sweep_s": round(sweep_s, 3),
		"sweep_processed": result["processed"],
		"sweep_breached": result["breached"],
		"sweep_with_alerts_s": round(alerts_s, 3),
		"alerts_sent": with_alerts["alerts"],
	}


def _sweep_chunks(names, now) -> dict:
	chunk = int(config.settings_value("sweep_chunk_size") or 500)
	total = {"processed": 0, "breached": 0, "alerts": 0}
	for i in range(0, len(names), chunk):
		part = sweep.process_due_timers(names[i : i + chunk], at=now, commit=False)
		for key in total:
			total[key] += part[key]
	return total


def _print(figures: dict) -> None:
	ins, sw = figures["insert"], figures["sweep"]
	print("SLA Management benchmark (one run)")
	print(
		f"Issue.insert, n={ins['n']} each, interleaved: median without SLA {ins['median_off_ms']} ms "
		f"(p90 {ins['p90_off_ms']}); with this app {ins['median_on_ms']} ms (p90 {ins['p90_on_ms']}) → "
		f"added {ins['added_ms']} ms = {ins['added_pct_of_insert']} % of the insert; with ERPNext's SLA "
		f"{ins['median_erpnext_ms']} ms → added {ins['erpnext_added_ms']} ms = "
		f"{ins['erpnext_added_pct_of_insert']} %; app / ERPNext SLA = {ins['app_vs_erpnext']}"
	)
	print(
		f"  SQL statements per insert: {ins['queries_off']} without SLA, {ins['queries_on']} with this app, "
		f"{ins['queries_erpnext']} with ERPNext's SLA; last tickets: app {ins['last_ticket_status']}, "
		f"{ins['last_ticket_agreement']}, {ins['last_ticket_timers']} timers; ERPNext "
		f"{ins['erpnext_sla_applied']}, response by {ins['erpnext_response_by']}"
	)
	if not sw:
		return
	print(
		f"Sweep: {sw['open_timers']} open timers, {sw['due_timers']} due: due query {sw['due_query_ms']} ms; "
		f"query + evaluate + update {sw['sweep_s']} s ({sw['sweep_processed']} processed, "
		f"{sw['sweep_breached']} breaches recorded); with one alert per timer (Notification Log + e-mail "
		f"queue) {sw['sweep_with_alerts_s']} s ({sw['alerts_sent']} alerts); set-up (bulk insert) "
		f"{sw['bulk_insert_setup_s']} s"
	)
