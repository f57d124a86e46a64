"""Texts in a chosen language: a recipient's, or the site's for what everyone reads (timeline comments).

Background jobs run in English (``frappe.init`` sets ``frappe.local.lang`` from the site config or "en"),
whatever the site's language: texts stored for everyone are written in the system language, and alerts
in each recipient's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import frappe


def system_language() -> str:
	"""The site's language (System Settings), else English."""
	return frappe.db.get_single_value("System Settings", "language") or frappe.db.get_default("lang") or "en"


@contextmanager
def language(lang: str | None) -> Iterator[None]:
	"""Translate with ``lang`` inside the block (``frappe._`` reads ``frappe.local.lang``), then restore."""
	previous = getattr(frappe.local, "lang", None)
	previous_jenv = getattr(frappe.local, "jenv", None)
	if not lang or lang == previous:
		yield
		return
	frappe.local.lang = lang
	frappe.local.jenv = None
	try:
		yield
	finally:
		frappe.local.lang = previous
		frappe.local.jenv = previous_jenv


def in_system_language():
	"""``with in_system_language(): doc.add_comment(...)``: the comment in the site's language."""
	return language(system_language())


def languages_of(users: Iterable[str]) -> dict[str, list[str]]:
	"""Users grouped by their language (User.language, else the system language), in a stable order."""
	users = sorted(set(users))
	if not users:
		return {}
	default = system_language()
	stored = dict(
		frappe.get_all("User", filters={"name": ("in", users)}, fields=["name", "language"], as_list=True)
	)
	out: dict[str, list[str]] = {}
	for user in users:
		out.setdefault(stored.get(user) or default, []).append(user)
	return out
