"""Extract the user-facing strings of the app and read/write its gettext catalogue (no Frappe needed).

Strings: DocType, Report and Workspace names; field labels, descriptions and Select options; literal ``_("...")`` in
Python and ``__("...")`` in JavaScript. Frappe translates all of these at run time.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

JS_CALL = re.compile(r"""__\(\s*(?P<q>["'`])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)\s*[,)]""", re.S)


def _python_strings(path: Path) -> set[str]:
	out = set()
	tree = ast.parse(path.read_text(encoding="utf-8"))
	for node in ast.walk(tree):
		if (
			isinstance(node, ast.Call)
			and isinstance(node.func, ast.Name)
			and node.func.id == "_"
			and node.args
			and isinstance(node.args[0], ast.Constant)
			and isinstance(node.args[0].value, str)
		):
			out.add(node.args[0].value)
		elif isinstance(node, ast.Dict):  # field definitions in code (custom fields, report columns)
			values = {
				k.value: v.value
				for k, v in zip(node.keys, node.values, strict=True)
				if isinstance(k, ast.Constant) and isinstance(v, ast.Constant) and isinstance(v.value, str)
			}
			for key in ("label", "description"):
				if values.get(key):
					out.add(values[key])
			if values.get("fieldtype") == "Select":
				out.update(o.strip() for o in values.get("options", "").split("\n") if o.strip())
	return out


def _js_strings(path: Path) -> set[str]:
	text = path.read_text(encoding="utf-8")
	return {m.group("s").replace("\\'", "'").replace('\\"', '"') for m in JS_CALL.finditer(text)}


TAG = re.compile(r"<[^>]+>")


def _workspace_strings(data: dict) -> set[str]:
	"""What the desk translates on a workspace: its label, header and paragraph texts (headers without their
	HTML), card and link labels, shortcut labels and count formats, number card and chart labels."""
	out = {data.get("label") or ""}
	for block in json.loads(data.get("content") or "[]"):
		text = (block.get("data") or {}).get("text") or ""
		if block.get("type") == "header":
			out.add(TAG.sub("", text).strip())
		elif block.get("type") == "paragraph":
			out.add(text.strip())
	out.update(link.get("label") or "" for link in data.get("links") or [])
	for shortcut in data.get("shortcuts") or []:
		out.update((shortcut.get("label") or "", shortcut.get("format") or ""))
	# the titles of its number cards and charts
	out.update(card.get("label") or "" for card in data.get("number_cards") or [])
	out.update(chart.get("label") or "" for chart in data.get("charts") or [])
	return out


def _meta_strings(path: Path) -> set[str]:
	data = json.loads(path.read_text(encoding="utf-8"))
	if not isinstance(data, dict):
		return set()
	out = set()
	if data.get("doctype") in ("DocType", "Report", "Workspace") and data.get("name"):
		out.add(data["name"])
	if data.get("doctype") == "Workspace":
		out |= _workspace_strings(data)
	for f in data.get("fields") or []:
		for key in ("label", "description"):
			if f.get(key):
				out.add(f[key])
		if f.get("fieldtype") == "Select":
			out.update(o.strip() for o in (f.get("options") or "").split("\n") if o.strip())
	return out


def _is_test_code(path: Path) -> bool:
	"""Bench tests and their fixtures: their strings are not shown to users."""
	return path.name.startswith("test_") or path.stem.endswith("fixtures") or path.parent.name == "tests"


def extract(app_dir: Path) -> set[str]:
	"""Every user-facing source string of the app package at ``app_dir``."""
	strings: set[str] = set()
	for path in app_dir.rglob("*.py"):
		if not _is_test_code(path):
			strings |= _python_strings(path)
	for path in app_dir.rglob("*.js"):
		if "public/dist" not in str(path):
			strings |= _js_strings(path)
	for path in app_dir.rglob("*.json"):
		try:
			strings |= _meta_strings(path)
		except json.JSONDecodeError:
			continue
	return {s for s in strings if s.strip()}


def _unquote(s: str) -> str:
	return json.loads(s)


def read_po(path: Path) -> dict[str, str]:
	"""msgid -> msgstr of a .po file (contexts are not used by this app)."""
	entries: dict[str, str] = {}
	msgid = msgstr = None
	current = None
	for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
		line = raw.strip()
		if line.startswith("msgid "):
			if msgid is not None:
				entries[msgid] = msgstr or ""
			msgid, msgstr, current = _unquote(line[6:]), None, "id"
		elif line.startswith("msgstr "):
			msgstr, current = _unquote(line[7:]), "str"
		elif line.startswith('"') and current:
			if current == "id":
				msgid += _unquote(line)
			else:
				msgstr += _unquote(line)
		elif not line and msgid is not None:
			entries[msgid] = msgstr or ""
			msgid = msgstr = current = None
	entries.pop("", None)
	return entries


def _quote(s: str) -> str:
	return json.dumps(s, ensure_ascii=False)


def write_po(path: Path, entries: dict[str, str], language: str = "zh") -> None:
	lines = [
		'msgid ""',
		'msgstr ""',
		'"Project-Id-Version: sla_management\\n"',
		f'"Language: {language}\\n"',
		'"MIME-Version: 1.0\\n"',
		'"Content-Type: text/plain; charset=UTF-8\\n"',
		'"Content-Transfer-Encoding: 8bit\\n"',
		"",
	]
	for msgid in sorted(entries):
		lines += [f"msgid {_quote(msgid)}", f"msgstr {_quote(entries[msgid])}", ""]
	path.write_text("\n".join(lines), encoding="utf-8")
