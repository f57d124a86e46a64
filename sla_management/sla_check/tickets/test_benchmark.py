# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""A smoke run of the ticket benchmark on the site: its split of the added time agrees with the server's
own count of statements, and it leaves the site as it found it."""

from __future__ import annotations

import contextlib
import io

import frappe

from sla_management.sla_check.tickets import benchmark
from sla_management.tests.compat import IntegrationTestCase


class TestTicketBenchmark(IntegrationTestCase):
	def test_handler_split_counts_the_statements_the_server_counted(self):
		if not frappe.db.exists("DocType", "Issue"):
			self.skipTest("the ticket benchmark measures ERPNext's Issue")
		mute = frappe.flags.mute_emails
		self.addCleanup(setattr, frappe.flags, "mute_emails", mute)  # the benchmark mutes e-mails
		issues, timers = frappe.db.count("Issue"), frappe.db.count("SLA Timer")
		out = io.StringIO()
		with contextlib.redirect_stdout(out):
			figures = benchmark.run(n=3, sweep=False, paths="priority,reply,other")
		paths = figures["paths"]
		# two independent counts: the statements the app's handlers sent (the benchmark's meter) and the
		# server's count of one operation's statements with and without the app
		for path in ("priority", "reply"):
			f = paths[path]
			self.assertGreaterEqual(f["handlers_statements"], 1, path)
			self.assertEqual(f["handlers_statements"], f["queries_on"] - f["queries_off"], path)
			self.assertGreater(f["handlers_ms"], f["handlers_sql_ms"], path)
			self.assertAlmostEqual(
				f["handlers_python_ms"], f["handlers_ms"] - f["handlers_sql_ms"], delta=0.5, msg=path
			)
		self.assertEqual(paths["other"]["handlers_statements"], 0)  # the "*" hook leaves a ToDo at once
		self.assertGreater(figures["round_trip_ms"], 0)
		self.assertIn("Where the app's added time goes", out.getvalue())
		# everything was rolled back
		self.assertEqual((frappe.db.count("Issue"), frappe.db.count("SLA Timer")), (issues, timers))
