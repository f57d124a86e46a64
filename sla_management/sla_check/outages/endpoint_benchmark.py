# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""Throughput of the monitoring endpoint through gunicorn on loopback (issue 12), run on a bench site:

	bench --site SITE execute sla_management.sla_check.outages.endpoint_benchmark.run \
		--kwargs "{'batches': 20, 'single': 200, 'rounds': 3}"

Starts ``gunicorn -w 2 --preload frappe.app:application`` from the bench's sites directory on a free port
of 127.0.0.1 (requests carry ``Host: SITE``), makes a throw-away SLA Integration user with an API key and
secret, a customer, a service project and a service item (committed: the workers must see them), and
posts with two client threads (one request in flight per worker):

- ``batches`` Alertmanager batches of 100 new firing alerts each (new/s), then the same batches again
  (replay/s: nothing new is recorded);
- baseline from the same run: ``single`` alerts posted one per request, new and replayed.

``rounds`` rounds, each with fresh alerts and the four runs interleaved; the medians are printed.

Prints alerts per second and the ratio to the baseline; targets: ≥ 300 new alerts/s in batches, ≥ 1,500
replayed. The run is bounded (``max_seconds`` for the whole posting, ``timeout`` per request). Afterwards
it deletes everything it made (outages, Error Logs of its user, the user, project, item, customer) and
stops gunicorn, also when it fails.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import frappe
from frappe.utils import random_string

from sla_management.engine.roles import INTEGRATION
from sla_management.tests.factories import plan as plan_factory

GUNICORN = "/home/frappe/frappe-bench/env/bin/gunicorn"
METHOD = "/api/method/sla_management.sla_check.monitoring.alertmanager"
BATCH = 100
NEW_TARGET, REPLAY_TARGET = 300, 1500


def _free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def _alert(tag: str, n: int, item: str, project: str) -> dict:
	return {
		"status": "firing",
		"labels": {"alertname": "BenchDown", "sla_service_item": item, "sla_project": project},
		"annotations": {"summary": "benchmark"},
		"startsAt": f"2026-03-02T08:{n // 60 % 60:02d}:{n % 60:02d}Z",
		"endsAt": "0001-01-01T00:00:00Z",
		"fingerprint": f"{tag}-{n}",
	}


def _setup(tag: str) -> frappe._dict:
	email = f"{tag}@example.com"
	plan_factory.make_user(email, INTEGRATION)
	user = frappe.get_doc("User", email)
	user.api_key = frappe.generate_hash(length=15)
	secret = frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save(ignore_permissions=True)
	customer = plan_factory.make_customer(f"{tag} Customer")
	made = frappe._dict(
		user=email,
		token=f"{user.api_key}:{secret}",
		customer=customer,
		project=plan_factory.make_project(customer),
		item=plan_factory.make_service_item(),
	)
	frappe.db.commit()
	return made


def _cleanup(tag: str, made: frappe._dict | None) -> None:
	frappe.db.rollback()
	frappe.db.delete("SLA Outage", {"fingerprint": ["like", f"{tag}-%"]})
	if made:
		frappe.db.delete("Error Log", {"owner": made.user})
		for doctype, name in (
			("SLA Service Project", made.project),
			("SLA Service Item", made.item),
			(plan_factory.customer_doctype(), made.customer),
			("User", made.user),
		):
			if name and frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
	frappe.db.commit()


def _start_gunicorn(port: int) -> subprocess.Popen:
	sites = os.path.abspath(frappe.local.sites_path)
	return subprocess.Popen(
		[GUNICORN, "-b", f"127.0.0.1:{port}", "-w", "2", "--preload", "frappe.app:application"],
		cwd=sites,
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)


def _stop(proc: subprocess.Popen) -> None:
	if proc.poll() is None:
		os.killpg(proc.pid, signal.SIGTERM)
		try:
			proc.wait(10)
		except subprocess.TimeoutExpired:
			os.killpg(proc.pid, signal.SIGKILL)
			proc.wait(10)


def _wait_ready(session, url: str, headers: dict, deadline: float) -> None:
	while time.monotonic() < deadline:
		try:
			if session.get(f"{url}/api/method/ping", headers=headers, timeout=2).status_code == 200:
				return
		except Exception:
			pass
		time.sleep(0.2)
	raise RuntimeError("gunicorn did not answer in time")


def _post_all(url: str, headers: dict, bodies: list, timeout: float, deadline: float) -> tuple[float, dict]:
	"""Post ``bodies`` with two client threads; (seconds, summed answer counts)."""
	import requests

	sessions = [requests.Session(), requests.Session()]

	def post(i_body):
		i, body = i_body
		if time.monotonic() > deadline:
			raise RuntimeError("the benchmark ran out of its time budget")
		r = sessions[i % 2].post(url + METHOD, json=body, headers=headers, timeout=timeout)
		if r.status_code != 200:
			raise RuntimeError(f"HTTP {r.status_code}: {r.text[:300]}")
		return r.json()["message"]

	started = time.perf_counter()
	with ThreadPoolExecutor(2) as pool:
		answers = list(pool.map(post, enumerate(bodies)))
	seconds = time.perf_counter() - started
	totals = {k: sum(len(a[k]) for a in answers) for k in ("opened", "closed", "ignored", "unmapped")}
	return seconds, totals


def run(
	batches: int = 20, single: int = 200, rounds: int = 3, timeout: float = 30, max_seconds: float = 300
) -> dict:
	import requests

	tag = f"bench-outage-{random_string(6).lower()}"
	made = None
	proc = None
	try:
		made = _setup(tag)
		port = _free_port()
		proc = _start_gunicorn(port)
		url = f"http://127.0.0.1:{port}"
		headers = {"Host": frappe.local.site, "Authorization": f"token {made.token}"}
		deadline = time.monotonic() + max_seconds
		_wait_ready(requests.Session(), url, {"Host": frappe.local.site}, time.monotonic() + 60)

		def body(alerts):
			return {"version": "4", "status": "firing", "receiver": "sla", "alerts": alerts}

		# warm-up: both workers load the app and caches
		_post_all(
			url,
			headers,
			[body([_alert(f"{tag}-w", n, made.item, made.project)]) for n in range(4)],
			timeout,
			deadline,
		)

		figures: dict[str, list[float]] = {}
		for r in range(rounds):
			n_batch = [
				body([_alert(f"{tag}-{r}b", b * BATCH + i, made.item, made.project) for i in range(BATCH)])
				for b in range(batches)
			]
			n_single = [body([_alert(f"{tag}-{r}s", n, made.item, made.project)]) for n in range(single)]
			for name, bodies, count in (
				("single new", n_single, single),
				("batch new", n_batch, batches * BATCH),
				("single replay", n_single, single),
				("batch replay", n_batch, batches * BATCH),
			):
				seconds, totals = _post_all(url, headers, bodies, timeout, deadline)
				expected = "opened" if "new" in name else "ignored"
				if totals[expected] != count:
					raise RuntimeError(f"{name}: expected {count} {expected}, got {totals}")
				figures.setdefault(name, []).append(count / seconds)
		medians = {name: statistics.median(rates) for name, rates in figures.items()}
		print(
			f"monitoring endpoint, gunicorn -w 2 on loopback, two clients; {batches} batches of {BATCH}, "
			f"{single} single alerts; median of {rounds} interleaved rounds"
		)
		for kind, target in (("new", NEW_TARGET), ("replay", REPLAY_TARGET)):
			batch_rate, single_rate = medians[f"batch {kind}"], medians[f"single {kind}"]
			verdict = "met" if batch_rate >= target else "NOT met"
			print(
				f"  {kind:6}: {batch_rate:8.0f} alerts/s in batches   baseline one per request "
				f"{single_rate:6.0f}/s   ratio {batch_rate / single_rate:5.1f}x   target >= {target}: {verdict}"
			)
		return {k: round(v) for k, v in medians.items()}
	finally:
		if proc is not None:
			_stop(proc)
		_cleanup(tag, made)
