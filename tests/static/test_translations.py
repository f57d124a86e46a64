"""Every user-facing string of the app has a Chinese (zh) translation."""

import json
from pathlib import Path

from tests.static import messages

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "sla_management" / "locale" / "zh.po"


def test_zh_catalogue_exists():
	assert PO.exists(), "sla_management/locale/zh.po is missing: run scripts/update-translations"


def test_every_string_has_a_zh_translation():
	catalogue = messages.read_po(PO)
	missing = sorted(s for s in messages.extract(ROOT / "sla_management") if not catalogue.get(s))
	assert missing == [], (
		f"{len(missing)} strings lack a zh translation (scripts/update-translations): {missing[:30]}"
	)


def test_extractor_finds_python_js_and_metadata_strings(tmp_path):
	app = tmp_path / "app"
	(app / "dt").mkdir(parents=True)
	(app / "a.py").write_text('from frappe import _\nx = _("Agreement {0} expired").format(1)\ny = f("no")\n')
	(app / "test_a.py").write_text('from frappe import _\nx = _("Only a test says this")\n')
	(app / "a.js").write_text('frappe.msgprint(__(\'Renew now\')); __("Say \\"hi\\"", [1]);')
	(app / "dt" / "dt.json").write_text(
		'{"doctype": "DocType", "name": "SLA Probe", "fields": [{"label": "Status", "fieldtype": "Select",'
		' "options": "Draft\\nActive", "description": "Where the agreement stands"}]}'
	)
	assert messages.extract(app) == {
		"Agreement {0} expired",
		"Renew now",
		'Say "hi"',
		"SLA Probe",
		"Status",
		"Draft",
		"Active",
		"Where the agreement stands",
	}


def test_po_round_trip(tmp_path):
	path = tmp_path / "zh.po"
	entries = {"Service Catalog": "服务目录", 'Quote "x"\nline': "引号"}
	messages.write_po(path, entries)
	assert messages.read_po(path) == entries


def test_extractor_reads_workspace_blocks_cards_and_shortcuts(tmp_path):
	app = tmp_path / "app" / "ws"
	app.mkdir(parents=True)
	content = [
		{"type": "header", "data": {"text": '<span class="h4"><b>Process</b></span>'}},
		{"type": "paragraph", "data": {"text": "Plan and check."}},
		{"type": "card", "data": {"card_name": "Plan"}},
	]
	(app / "ws.json").write_text(
		json.dumps(
			{
				"doctype": "Workspace",
				"name": "W",
				"label": "W",
				"content": json.dumps(content),
				"links": [{"type": "Card Break", "label": "Plan"}, {"type": "Link", "label": "Item"}],
				"shortcuts": [{"label": "Timers", "format": "{} Breached"}],
			}
		)
	)
	assert messages.extract(tmp_path / "app") == {
		"W",
		"Process",
		"Plan and check.",
		"Plan",
		"Item",
		"Timers",
		"{} Breached",
	}
