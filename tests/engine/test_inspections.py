"""The inspection schedule (engine/inspections.py) against a day-stepping oracle, and the DocTypes' options."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from sla_management.engine import inspections as ins

ROOT = Path(__file__).resolve().parents[2] / "sla_management" / "sla_check" / "doctype"


def oracle_starts(start: date, frequency: str, until: date) -> list[date]:
	"""Every period start up to ``until``, by stepping: the k-th month keeps the start's day or the month's end."""
	out, k = [], 0
	while True:
		if frequency in (ins.DAILY, ins.WEEKLY):
			day = start + timedelta(days=k * (1 if frequency == ins.DAILY else 7))
		else:
			months = k * (1 if frequency == ins.MONTHLY else 3)
			y, m = divmod(start.year * 12 + start.month - 1 + months, 12)
			day = None
			for d in range(start.day, 0, -1):
				try:
					day = date(y, m + 1, d)
					break
				except ValueError:
					continue
		if day > until:
			return out
		out.append(day)
		k += 1


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@given(start=days, offset=st.integers(0, 800), frequency=st.sampled_from(ins.FREQUENCIES))
def test_latest_and_next_match_the_oracle(start, offset, frequency):
	today = start + timedelta(days=offset)
	starts = oracle_starts(start, frequency, today + timedelta(days=100))
	past = [d for d in starts if d <= today]
	assert ins.latest_on_or_before(start, frequency, today) == past[-1]
	assert ins.next_after(start, frequency, today) == next(d for d in starts if d > today)
	assert ins.due_on(start, frequency, past[-1]) == ins.next_after(start, frequency, today) - timedelta(1)


def test_month_ends_do_not_drift():
	start = date(2026, 1, 31)
	assert [ins.occurrence(start, ins.MONTHLY, k) for k in range(4)] == [
		date(2026, 1, 31),
		date(2026, 2, 28),
		date(2026, 3, 31),
		date(2026, 4, 30),
	]
	assert ins.due_on(start, ins.MONTHLY, date(2026, 2, 28)) == date(2026, 3, 30)
	assert ins.due_on(start, ins.QUARTERLY, start) == date(2026, 4, 29)


def test_before_the_start_and_first_due():
	start = date(2026, 3, 10)
	assert ins.latest_on_or_before(start, ins.WEEKLY, date(2026, 3, 9)) is None
	assert ins.next_after(start, ins.WEEKLY, date(2026, 3, 1)) == start
	assert ins.first_due(start, ins.WEEKLY, date(2026, 3, 1)) == start
	assert ins.first_due(start, ins.WEEKLY, date(2026, 3, 20)) == date(2026, 3, 17)
	assert ins.is_overdue(ins.OPEN, date(2026, 3, 16), date(2026, 3, 17))
	assert not ins.is_overdue(ins.OPEN, date(2026, 3, 17), date(2026, 3, 17))
	assert not ins.is_overdue(ins.COMPLETED, date(2026, 3, 1), date(2026, 3, 17))
	with pytest.raises(ValueError):
		ins.occurrence(start, "Hourly", 1)


def _options(folder: str, fieldname: str) -> tuple[str, ...]:
	data = json.loads((ROOT / folder / f"{folder}.json").read_text(encoding="utf-8"))
	(field,) = [f for f in data["fields"] if f["fieldname"] == fieldname]
	return tuple(o for o in field["options"].split("\n") if o)


@pytest.mark.parametrize(
	("folder", "fieldname", "names"),
	[
		("sla_inspection_plan", "frequency", ins.FREQUENCIES),
		("sla_inspection_plan_check", "raises", ins.RAISES),
		("sla_inspection", "status", ins.INSPECTION_STATUSES),
		("sla_inspection_result", "passed", ins.OUTCOMES),
		("sla_inspection_result", "raises", ins.RAISES),
	],
)
def test_select_options_are_the_vocabulary(folder, fieldname, names):
	assert _options(folder, fieldname) == names
