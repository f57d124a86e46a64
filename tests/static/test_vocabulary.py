"""The DocTypes' Select options and the ticket's SLA status field list exactly the vocabulary's names."""

import json
from pathlib import Path

import pytest

from sla_management.engine import vocabulary as v
from sla_management.setup.custom_fields import ticket_fields

ROOT = Path(__file__).resolve().parents[2] / "sla_management"

CASES = [
	("sla_timer", "status", v.TIMER_STATUSES),
	("sla_timer", "metric", v.TIMER_METRICS),
	("sla_ticket_status_rule", "effect", v.STATUS_EFFECTS),
	("sla_service_catalog", "status", v.CATALOG_STATUSES),
	("sla_requirement", "status", v.REQUIREMENT_STATUSES),
	("sla_agreement", "status", v.AGREEMENT_STATUSES),
	("sla_requirement_metric", "metric", v.REQUIREMENT_METRICS),
	("sla_outage", "kind", v.OUTAGE_KINDS),
	("sla_outage", "found_by", v.OUTAGE_SOURCES),
]


def options(doctype_folder: str, fieldname: str) -> tuple[str, ...]:
	(path,) = ROOT.glob(f"*/doctype/{doctype_folder}/{doctype_folder}.json")
	fields = {f["fieldname"]: f for f in json.loads(path.read_text(encoding="utf-8"))["fields"]}
	return tuple(o for o in fields[fieldname]["options"].split("\n") if o)


@pytest.mark.parametrize(("doctype_folder", "fieldname", "names"), CASES)
def test_select_options_are_the_vocabulary(doctype_folder, fieldname, names):
	assert options(doctype_folder, fieldname) == names


def test_ticket_sla_status_field_lists_the_ticket_statuses():
	(status,) = [f for f in ticket_fields("x") if f["fieldname"] == "sla_mgmt_status"]
	assert tuple(o for o in status["options"].split("\n") if o) == v.TICKET_SLA_STATUSES


def test_outage_kinds_are_the_availability_core_kinds():
	from sla_management.engine import availability

	assert v.OUTAGE_KINDS == availability.KINDS
