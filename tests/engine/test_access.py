"""The row-permission table (engine/access.py) against the app's DocTypes and hooks.py, without a bench."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from sla_management import hooks
from sla_management.engine.access import (
	BOUND_ROWS,
	CHILD_RULES,
	ROW_RULES,
	TICKET_DOCTYPES,
	WRITE_PTYPES,
	RowRule,
)

APP = Path(__file__).resolve().parents[2] / "sla_management"
PERMISSIONS = "sla_management.common.permissions"


def _doctypes() -> dict[str, tuple[Path, dict]]:
	out = {}
	for path in APP.glob("*/doctype/*/*.json"):
		data = json.loads(path.read_text(encoding="utf-8"))
		if data.get("doctype") == "DocType":
			out[data["name"]] = (path, data)
	return out


DOCTYPES = _doctypes()


def _fields(doctype: str) -> dict[str, dict]:
	return {f["fieldname"]: f for f in DOCTYPES[doctype][1].get("fields", [])}


def _parents_of(child: str) -> set[str]:
	return {
		name
		for name, (_, data) in DOCTYPES.items()
		for f in data.get("fields", [])
		if f.get("fieldtype") in ("Table", "Table MultiSelect") and f.get("options") == child
	}


def test_every_child_table_of_the_app_is_declared_with_its_one_parent():
	tables = {name for name, (_, data) in DOCTYPES.items() if data.get("istable")}
	assert tables, "no child tables found: wrong app path"
	assert set(CHILD_RULES) == tables
	for child, rule in CHILD_RULES.items():
		assert _parents_of(child) == {rule.parent}, child


def test_row_rules_name_fields_the_doctypes_have():
	for doctype, rule in ROW_RULES.items():
		fields = _fields(doctype)
		for fieldname in rule.fields:
			assert fieldname == "docstatus" or fieldname in fields, (doctype, fieldname)
		if rule.project_field:
			assert fields[rule.project_field]["options"] == "SLA Service Project", doctype
		if rule.manager_field:
			assert fields[rule.manager_field]["options"] == "User", doctype
		if rule.submitted_only:
			assert DOCTYPES[doctype][1].get("is_submittable"), doctype


def test_timers_are_restricted_like_agreements():
	assert ROW_RULES["SLA Timer"].project_field == "project"
	assert ROW_RULES["SLA Timer"].customers


def test_rule_fields_are_what_a_stored_row_is_judged_on():
	assert RowRule(project_field="project").fields == ("project", "docstatus")
	assert RowRule(manager_field="pm", customers=True).fields == (
		"pm",
		"customer_type",
		"customer",
		"docstatus",
	)
	assert {"write", "submit", "cancel", "delete"} <= WRITE_PTYPES
	assert "read" not in WRITE_PTYPES


def test_bound_rows_name_a_link_of_a_submittable_doctype():
	for doctype, binding in BOUND_ROWS.items():
		field = _fields(binding.by_doctype)[binding.by_field]
		assert (field["fieldtype"], field["options"]) == ("Link", doctype)
		assert DOCTYPES[binding.by_doctype][1].get("is_submittable")
		assert set(binding.statuses) <= set(_fields(binding.by_doctype)["status"]["options"].split("\n"))
		assert binding.editors


def test_hooks_register_every_declared_doctype():
	assert set(hooks.permission_query_conditions) == {*ROW_RULES, *CHILD_RULES, *TICKET_DOCTYPES}
	assert set(hooks.permission_query_conditions.values()) == {f"{PERMISSIONS}.query_conditions"}
	assert set(hooks.has_permission) == {*ROW_RULES, *BOUND_ROWS, *TICKET_DOCTYPES}
	assert set(hooks.has_permission.values()) == {f"{PERMISSIONS}.has_permission"}
	for doctype in (*ROW_RULES, *BOUND_ROWS):
		assert hooks.doc_events[doctype]["validate"] == f"{PERMISSIONS}.check_row_change", doctype
	assert hooks.override_whitelisted_methods["frappe.client.get_count"] == f"{PERMISSIONS}.get_count"


@pytest.mark.parametrize("child", sorted(CHILD_RULES))
def test_child_controllers_are_judged_by_their_parent_row(child):
	controller = DOCTYPES[child][0].with_suffix(".py")
	tree = ast.parse(controller.read_text(encoding="utf-8"))
	bases = {
		base.id
		for node in tree.body
		if isinstance(node, ast.ClassDef)
		for base in node.bases
		if isinstance(base, ast.Name)
	}
	assert bases == {"ChildRow"}, (
		f"{controller.name}: the controller must subclass common.permissions.ChildRow"
	)
