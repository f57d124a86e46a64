"""Pure tests of agreement and target selection (sla_management.engine.selection)."""

from datetime import date

import pytest

from sla_management.engine import selection as sel


def agreement(name="AGR-1", **kw):
	base = {
		"name": name,
		"docstatus": 1,
		"status": "Active",
		"project": "P1",
		"customer_type": "Customer",
		"customer": "ACME",
		"valid_from": "2025-01-01",
		"valid_to": "2025-12-31",
		"version": 1,
		"items": [],
		"targets": [{"service_item": "", "priority": "", "response_time": 3600, "resolution_time": 14400}],
	}
	base.update(kw)
	return base


def ticket(**kw):
	base = {
		"customer_type": "Customer",
		"customer": "ACME",
		"project": None,
		"service_item": None,
		"priority": "High",
		"opening_date": date(2025, 6, 1),
	}
	base.update(kw)
	return base


def test_customer_match_and_validity():
	s = sel.select_agreement(ticket(), [agreement()])
	assert s.found and s.agreement["name"] == "AGR-1"
	assert s.target["response_time"] == 3600


@pytest.mark.parametrize("status", ["Draft", "In Review", "Superseded", "Cancelled"])
def test_ineligible_status(status):
	s = sel.select_agreement(ticket(), [agreement(status=status)])
	assert not s.found and s.reason == sel.NO_AGREEMENT


def test_signed_and_expired_in_validity_are_eligible():
	assert sel.select_agreement(ticket(), [agreement(status="Signed")]).found
	assert sel.select_agreement(ticket(), [agreement(status="Expired")]).found


def test_unsubmitted_is_not_eligible():
	assert not sel.select_agreement(ticket(), [agreement(docstatus=0)]).found


@pytest.mark.parametrize("day", [date(2024, 12, 31), date(2026, 1, 1)])
def test_outside_validity(day):
	s = sel.select_agreement(ticket(opening_date=day), [agreement()])
	assert s.reason == sel.NO_AGREEMENT and s.params["date"] == day


def test_validity_bounds_inclusive():
	assert sel.select_agreement(ticket(opening_date="2025-01-01"), [agreement()]).found
	assert sel.select_agreement(ticket(opening_date="2025-12-31 23:59:00"), [agreement()]).found


def test_no_party():
	assert sel.select_agreement(ticket(customer=None), [agreement()]).reason == sel.NO_PARTY


def test_other_customer_or_type_not_covered():
	assert not sel.select_agreement(ticket(customer="Other"), [agreement()]).found
	assert not sel.select_agreement(ticket(customer_type="HD Customer"), [agreement()]).found


def test_project_on_ticket_restricts_to_project():
	a1 = agreement("A1", project="P1")
	a2 = agreement("A2", project="P2")
	assert sel.select_agreement(ticket(project="P2"), [a1, a2]).agreement["name"] == "A2"
	assert sel.select_agreement(ticket(project="P3"), [a1, a2]).reason == sel.NO_AGREEMENT


def test_service_item_must_be_listed():
	a = agreement(items=["Email", "Network"])
	assert sel.select_agreement(ticket(service_item="Email"), [a]).found
	s = sel.select_agreement(ticket(service_item="ERP"), [a])
	assert s.reason == sel.NO_ITEM and s.params["service_item"] == "ERP"


def test_exact_item_beats_all_items_row():
	a = agreement(
		targets=[
			{"service_item": "", "priority": "High", "response_time": 100},
			{"service_item": "Email", "priority": "High", "response_time": 200},
		]
	)
	assert sel.select_agreement(ticket(service_item="Email"), [a]).target["response_time"] == 200
	assert sel.select_agreement(ticket(service_item="Net"), [a]).target["response_time"] == 100


def test_exact_priority_beats_default_and_any():
	rows = [
		{"priority": "Low", "default_target": 1, "response_time": 1},
		{"priority": "", "response_time": 2},
		{"priority": "High", "response_time": 3},
	]
	a = agreement(targets=rows)
	assert sel.select_target(a, None, "High")["response_time"] == 3
	assert sel.select_target(a, None, "Medium")["response_time"] == 2
	only_default = agreement(targets=[rows[0], {"priority": "High", "response_time": 3}])
	assert sel.select_target(only_default, None, "Medium")["response_time"] == 1
	assert sel.select_target(only_default, None, None)["response_time"] == 1


def test_no_target_for_priority():
	a = agreement(targets=[{"priority": "High", "response_time": 5}])
	s = sel.select_agreement(ticket(priority="Low"), [a])
	assert s.reason == sel.NO_TARGET and s.params["agreement"] == "AGR-1"


def test_item_specific_row_wins_over_priority_exactness():
	a = agreement(
		targets=[
			{"service_item": "", "priority": "High", "response_time": 1},
			{"service_item": "Email", "priority": "", "response_time": 2},
		]
	)
	assert sel.select_target(a, "Email", "High")["response_time"] == 2


def test_tie_break_between_agreements():
	# versions of one agreement (its code): the later start, then the higher version, then not expired
	old = agreement("A-old", agreement_code="A", valid_from="2024-06-01", version=1)
	new = agreement("A-new", agreement_code="A", valid_from="2025-03-01", version=1)
	assert sel.select_agreement(ticket(), [old, new]).agreement["name"] == "A-new"
	v1 = agreement("V1", agreement_code="V", version=1)
	v2 = agreement("V2", agreement_code="V", version=2)
	assert sel.select_agreement(ticket(), [v2, v1]).agreement["name"] == "V2"
	expired = agreement("EXP", agreement_code="V", status="Expired", version=9)
	assert sel.select_agreement(ticket(), [expired, v1]).agreement["name"] == "V1"


def test_better_target_beats_newer_agreement():
	generic = agreement("G", valid_from="2025-05-01")
	specific = agreement("S", targets=[{"service_item": "", "priority": "High", "response_time": 9}])
	assert sel.select_agreement(ticket(service_item="Email"), [generic, specific]).agreement["name"] == "S"


def test_a_ticket_without_service_item_is_not_guessed_between_two_agreements():
	# issue 11 item 3: a printer ticket with no item must not get the newest agreement of the customer
	operations = agreement("OPS", agreement_code="IT Operations", valid_from="2025-01-01")
	database = agreement("DB", agreement_code="Database Care", valid_from="2025-05-01")
	result = sel.select_agreement(ticket(), [operations, database])
	assert not result.found
	assert result.reason == sel.CHOOSE_SERVICE_ITEM
	assert result.params == {"agreements": ["DB", "OPS"]}
	# one agreement (in any number of versions) covering it: applied
	assert sel.select_agreement(ticket(), [operations]).agreement["name"] == "OPS"
	# with the service item chosen, the agreements that list it decide as before
	database["items"] = ["Database"]
	chosen = sel.select_agreement(ticket(service_item="Printer"), [operations, database])
	assert chosen.agreement["name"] == "OPS"


def test_target_seconds():
	row = {"response_time": 60, "resolution_time": None}
	assert sel.target_seconds(row, "Response") == 60.0
	assert sel.target_seconds(row, "Resolution") == 0.0


def test_project_of_another_customer_is_not_applied_and_says_whose_it_is():
	# issue 10 item 9: a Demo Bank ticket naming Demo Hospital's project gets no Hospital agreement
	hospital = agreement("HOSP", project="P-HOSP", customer="Hospital")
	result = sel.select_agreement(ticket(customer="Bank", project="P-HOSP"), [hospital])
	assert not result.found
	assert result.reason == sel.PROJECT_OF_OTHER_CUSTOMER
	assert result.params == {"project": "P-HOSP", "project_customer": "Hospital", "customer": "Bank"}
	# the same customer type matters as well as the name
	other_type = agreement("HD", project="P-HOSP", customer_type="HD Customer", customer="Bank")
	assert sel.select_agreement(ticket(customer="Bank", project="P-HOSP"), [other_type]).reason == (
		sel.PROJECT_OF_OTHER_CUSTOMER
	)


def test_project_without_customer_on_the_ticket_still_covers():
	a = agreement("A1", project="P1", customer="ACME")
	assert sel.select_agreement(ticket(customer=None, project="P1"), [a]).agreement["name"] == "A1"
	assert sel.select_agreement(ticket(customer="ACME", project="P1"), [a]).agreement["name"] == "A1"
