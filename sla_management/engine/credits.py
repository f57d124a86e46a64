"""Service credits (服务赔付, issue 13): what the provider owes when a month's availability falls short.

An agreement may carry a credit schedule of steps ``(availability_below, credit_percent, service_item)``
and a monthly fee, e.g. below 99.5 % → 5 % of the fee, below 99 % → 10 %. Rules:

- A step **applies** when the availability (in %) is strictly below its ``availability_below``: exactly
  99.5 % is not below 99.5 %.
- The credit is the **highest applying step, not the sum**: at 98.7 % both steps above apply and the
  credit is 10 %, not 15 %.
- A step without a service item applies to every item; a step with one only to that item; for an item
  both kinds count (its own steps and the general ones), the highest wins.
- Not measurable (availability None: no service time in the month) owes nothing.
- The amount is ``monthly_fee × percent / 100``, rounded to cents (half away from zero); the percent
  never exceeds 100.
- For an agreement with several items, ``agreement_credit_owed`` takes the highest credit of its items
  (the fee is the agreement's, so credits of items are not added up either).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple


class Step(NamedTuple):
	"""One step of a credit schedule; a plain ``(availability_below, credit_percent[, service_item])``
	tuple works as well."""

	availability_below: float
	credit_percent: float
	service_item: str | None = None


def _steps(schedule: Iterable) -> list[Step]:
	out = []
	for s in schedule or ():
		if isinstance(s, Mapping):
			out.append(
				Step(float(s["availability_below"]), float(s["credit_percent"]), s.get("service_item"))
			)
		else:
			out.append(Step(*s))
	return out


def credit_percent(
	availability_pct: float | None, schedule: Iterable, service_item: str | None = None
) -> float:
	"""The credit in % of the monthly fee: the highest step that applies (0 when none does)."""
	if availability_pct is None:
		return 0.0
	applying = [
		s.credit_percent
		for s in _steps(schedule)
		if (not s.service_item or s.service_item == service_item) and availability_pct < s.availability_below
	]
	return min(max(applying, default=0.0), 100.0)


def amount(monthly_fee: float | None, percent: float) -> float:
	"""``monthly_fee × percent / 100`` rounded to cents."""
	value = Decimal(str(monthly_fee or 0)) * Decimal(str(percent)) / 100
	return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def credit_owed(
	availability_pct: float | None,
	schedule: Iterable,
	monthly_fee: float | None,
	service_item: str | None = None,
) -> tuple[float, float]:
	"""``(percent, amount)`` owed for one month's availability of one item (see the module's rules)."""
	percent = credit_percent(availability_pct, schedule, service_item)
	return percent, amount(monthly_fee, percent)


def agreement_credit_owed(
	availability_by_item: Mapping[str, float | None], schedule: Iterable, monthly_fee: float | None
) -> tuple[float, float]:
	"""``(percent, amount)`` of an agreement's month: the highest credit of its items."""
	steps = _steps(schedule)
	percent = max(
		(credit_percent(pct, steps, item) for item, pct in availability_by_item.items()), default=0.0
	)
	return percent, amount(monthly_fee, percent)
