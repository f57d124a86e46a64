"""Real parallel database connections for race tests.

``run_parallel(fn_a, fn_b, ...)`` runs each callable in its own thread with its own Frappe connection to
the current test site. The threads start together (a barrier), each commits when its callable returns and
rolls back when it raises; the outcomes come back in order as ``Outcome(value, error)``. The whole run is
bounded by ``timeout`` (a thread still running then fails the test instead of hanging it). The caller's
own transaction is rolled back afterwards, so that it reads what the threads committed.

Patch (``unittest.mock.patch``, a frozen clock) around ``run_parallel``, never inside the callables: a patch
entered and left by two threads at once can leave the mock in place for good.

What the callables need must be committed first (the other connections cannot see the test's open
transaction); ``committed()`` commits the test's transaction and deletes the given rows afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import frappe


@dataclass
class Outcome:
	value: object = None
	error: BaseException | None = None


def run_parallel(
	*fns: Callable[[], object], user: str = "Administrator", timeout: float = 60
) -> list[Outcome]:
	site, sites_path = frappe.local.site, frappe.local.sites_path
	barrier = threading.Barrier(len(fns))
	outcomes = [Outcome() for _fn in fns]

	def worker(i: int, fn: Callable[[], object]) -> None:
		frappe.init(site=site, sites_path=sites_path)
		try:
			frappe.connect()
			frappe.set_user(user)
			barrier.wait(timeout)
			try:
				outcomes[i].value = fn()
				frappe.db.commit()
			except BaseException as exc:
				frappe.db.rollback()
				outcomes[i].error = exc
		except BaseException as exc:
			outcomes[i].error = exc
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=worker, args=(i, fn), daemon=True) for i, fn in enumerate(fns)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout)
	if any(thread.is_alive() for thread in threads):
		raise AssertionError(f"parallel run did not finish within {timeout} s")
	frappe.db.rollback()
	return outcomes


@contextmanager
def committed(*cleanup: tuple[str, str]) -> Iterator[list[tuple[str, str]]]:
	"""Commit the test's transaction so other connections see its rows; on exit delete ``cleanup`` rows
	(doctype, name) and whatever the body appended to the yielded list, and commit again."""
	rows = list(cleanup)
	frappe.db.commit()
	try:
		yield rows
	finally:
		frappe.db.rollback()
		for doctype, name in reversed(rows):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()
