"""One bounded in-process cache for values derived from immutable or versioned records.

A Python worker serves several sites, so every key includes the site. Callers key by what makes the
value stale (a record's name and ``modified``), so an entry never has to be invalidated: a changed record
has a new key, and the oldest entries are dropped once the cache is full.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import frappe

V = TypeVar("V")


class SiteCache(Generic[V]):
	"""``get(key, make)``: the cached value for (site, *key), made by ``make()`` on a miss."""

	def __init__(self, maxsize: int):
		self.maxsize = maxsize
		self._data: dict[tuple, V] = {}

	def get(self, key: tuple[Hashable, ...], make: Callable[[], V]) -> V:
		full_key = (frappe.local.site, *key)
		value = self._data.get(full_key)
		if value is None:
			value = make()
			if len(self._data) >= self.maxsize:
				del self._data[next(iter(self._data))]  # the oldest entry
			self._data[full_key] = value
		return value

	def clear(self) -> None:
		self._data.clear()

	def __len__(self) -> int:
		return len(self._data)
