"""The demo year's outages: failures (Down / Degraded) per project and month, and a planned maintenance.

Recorded as monitoring would (``source`` + ``fingerprint``: one outage per alert), so that a second run
finds them and ``delete_demo_year`` removes exactly these.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import frappe

from sla_management.demo import year_data as Y
from sla_management.demo.users import OPS
from sla_management.demo.year_tickets import fast, to_system

SOURCE = "sla-demo-year"
CAUSES = {
	"Down": ("Power supply failure", "Disk controller fault", "Configuration error after a change"),
	"Degraded": ("Memory leak in the application", "Link saturated by backups", "One node of two failed"),
}


def make_outages(clock, year: int, seed: int, end: datetime) -> int:
	"""Outages from January to the month of ``end``; returns how many were added."""
	known = set(frappe.get_all("SLA Outage", filters={"source": SOURCE}, pluck="fingerprint"))
	added = 0
	for customer in Y.CUSTOMERS:
		for start, end_at, item, kind, cause, key in outage_plan(customer, year, seed, end):
			if key in known:
				continue
			clock.set(end_at)  # recorded when the outage is over
			doc = frappe.get_doc(
				{
					"doctype": "SLA Outage",
					"service_item": item,
					"project": customer.project,
					"kind": kind,
					"start": start,
					"end": end_at,
					"cause": cause,
					"found_by": "Monitoring" if kind != "Planned Maintenance" else "Manual",
					"confirmed_by": OPS,
					"source": SOURCE,
					"fingerprint": key,
				}
			)
			fast(doc)
			doc.insert(ignore_permissions=True)
			added += 1
	return added


def outage_plan(customer, year: int, seed: int, end: datetime) -> list[tuple]:
	"""(start, end, service item, kind, cause, key) of one project's outages before ``end``."""
	rng = random.Random(f"{seed}:{year}:{customer.project}:outages")
	rows = []
	for month in range(1, 13):
		first = date(year, month, 1)
		days = ((date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - first).days
		for kind, per_month, minutes in Y.OUTAGES:
			# a count around ``per_month``: four chances per month
			for _chance in range(4):
				if rng.random() >= per_month / 4:
					continue
				wall = datetime.combine(first, datetime.min.time()) + timedelta(
					days=rng.randrange(days), minutes=rng.randrange(7 * 60, 22 * 60)
				)
				duration = timedelta(minutes=max(5, min(12 * 60, rng.expovariate(1 / minutes))))
				rows.append(
					(wall, wall + duration, rng.choice(customer.items), kind, rng.choice(CAUSES[kind]))
				)
	# one planned maintenance per project: a Saturday night in June
	saturday = date(year, 6, 6) + timedelta(days=(5 - date(year, 6, 6).weekday()) % 7)
	wall = datetime.combine(saturday, datetime.min.time()) + timedelta(hours=22)
	rows.append(
		(
			wall,
			wall + timedelta(hours=Y.PLANNED_MAINTENANCE_HOURS),
			customer.items[0],
			"Planned Maintenance",
			"Firmware upgrade and failover test, announced two weeks ahead",
		)
	)
	out = []
	for n, (start, end_at, item, kind, cause) in enumerate(sorted(rows), 1):
		start, end_at = to_system(start), to_system(end_at)
		if end_at <= end:
			out.append((start, end_at, item, kind, cause, f"{year}:{customer.project}:{n}"))
	return out
