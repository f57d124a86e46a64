# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""A smoke run of the ticket benchmark on the site: its meter finds the app's statement budget in the app's
handlers, and the run leaves the site as it found it."""

from __future__ import annotations

import contextlib
import io

import frappe

from sla_management.sla_check.tickets import benchmark
from sla_management.tests.compat import IntegrationTestCase


class TestTicketBenchmark(IntegrationTestCase):
	def test_handler_split_finds_the_app_statement_budget(self):
		if not frappe.db.exists("DocType", "Issue"):
			self.skipTest("the ticket benchmark measures ERPNext's Issue")
		mute = frappe.flags.mute_emails
		self.addCleanup(setattr, frappe.flags, "mute_emails", mute)  # the benchmark mutes e-mails
		issues, timers = frappe.db.count("Issue"), frappe.db.count("SLA Timer")
		out = io.StringIO()
		with contextlib.redirect_stdout(out):
			figures = benchmark.run(n=3, sweep=False, paths="priority,reply,other")
		paths = figures["paths"]
		# the app's statement budget per path (README → Benchmarks): a priority change writes its timers in
		# one UPDATE; a reply takes the ticket's locking read, the timers' UPDATE and the ticket's stamp;
		# the "*" hook leaves a ToDo at once. (Not compared with the server's count of the whole operation:
		# Frappe's own statements vary from one save to the next, e.g. the `_seen` UPDATE.)
		for path, statements in (("priority", 1), ("reply", 3), ("other", 0)):
			f = paths[path]
			self.assertEqual(f["handlers_statements"], statements, path)
			self.assertGreaterEqual(f["queries_on"], statements, path)
			self.assertGreaterEqual(f["handlers_ms"], f["handlers_sql_ms"], path)
			self.assertAlmostEqual(
				f["handlers_python_ms"], f["handlers_ms"] - f["handlers_sql_ms"], delta=0.5, msg=path
			)
		self.assertGreater(figures["round_trip_ms"], 0)
		self.assertIn("Where the app's added time goes", out.getvalue())
		# everything was rolled back
		self.assertEqual((frappe.db.count("Issue"), frappe.db.count("SLA Timer")), (issues, timers))
