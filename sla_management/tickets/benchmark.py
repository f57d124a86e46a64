# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Benchmarks of SLA on tickets, run on a bench site (not part of the product's normal operation).

	bench --site SITE execute sla_management.tickets.benchmark.run
	bench --site SITE execute sla_management.tickets.benchmark.run --kwargs "{'n': 400, 'timers': 100000}"

1. ``Issue.insert``: median time of an insert with the app's ticket hooks removed from the site's
   doc_events vs. with them (covered by a signed agreement, so the full stamping path runs). Runs are
   interleaved (off, on, off, on, ...) after a warm-up, so caches and the database are in the same state.
2. The sweep: ``timers`` open SLA Timer rows (bulk inserted), ``due`` of them due; the time of the due
   query alone, and of ``process_due_timers`` over them (lock, evaluate, record breach, next check; with no
   escalation levels, and again with a level that notifies one user per timer, Notification Logs made in-line).

Everything runs in one transaction that is rolled back at the end: the site keeps no benchmark data.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.utils import add_to_date, random_string

from sla_management.tickets import config, stamping, sweep, timers

HANDLERS = ("sla_management.tickets.events.on_ticket_change",)


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
		config.clear_cache()
	figures = {"insert": insert, "sweep": sweep_figures}
	_print(figures)
	return figures


# -- set-up ---------------------------------------------------------------------------------------------


def _world() -> frappe._dict:
	from sla_management.plan_fixtures import customer_doctype, make_customer
	from sla_management.sla_management.doctype.sla_agreement import agreement_fixtures
	from sla_management.tickets.setup import ensure_default_ticket_types

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
			"catalog": agreement_fixtures.make_published_catalog(),
			"items": [{"service_item": agreement_fixtures.ITEMS[0]}],
			"valid_from": add_to_date(today, days=-30),
			"valid_to": add_to_date(today, days=300),
			"targets": [{"priority": "Bench", "response_time": 3600, "resolution_time": 4 * 3600}],
		}
	).insert()
	agreement_fixtures.sign(agreement, today=str(today))
	return frappe._dict(
		customer=customer, calendar=calendar.name, agreement=agreement.name, project=project.name
	)


def _without_app_hooks():
	"""doc_events of the site without this app's ticket handler (what the site would run without it)."""
	frappe.get_doc_hooks()  # make sure frappe.local.doc_events_hooks is built
	original = frappe.local.doc_events_hooks
	stripped = {}
	for doctype, events in original.items():
		stripped[doctype] = {
			event: [h for h in handlers if h not in HANDLERS] for event, handlers in events.items()
		}
	return original, stripped


# -- 1. Issue.insert -------------------------------------------------------------------------------------


def bench_insert(world, n: int) -> dict:
	original, stripped = _without_app_hooks()
	# The agreement was made in this (uncommitted) transaction, so the ticket handler would read candidate
	# agreements from the database instead of the cache; in production tickets are inserted long after the
	# agreement was committed. Measure that: as if in a later request (the rollback still clears the cache).
	frappe.flags[stamping.CHANGED_FLAG] = False

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

	off, on = [], []
	try:
		for i in range(n + 20):
			frappe.local.doc_events_hooks = stripped
			t_off, _ = insert_issue()
			frappe.local.doc_events_hooks = original
			t_on, doc = insert_issue()
			if i >= 20:  # warm-up
				off.append(t_off)
				on.append(t_on)
		frappe.local.doc_events_hooks = stripped
		queries_off = _count_queries(insert_issue)
		frappe.local.doc_events_hooks = original
		queries_on = _count_queries(insert_issue)
	finally:
		frappe.local.doc_events_hooks = original
	stamped = frappe.db.get_value("Issue", doc.name, ["sla_mgmt_status", "sla_mgmt_agreement"], as_dict=True)
	timer_count = frappe.db.count(timers.TIMER, {"ticket_doctype": "Issue", "ticket": doc.name})
	off_med, on_med = statistics.median(off), statistics.median(on)
	return {
		"n": n,
		"median_off_ms": round(off_med, 3),
		"median_on_ms": round(on_med, 3),
		"added_ms": round(on_med - off_med, 3),
		"p90_off_ms": round(_pct(off, 0.9), 3),
		"p90_on_ms": round(_pct(on, 0.9), 3),
		"queries_off": queries_off,
		"queries_on": queries_on,
		"last_ticket_status": stamped.sla_mgmt_status,
		"last_ticket_agreement": stamped.sla_mgmt_agreement,
		"last_ticket_timers": timer_count,
	}


def _count_queries(fn) -> int:
	"""SQL statements sent by one call of ``fn`` (every query goes through ``frappe.db.sql``)."""
	count = 0
	real_sql = frappe.db.sql

	def counting_sql(*args, **kwargs):
		nonlocal count
		count += 1
		return real_sql(*args, **kwargs)

	with patch.object(frappe.db, "sql", counting_sql):
		fn()
	return count


def _pct(values, q):
	values = sorted(values)
	return values[min(len(values) - 1, int(q * len(values)))]


# -- 2. the sweep ----------------------------------------------------------------------------------------


def bench_sweep(world, total: int, due: int) -> dict:
	now = frappe.utils.now_datetime()
	start = now - timedelta(hours=1)
	user = frappe.session.user
	cols = [*timers.TIMER_FIELDS, "creation", "modified", "owner", "modified_by", "docstatus", "idx"]
	tag = random_string(4)
	rows = []
	t0 = time.perf_counter()
	for i in range(total):
		is_due = i < due
		data = dict.fromkeys(timers.TIMER_FIELDS)
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
		rows.append([data[c] for c in timers.TIMER_FIELDS] + [now, now, user, user, 0, 0])
	frappe.db.bulk_insert(timers.TIMER, cols, rows, chunk_size=10_000)
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
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	def notify_inline(users, doc):
		# in-line instead of a background job: measured here, and nothing is left in the queue after rollback
		make_notification_logs(doc, users)

	with patch("sla_management.tickets.escalation.enqueue_create_notification", notify_inline):
		t0 = time.perf_counter()
		names = sweep.due_timer_names(now)
		with_alerts = _sweep_chunks(names, now)
		alerts_s = time.perf_counter() - t0
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
		part = sweep.process_due_timers(names[i : i + chunk], at=now)
		for key in total:
			total[key] += part[key]
	return total


def _print(figures: dict) -> None:
	ins, sw = figures["insert"], figures["sweep"]
	print("SLA Management benchmark (one run)")
	print(
		f"Issue.insert, n={ins['n']} each, interleaved: median hooks off {ins['median_off_ms']} ms, "
		f"on {ins['median_on_ms']} ms → added {ins['added_ms']} ms "
		f"(p90 {ins['p90_off_ms']} / {ins['p90_on_ms']} ms); SQL statements per insert "
		f"{ins['queries_off']} off / {ins['queries_on']} on; last ticket: {ins['last_ticket_status']}, "
		f"{ins['last_ticket_agreement']}, {ins['last_ticket_timers']} timers"
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
