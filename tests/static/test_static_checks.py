"""The app's metadata passes the static checks, and the checks do catch broken metadata."""

import json
import shutil
from pathlib import Path

import pytest

from sla_management.engine.roles import APP_ROLES, STANDARD_ROLES
from tests.static import checks

ROOT = Path(__file__).resolve().parents[2]
RESERVED = ROOT.parent / "shared" / "reference" / "reserved-doctype-names.txt"


def run(root: Path = ROOT) -> list[str]:
	return checks.run_all(root, RESERVED, set(APP_ROLES), set(STANDARD_ROLES))


def test_app_metadata_is_sound():
	assert run() == []


def test_reserved_names_file_present_or_skip_said():
	if not RESERVED.exists():
		pytest.skip(f"{RESERVED} is absent: the clash check against Frappe/ERPNext/Helpdesk names is skipped")
	assert "Service Level Agreement" in checks.read_reserved(RESERVED)


def test_every_json_in_the_app_parses():
	bad = []
	for path in (ROOT / "sla_management").rglob("*.json"):
		try:
			json.loads(path.read_text(encoding="utf-8"))
		except json.JSONDecodeError as exc:
			bad.append(f"{path}: {exc}")
	assert bad == []


def test_app_has_doctypes_to_check():
	meta = checks.load_app(ROOT)
	assert meta.modules == ["SLA Plan", "SLA Implement", "SLA Check", "SLA Improve"]
	assert (ROOT / "sla_management" / "sla_plan" / "workspace" / "sla_management").is_dir()
	assert len(meta.doctypes) >= 22


@pytest.fixture
def app_copy(tmp_path):
	dest = tmp_path / "repo"
	shutil.copytree(ROOT / "sla_management", dest / "sla_management")
	return dest


def _write_doctype(root: Path, name: str, data: dict, controller: str | None = None) -> Path:
	folder = root / "sla_management" / "sla_check" / "doctype" / checks.scrub(name)
	folder.mkdir(parents=True, exist_ok=True)
	(folder / "__init__.py").write_text("")
	path = folder / f"{checks.scrub(name)}.json"
	path.write_text(json.dumps({"doctype": "DocType", "name": name, "module": "SLA Check", **data}))
	cls = controller if controller is not None else checks.class_name(name)
	(folder / f"{checks.scrub(name)}.py").write_text(
		f"from frappe.model.document import Document\n\n\nclass {cls}(Document):\n\tpass\n"
	)
	return path


GOOD = {
	"fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title"}],
	"permissions": [{"role": "System Manager", "read": 1}],
}


def test_a_good_doctype_passes(app_copy):
	_write_doctype(app_copy, "SLA Probe", GOOD)
	assert run(app_copy) == []


def test_broken_json_fails_the_suite(app_copy):
	path = _write_doctype(app_copy, "SLA Probe", GOOD)
	path.write_text(path.read_text()[:-5])
	problems = run(app_copy)
	assert any("sla_probe.json: invalid JSON" in p for p in problems), problems


def test_clash_with_erpnext_doctype_is_caught(app_copy):
	if not RESERVED.exists():
		pytest.skip("reserved DocType names file absent")
	_write_doctype(app_copy, "Service Level Agreement", GOOD)
	assert any("clashes" in p for p in run(app_copy))


def test_duplicate_fieldname_and_unknown_link_are_caught(app_copy):
	data = {
		**GOOD,
		"fields": [
			{"fieldname": "title", "fieldtype": "Data"},
			{"fieldname": "title", "fieldtype": "Data"},
			{"fieldname": "target", "fieldtype": "Link", "options": "No Such DocType"},
			{"fieldname": "rows", "fieldtype": "Table", "options": "SLA Probe"},
		],
	}
	_write_doctype(app_copy, "SLA Probe", data)
	problems = run(app_copy)
	assert any("'title' is not unique" in p for p in problems)
	assert any("unknown DocType 'No Such DocType'" in p for p in problems)
	assert any("not a child table" in p for p in problems)


def test_unknown_role_and_bad_controller_are_caught(app_copy):
	data = {**GOOD, "permissions": [{"role": "Wizard", "read": 1}]}
	_write_doctype(app_copy, "SLA Probe", data, controller="Probe")
	problems = run(app_copy)
	assert any("unknown role 'Wizard'" in p for p in problems)
	assert any("must define class 'SLAProbe'" in p for p in problems)


def test_bad_dynamic_link_and_fieldtype_are_caught(app_copy):
	data = {
		**GOOD,
		"fields": [
			{"fieldname": "party", "fieldtype": "Dynamic Link", "options": "party_type"},
			{"fieldname": "size", "fieldtype": "Number"},
		],
	}
	_write_doctype(app_copy, "SLA Probe", data)
	problems = run(app_copy)
	assert any("Dynamic Link 'party'" in p for p in problems)
	assert any("unknown fieldtype 'Number'" in p for p in problems)


def test_hook_pointing_nowhere_is_caught(app_copy):
	hooks = app_copy / "sla_management" / "hooks.py"
	hooks.write_text(
		hooks.read_text() + '\non_session_creation = "sla_management.install.no_such_function"\n'
	)
	assert any("no_such_function" in p for p in run(app_copy))
