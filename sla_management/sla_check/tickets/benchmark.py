# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Benchmarks of SLA on tickets, run on a bench site (not part of the product's normal operation).

	bench --site SITE execute sla_management.sla_check.tickets.benchmark.run --kwargs "{'n': 150}"
	kwargs: n (runs per variant), paths (e.g. "pause,resume"; default all), sweep (False: none), cold,
	timers_count and due (the sweep's open and due timers), keep (True: no rollback)

1. The ticket paths (``PATHS``), each printed on one line: ``Issue.insert``; a status change that pauses
   the timers (Open → On Hold) and one that resumes them (On Hold → Open); a priority change (another
   target); an outgoing reply (a Communication "Sent" on the ticket: its first response); resolve
   (→ Resolved); reopen (Resolved → Open: a new resolution cycle); and a save of a non-ticket DocType
   (ToDo), which the app's "*" hook must leave at once. Each is measured with neither this app's ticket
   hooks nor ERPNext's SLA ("off"), with this app's hooks ("app": covered by a signed agreement, so the
   full SLA path runs), and with ERPNext's own SLA ("ERPNext": a default Service Level Agreement with the
   same targets, paused while On Hold, tracking on), all in the same run: the median of ``n`` runs per
   variant, what each adds to "off" in ms and as a share, app against ERPNext, and the SQL statements of
   one operation (the server's count, the median of 5). Every measured operation is the same transition
   on the same rows: each variant gets one ticket in the path's start state (prepared with the variant's
   hooks), and every run reloads it (untimed; with ``cold``, also empties Frappe's per-request caches, as
   a new request starts), runs the save (or the Communication's insert) timed inside a savepoint, and
   rolls back to the savepoint — each run a short piece of work, as a request is, and the transaction
   does not grow with the runs. Runs are interleaved (off, app, ERPNext, off, ...) after a warm-up, so
   caches and the database are in the same state for all three. The last tickets' SLA states are
   printed, to show what each path did.
2. The sweep: ``timers_count`` open SLA Timer rows (bulk inserted), ``due`` of them due, their tickets as
   minimal Issue rows (the sweep claims the ticket rows and stops checking timers of missing tickets); the
   time of the due query alone, and of ``process_due_timers`` over them (claim, lock, evaluate, record
   breach, next check; with no escalation levels, and again with a level that notifies one user per timer,
   Notification Logs made in-line).
3. Where each path's added time goes: a separate pass with the app's handlers timed (``HandlerMeter``):
   the time in them, split into the SQL they send (and its statements) and Python; the rest of the added
   time is Frappe's work on the SLA fields and noise. And one statement's round trip (``SELECT 1``).

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

HANDLERS = (
	"sla_management.sla_check.tickets.events.on_ticket_change",
	"sla_management.sla_check.tickets.events.on_communication",
)
_ERPNEXT_SLA = "erpnext.support.doctype.service_level_agreement.service_level_agreement"
ERPNEXT_SLA_HANDLERS = (f"{_ERPNEXT_SLA}.apply", f"{_ERPNEXT_SLA}.on_communication_update")
PRIORITIES = ("Bench", "Bench 2")
ERPNEXT_SLA_CACHE = "doctypes_with_active_sla"  # ERPNext's cache of DocTypes with an SLA (Redis)


def run(
	n: int = 200,
	timers_count: int = 100_000,
	due: int = 1_000,
	keep: bool = False,
	sweep: bool = True,
	paths: str | list[str] | None = None,
	cold: bool = False,
) -> dict:
	"""Run the benchmarks and print their figures; returns them (``sweep`` False: no sweep).

	``paths``: the ticket paths to measure (names of ``PATHS``, a list or comma-separated), default all.
	``cold``: every run starts with Frappe's per-request caches empty, as a new request does
	(``as_a_new_request``); by default the runs share the warm caches of one ``bench execute``.
	"""
	frappe.flags.mute_emails = True
	frappe.db.rollback()
	if isinstance(paths, str):
		paths = [p.strip() for p in paths.split(",") if p.strip()]
	paths = list(paths or PATHS)
	unknown = [p for p in paths if p not in PATHS]
	if unknown:
		frappe.throw(f"Unknown benchmark paths {unknown}; known: {list(PATHS)}")
	try:
		world = _world()
		path_figures = {path: bench_path(world, path, n, cold=cold) for path in paths}
		sweep_figures = bench_sweep(world, timers_count, due) if sweep else None
	finally:
		if not keep:
			frappe.db.rollback()
			# what ERPNext's SLA cached while its (rolled back) agreement existed
			frappe.cache.delete_value(ERPNEXT_SLA_CACHE)
			frappe.clear_document_cache("Support Settings", "Support Settings")
		config.clear_cache()
	figures = {
		"insert": path_figures.get("insert"),
		"paths": path_figures,
		"sweep": sweep_figures,
		"round_trip_ms": round(round_trip_ms(), 3),
	}
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
	for priority in PRIORITIES:
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority"}).insert(ignore_permissions=True, set_name=priority)
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
			"targets": [
				{"priority": "Bench", "response_time": 3600, "resolution_time": 4 * 3600},
				{"priority": "Bench 2", "response_time": 7200, "resolution_time": 8 * 3600},
			],
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
	"""ERPNext's own SLA on Issue, for comparison: a default Service Level Agreement with SLA tracking
	switched on, as the app's agreement: 24x7, priority "Bench" respond in 1 h and resolve in 4 h, "Bench 2"
	in 2 h and 8 h, paused while On Hold."""
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
				},
				{"priority": "Bench 2", "response_time": 7200, "resolution_time": 8 * 3600},
			],
			"pause_sla_on": [{"status": "On Hold"}],
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


# -- 1. the ticket paths --------------------------------------------------------------------------------

WARM_UP = 20
TODO_TEXT = "_bench to-do"  # benchmark data, not a message


def _issue(world, **values) -> frappe.model.document.Document:
	return frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": "Benchmark issue",
			"customer": world.customer,
			"priority": "Bench",
			**values,
		}
	)


def _open_ticket(world):
	return _issue(world).insert(ignore_permissions=True)


def _ticket_in(status):
	def prepare(world):
		doc = _open_ticket(world)
		doc.status = status
		doc.save(ignore_permissions=True)
		return doc

	return prepare


def _timed_save(**changes):
	def act(doc):
		doc.update(changes)
		t0 = time.perf_counter()
		doc.save(ignore_permissions=True)
		return (time.perf_counter() - t0) * 1000

	return act


def _timed_insert(doc):
	t0 = time.perf_counter()
	doc.insert(ignore_permissions=True)
	return (time.perf_counter() - t0) * 1000


def _timed_reply(doc):
	reply = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": "Re: Benchmark issue",
			"content": "A reply",
			"sender": "support@example.com",
			"recipients": "customer@example.com",
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
		}
	)
	t0 = time.perf_counter()
	reply.insert(ignore_permissions=True)
	return (time.perf_counter() - t0) * 1000


def _todo(world):
	return frappe.get_doc({"doctype": "ToDo", "description": TODO_TEXT}).insert(ignore_permissions=True)


# label → (what is measured, prepare one item (None: nothing to prepare), measure one item → ms)
PATHS = {
	"insert": ("Issue.insert", None, _timed_insert),
	"pause": ("status Open → On Hold (pauses)", _open_ticket, _timed_save(status="On Hold")),
	"resume": ("status On Hold → Open (resumes)", _ticket_in("On Hold"), _timed_save(status="Open")),
	"priority": ("priority change", _open_ticket, _timed_save(priority="Bench 2")),
	"reply": ("outgoing reply (Communication Sent)", _open_ticket, _timed_reply),
	"resolve": ("status Open → Resolved", _open_ticket, _timed_save(status="Resolved")),
	"reopen": ("status Resolved → Open (reopens)", _ticket_in("Resolved"), _timed_save(status="Open")),
	"other": ("non-ticket save (ToDo)", _todo, _timed_save(description=TODO_TEXT + ", changed")),
}


def bench_insert(world, n: int) -> dict:
	"""``Issue.insert`` (kept for callers of the earlier benchmark): ``bench_path`` of "insert"."""
	return bench_path(world, "insert", n)


def bench_path(world, path: str, n: int, cold: bool = False) -> dict:
	"""One ticket path, ``n`` times per variant, interleaved (off, app, ERPNext SLA, off, ...) after a
	warm-up. Each variant gets one item (a ticket in the path's start state, prepared with the variant's
	hooks); every run reloads it (untimed; with ``cold``, also empties Frappe's per-request caches), runs
	the operation (timed) inside a savepoint and rolls back to the savepoint, so each run is the same transition on the same rows — as in production, where each
	request is a short transaction — and the transaction does not grow with the runs (a growing one makes
	every statement slower, and the baseline with it)."""
	label, prepare, act = PATHS[path]
	original = frappe.get_doc_hooks()
	hooks = _hook_sets()
	# The agreement was made in this (uncommitted) transaction, so the ticket handler would read candidate
	# agreements from the database instead of the cache; in production tickets are inserted long after the
	# agreement was committed. Measure that: as if in a later request (the rollback still clears the cache).
	frappe.flags[agreements.CHANGED_FLAG] = False
	times = {variant: [] for variant in hooks}
	queries = {}
	savepoint, run_savepoint = "sla_bench_path", "sla_bench_run"
	frappe.db.savepoint(savepoint)

	def fresh(variant):
		"""The variant's item as stored (an unsaved ticket for the insert path)."""
		if prepare is None:
			return _issue(world)
		item = items[variant]
		item.reload()
		return item

	def run_once(variant, measure=act):
		"""``measure`` (default: the timed operation) of the variant's fresh item, rolled back after."""
		frappe.db.savepoint(run_savepoint)
		try:
			item = fresh(variant)
			if cold:
				as_a_new_request()
			return measure(item)
		finally:
			frappe.db.rollback(save_point=run_savepoint)

	def statements(item) -> int:
		return _count_queries(lambda: act(item))

	try:
		items = {}
		for variant, events in hooks.items():
			frappe.local.doc_events_hooks = events
			items[variant] = prepare(world) if prepare else None
		for i in range(n + WARM_UP):
			for variant, events in hooks.items():
				frappe.local.doc_events_hooks = events
				elapsed = run_once(variant)
				if i >= WARM_UP:
					times[variant].append(elapsed)
		# where the app's time goes: a separate pass with its handlers timed (the wrappers cost a few µs,
		# kept out of the figures above)
		frappe.local.doc_events_hooks = hooks["app"]
		split = []
		with HandlerMeter() as meter:
			for _ in range(max(MIN_SPLIT_RUNS, n // 3)):
				meter.reset()
				run_once("app")
				split.append((meter.handlers * 1000, meter.sql * 1000, meter.statements))
		last = {}
		for variant, events in hooks.items():
			frappe.local.doc_events_hooks = events
			# the median of a few operations: Frappe's own statements vary from one save to the next (the
			# `_seen` UPDATE, a cache filled once)
			queries[variant] = statistics.median_low(run_once(variant, statements) for _ in range(COUNT_RUNS))
			doc = fresh(variant)
			act(doc)
			last[variant] = doc  # kept (not rolled back) for the check below
	finally:
		frappe.local.doc_events_hooks = original
	med = {variant: statistics.median(values) for variant, values in times.items()}
	added, erpnext_added = med["app"] - med["off"], med["erpnext"] - med["off"]
	handlers_ms = statistics.median(h for h, _sql, _k in split)
	handlers_sql_ms = statistics.median(sql for _h, sql, _k in split)
	figures = {
		"path": path,
		"label": label,
		"n": n,
		"median_off_ms": round(med["off"], 3),
		"median_on_ms": round(med["app"], 3),
		"median_erpnext_ms": round(med["erpnext"], 3),
		"added_ms": round(added, 3),
		"erpnext_added_ms": round(erpnext_added, 3),
		"added_pct": round(100 * added / med["off"], 1),
		"erpnext_added_pct": round(100 * erpnext_added / med["off"], 1),
		"app_vs_erpnext": round(added / erpnext_added, 3) if erpnext_added > 0 else None,
		"p90_off_ms": round(_pct(times["off"], 0.9), 3),
		"p90_on_ms": round(_pct(times["app"], 0.9), 3),
		"handlers_ms": round(handlers_ms, 3),
		"handlers_sql_ms": round(handlers_sql_ms, 3),
		"handlers_statements": statistics.median(k for _h, _sql, k in split),
		"handlers_python_ms": round(statistics.median(h - sql for h, sql, _k in split), 3),
		"elsewhere_ms": round(added - handlers_ms, 3),
		"queries_off": queries["off"],
		"queries_on": queries["app"],
		"queries_erpnext": queries["erpnext"],
	}
	if path != "other":
		figures["check"] = _check(last["app"], last["erpnext"])
	frappe.db.rollback(save_point=savepoint)
	return figures


MIN_SPLIT_RUNS = 30


def as_a_new_request() -> None:
	"""Empty Frappe's per-request caches, as every request starts with them empty: the Redis values kept in
	the request (``frappe.local.cache``) and the database's value cache (which answers the link checks of
	a save: the ticket's customer, priority, company and SLA agreement). Without this, all runs of one
	``bench execute`` would share one warm request and leave out costs each real save has."""
	frappe.local.cache = {}
	frappe.db.value_cache.clear()


COUNT_RUNS = 5


class HandlerMeter:
	"""Time spent in this app's ticket handlers, and in the SQL statements they send (``frappe.db.sql``,
	through which the query builder and ``get_value`` run too), while the context is open; ``reset`` for
	each operation. Nested handler calls are counted once."""

	NAMES = ("on_ticket_change", "on_communication")

	def __init__(self):
		self.originals: dict = {}
		self.depth = 0
		self.reset()

	def reset(self) -> None:
		self.handlers = self.sql = 0.0
		self.statements = 0

	def __enter__(self):
		from sla_management.sla_check.tickets import events

		for name in self.NAMES:
			self.originals[name] = getattr(events, name)
			setattr(events, name, self._timed(self.originals[name]))
		return self

	def __exit__(self, *exc) -> None:
		from sla_management.sla_check.tickets import events

		for name, handler in self.originals.items():
			setattr(events, name, handler)

	def _timed(self, handler):
		def timed_handler(*args, **kwargs):
			if self.depth:
				return handler(*args, **kwargs)
			db, sql = frappe.db, frappe.db.sql

			def timed_sql(*a, **kw):
				t0 = time.perf_counter()
				try:
					return sql(*a, **kw)
				finally:
					self.sql += time.perf_counter() - t0
					self.statements += 1

			patched = "sql" in db.__dict__  # already an instance attribute (Frappe's recorder sets one)
			self.depth += 1
			db.sql = timed_sql
			t0 = time.perf_counter()
			try:
				return handler(*args, **kwargs)
			finally:
				self.handlers += time.perf_counter() - t0
				if patched:
					db.sql = sql
				else:
					del db.sql  # Database.sql again
				self.depth -= 1

		return timed_handler


def round_trip_ms(n: int = 200) -> float:
	"""The median time of the cheapest statement (``SELECT 1``): what any statement costs on this machine."""
	values = []
	for _ in range(n):
		t0 = time.perf_counter()
		frappe.db.sql("SELECT 1")
		values.append((time.perf_counter() - t0) * 1000)
	return statistics.median(values)


def _check(app_doc, erpnext_doc) -> str:
	"""What the last measured tickets show: this app's SLA status and timers, ERPNext's agreement status."""
	app = frappe.db.get_value(
		"Issue", app_doc.name, ["sla_mgmt_status", "sla_mgmt_agreement", "priority"], as_dict=True
	)
	timers = frappe.get_all(
		TIMER,
		filters={"ticket_doctype": "Issue", "ticket": app_doc.name},
		fields=["metric", "cycle", "status"],
		order_by="cycle asc, metric desc",
	)
	erpnext = frappe.db.get_value(
		"Issue", erpnext_doc.name, ["service_level_agreement", "agreement_status"], as_dict=True
	)
	timer_text = ", ".join(f"{t.metric} {t.cycle} {t.status}" for t in timers)
	return (
		f"app: {app.sla_mgmt_status}, {app.sla_mgmt_agreement or '-'} ({timer_text}); ERPNext: "
		f"{erpnext.agreement_status or '-'} ({erpnext.service_level_agreement or 'no SLA'})"
	)


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


_META_COLUMNS = ("creation", "modified", "owner", "modified_by", "docstatus", "idx")


def bench_sweep(world, total: int, due: int) -> dict:
	now = frappe.utils.now_datetime()
	start = now - timedelta(hours=1)
	user = frappe.session.user
	cols = [*TIMER_FIELDS, *_META_COLUMNS]
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
	# the due timers' tickets exist (the sweep claims ticket rows, and stops checking timers of tickets that
	# do not): minimal Issue rows, raw (rolled back with the rest)
	frappe.db.bulk_insert(
		"Issue",
		["name", "subject", "status", "customer", "priority", *_META_COLUMNS],
		[
			[
				f"BENCH-{tag}-{i}",
				"Benchmark issue",
				"Open",
				world.customer,
				"Bench",
				now,
				now,
				user,
				user,
				0,
				0,
			]
			for i in range(due)
		],
		chunk_size=10_000,
	)
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
	paths, sw = figures["paths"], figures["sweep"]
	print("SLA Management benchmark (one run)")
	if paths:
		n = next(iter(paths.values()))["n"]
		print(
			f"Ticket paths: median of n={n} per variant, interleaved (off: neither SLA; app: this app's hooks; "
			"ERPNext: ERPNext's own SLA); added = against off; SQL = statements per operation, off/app/ERPNext"
		)
	width = max((len(f["label"]) for f in paths.values()), default=0)
	for f in paths.values():
		ratio = "-" if f["app_vs_erpnext"] is None else f"{f['app_vs_erpnext']:.3f}"
		print(
			f"  {f['label']:<{width}}  off {f['median_off_ms']:7.3f} ms | app {f['median_on_ms']:7.3f} ms → "
			f"{f['added_ms']:+.3f} ms ({f['added_pct']:+.1f} %) | ERPNext {f['median_erpnext_ms']:7.3f} ms → "
			f"{f['erpnext_added_ms']:+.3f} ms ({f['erpnext_added_pct']:+.1f} %) | app/ERPNext {ratio} | "
			f"SQL {f['queries_off']}/{f['queries_on']}/{f['queries_erpnext']}"
		)
	for f in paths.values():
		if f.get("check"):
			print(f"    after {f['path']}: {f['check']}")
	if paths:
		print(
			"Where the app's added time goes (a separate pass with its handlers timed; medians per operation): "
			f"in its handlers = SQL (statements) + Python; elsewhere = added - handlers. One statement's round "
			f"trip here (SELECT 1, median of 200): {figures['round_trip_ms']:.3f} ms"
		)
		for f in paths.values():
			print(
				f"  {f['label']:<{width}}  handlers {f['handlers_ms']:.3f} ms = SQL {f['handlers_sql_ms']:.3f} ms "
				f"({f['handlers_statements']:g}) + Python {f['handlers_python_ms']:.3f} ms; elsewhere "
				f"{f['elsewhere_ms']:+.3f} ms"
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


def profile(path: str = "pause", n: int = 100, variant: str = "app", top: int = 40) -> None:
	"""cProfile of ``n`` operations of one ticket path with one variant's hooks (prepared first, as in
	``bench_path``), printed by cumulative time; rolled back.

	bench --site SITE execute sla_management.sla_check.tickets.benchmark.profile --kwargs "{'path': 'reply'}"
	"""
	import cProfile
	import pstats

	label, prepare, act = PATHS[path]
	frappe.flags.mute_emails = True
	frappe.db.rollback()
	original = frappe.get_doc_hooks()
	try:
		world = _world()
		frappe.flags[agreements.CHANGED_FLAG] = False
		frappe.local.doc_events_hooks = _hook_sets()[variant]
		items = [prepare(world) if prepare else _issue(world) for _ in range(n + WARM_UP)]
		for item in items[:WARM_UP]:
			act(item)
		profiler = cProfile.Profile()
		profiler.enable()
		for item in items[WARM_UP:]:
			act(item)
		profiler.disable()
	finally:
		frappe.local.doc_events_hooks = original
		frappe.db.rollback()
		frappe.cache.delete_value(ERPNEXT_SLA_CACHE)
		frappe.clear_document_cache("Support Settings", "Support Settings")
		config.clear_cache()
	print(f"{label}, {variant}, {n} operations")
	stats = pstats.Stats(profiler).sort_stats("cumulative")
	stats.print_stats(top)
	stats.print_stats("sla_management", top)
