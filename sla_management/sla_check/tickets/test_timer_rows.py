# Copyright (c) 2026, sla_management developers
# For license information, please see license.txt

"""``timer_store.insert_rows`` writes literals itself for speed: every value must read back as it was given."""

from __future__ import annotations

from datetime import datetime

import frappe

from sla_management.sla_check.tickets import timer_store
from sla_management.tests.compat import IntegrationTestCase

COLUMNS = [
	"name",
	"ticket_doctype",
	"ticket",
	"metric",
	"cycle",
	"status",
	"priority",
	"requirement_metric",
	"target_seconds",
	"elapsed_seconds",
	"start",
	"deadline",
	"stop",
	"breached",
	"target_history",
]
TRICKY = [
	"O'Brien \\ back\\slash",
	"100% done %s %(x)s",
	"ifnull(a, b) -- comment; DROP TABLE x",
	'quote " double',
	"中文 工单 ✓",
	"line\nbreak\ttab\x00nul",
]


class TestTimerRows(IntegrationTestCase):
	def row(self, i: int, text: str) -> dict:
		tag = frappe.generate_hash(length=6)
		return {
			"name": f"_t_rows_{i}_{tag}",
			"ticket_doctype": "Issue",
			"ticket": f"ISS-ROWS-{i}-{tag}",  # one timer per ticket, metric and cycle: a fresh ticket each run
			"metric": "Resolution",
			"cycle": i + 1,
			"status": "Running",
			"priority": text,
			"requirement_metric": None,
			"target_seconds": 3600.0 + i / 10,
			"elapsed_seconds": 12345.678901,
			"start": datetime(2026, 6, 1, 9, 0, 0),
			"deadline": datetime(2026, 6, 1, 13, 0, 0, 123456),
			"stop": None if i % 2 else datetime(2026, 6, 1, 10, 30, 5),
			"breached": i % 2,
			"target_history": text,
		}

	def test_values_read_back_exactly(self):
		rows = [self.row(i, text) for i, text in enumerate(TRICKY)]
		timer_store.insert_rows(timer_store.TIMER, COLUMNS, [[r[c] for c in COLUMNS] for r in rows])
		for r in rows:
			stored = frappe.db.get_value(timer_store.TIMER, r["name"], COLUMNS, as_dict=True)
			self.assertIsNotNone(stored, r["name"])
			for column in COLUMNS:
				expected, got = r[column], stored[column]
				if isinstance(expected, float):
					self.assertAlmostEqual(float(got), expected, places=6, msg=column)
				else:
					self.assertEqual(got, expected, f"{column} of {r['name']}")

	def test_a_value_null_in_one_row_only_is_written_as_null(self):
		rows = [self.row(0, "a"), self.row(1, "b")]  # stop: set in row 0, None in row 1
		timer_store.insert_rows(timer_store.TIMER, COLUMNS, [[r[c] for c in COLUMNS] for r in rows])
		self.assertEqual(frappe.db.get_value(timer_store.TIMER, rows[0]["name"], "stop"), rows[0]["stop"])
		self.assertIsNone(frappe.db.get_value(timer_store.TIMER, rows[1]["name"], "stop"))

	def test_update_rows_writes_each_rows_changes_only(self):
		rows = [self.row(i, f"row {i}") for i in range(3)]
		timer_store.insert_rows(timer_store.TIMER, COLUMNS, [[r[c] for c in COLUMNS] for r in rows])
		first, second, third = (r["name"] for r in rows)
		changes = {
			first: {
				"status": "Paused",
				"deadline": None,
				"elapsed_seconds": 1.5,
				"target_history": TRICKY[0],
			},
			second: {"status": "Met", "stop": datetime(2026, 6, 2, 8, 0, 0, 7), "breached": 0},
		}
		timer_store.update_rows(timer_store.TIMER, changes)
		stored = {
			r.name: r
			for r in frappe.get_all(
				timer_store.TIMER, filters={"name": ("in", [first, second, third])}, fields=["name", *COLUMNS]
			)
		}
		for r in rows:
			expected = {**r, **changes.get(r["name"], {})}
			for column in COLUMNS:
				got = stored[r["name"]][column]
				if isinstance(expected[column], float):
					self.assertAlmostEqual(float(got), expected[column], places=6, msg=column)
				else:
					self.assertEqual(got, expected[column], f"{column} of {r['name']}")

	def test_update_rows_with_values_shared_by_every_row_and_values_of_one_row(self):
		rows = [self.row(i, f"row {i}") for i in range(3)]
		timer_store.insert_rows(timer_store.TIMER, COLUMNS, [[r[c] for c in COLUMNS] for r in rows])
		at = datetime(2026, 6, 2, 8, 0, 0, 7)
		changes = {
			r["name"]: {
				"status": "Paused",
				"stop": None,
				"deadline": at,
				"target_history": TRICKY[1],
				"elapsed_seconds": 10.0 + i,
				**({"breached": 1} if i == 1 else {}),
			}
			for i, r in enumerate(rows)
		}
		timer_store.update_rows(timer_store.TIMER, changes)
		for i, r in enumerate(rows):
			stored = frappe.db.get_value(timer_store.TIMER, r["name"], ["name", *COLUMNS], as_dict=True)
			self.assertEqual(
				(stored.status, stored.stop, stored.deadline, stored.target_history, stored.breached),
				("Paused", None, at, TRICKY[1], 1 if i == 1 else r["breached"]),
			)
			self.assertAlmostEqual(float(stored.elapsed_seconds), 10.0 + i, places=6)

	def test_update_rows_of_one_row_with_tricky_values(self):
		row = self.row(0, "plain")
		timer_store.insert_rows(timer_store.TIMER, COLUMNS, [[row[c] for c in COLUMNS]])
		for text in TRICKY:
			timer_store.update_rows(
				timer_store.TIMER, {row["name"]: {"priority": text, "target_history": text}}
			)
			stored = frappe.db.get_value(timer_store.TIMER, row["name"], ["priority", "target_history"])
			self.assertEqual(stored, (text, text))
