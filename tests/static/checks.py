"""Static checks of the app's Frappe metadata, runnable without a bench.

Each check returns a list of problems (strings); an empty list means the app is sound. They catch
what would otherwise only fail at ``bench install-app`` / ``migrate`` time.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

# Field types of Frappe v15/v16 DocFields.
FIELDTYPES = frozenset(
	{
		"Autocomplete",
		"Attach",
		"Attach Image",
		"Barcode",
		"Button",
		"Check",
		"Code",
		"Color",
		"Column Break",
		"Currency",
		"Data",
		"Date",
		"Datetime",
		"Duration",
		"Dynamic Link",
		"Float",
		"Fold",
		"Geolocation",
		"Heading",
		"HTML",
		"HTML Editor",
		"Icon",
		"Image",
		"Int",
		"JSON",
		"Link",
		"Long Text",
		"Markdown Editor",
		"Password",
		"Percent",
		"Phone",
		"Read Only",
		"Rating",
		"Section Break",
		"Select",
		"Signature",
		"Small Text",
		"Tab Break",
		"Table",
		"Table MultiSelect",
		"Text",
		"Text Editor",
		"Time",
	}
)
NO_VALUE_TYPES = frozenset(
	{"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold"}
)
FIELDNAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def scrub(name: str) -> str:
	"""Frappe's ``frappe.scrub``: the folder/file name of a DocType, Report or module."""
	return name.replace(" ", "_").replace("-", "_").lower()


def class_name(name: str) -> str:
	"""The controller class name Frappe expects for a DocType."""
	return name.replace(" ", "").replace("-", "")


@dataclass
class AppMeta:
	root: Path
	app: str
	modules: list[str]
	doctypes: dict[str, dict] = field(default_factory=dict)  # name -> json
	doctype_paths: dict[str, Path] = field(default_factory=dict)
	reports: dict[str, dict] = field(default_factory=dict)
	report_paths: dict[str, Path] = field(default_factory=dict)
	other_json: list[Path] = field(default_factory=list)
	problems: list[str] = field(default_factory=list)


def load_app(root: Path, app: str = "sla_management") -> AppMeta:
	"""Read every metadata JSON of the app below ``root`` (the repository root)."""
	pkg = root / app
	modules = [m.strip() for m in (pkg / "modules.txt").read_text().splitlines() if m.strip()]
	meta = AppMeta(root=root, app=app, modules=modules)
	for module in modules:
		mdir = pkg / scrub(module)
		if not (mdir / "__init__.py").exists():
			meta.problems.append(f"module folder {mdir.relative_to(root)} is missing or has no __init__.py")
		for path in sorted(mdir.glob("*/*/*.json")):
			kind = path.parent.parent.name
			try:
				data = json.loads(path.read_text(encoding="utf-8"))
			except (json.JSONDecodeError, UnicodeDecodeError) as exc:
				meta.problems.append(f"{path.relative_to(root)}: invalid JSON: {exc}")
				continue
			if not isinstance(data, dict):
				if kind in ("doctype", "report", "workspace"):
					meta.problems.append(f"{path.relative_to(root)}: top level must be an object")
				continue
			if path.stem != path.parent.name:
				meta.other_json.append(path)
				continue
			if kind == "doctype":
				_register(meta, meta.doctypes, meta.doctype_paths, data, path, "DocType")
			elif kind == "report":
				_register(meta, meta.reports, meta.report_paths, data, path, "Report")
			else:
				meta.other_json.append(path)
	return meta


def _register(meta: AppMeta, bucket: dict, paths: dict, data: dict, path: Path, doctype: str) -> None:
	rel = path.relative_to(meta.root)
	if data.get("doctype") != doctype:
		meta.problems.append(f"{rel}: 'doctype' must be {doctype!r}")
		return
	name = data.get("name")
	if not name:
		meta.problems.append(f"{rel}: has no name")
		return
	if name in bucket:
		meta.problems.append(f"{rel}: {doctype} name {name!r} is defined twice")
		return
	bucket[name] = data
	paths[name] = path


def read_reserved(path: Path) -> set[str] | None:
	if not path.exists():
		return None
	return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def check_names(meta: AppMeta, reserved: set[str] | None) -> list[str]:
	problems = []
	for name, path in meta.doctype_paths.items():
		rel = path.relative_to(meta.root)
		if path.parent.name != scrub(name):
			problems.append(f"{rel}: folder must be named {scrub(name)!r} for DocType {name!r}")
		if meta.doctypes[name].get("module") not in meta.modules:
			problems.append(f"{rel}: module {meta.doctypes[name].get('module')!r} is not in modules.txt")
		if reserved is not None and name in reserved:
			problems.append(f"{rel}: DocType {name!r} clashes with a Frappe/ERPNext/Helpdesk DocType")
	return problems


def check_fields(meta: AppMeta, reserved: set[str] | None) -> list[str]:
	known = set(meta.doctypes) | (reserved or set()) | {"DocType", "User", "Role", "File", "Contact"}
	problems = []
	for name, dt in meta.doctypes.items():
		rel = meta.doctype_paths[name].relative_to(meta.root)
		seen: set[str] = set()
		fields = dt.get("fields") or []
		by_name = {f.get("fieldname"): f for f in fields}
		for f in fields:
			fn, ft = f.get("fieldname"), f.get("fieldtype")
			if not fn or not FIELDNAME_RE.match(fn):
				problems.append(f"{rel}: bad fieldname {fn!r}")
				continue
			if fn in seen:
				problems.append(f"{rel}: fieldname {fn!r} is not unique")
			seen.add(fn)
			if ft not in FIELDTYPES:
				problems.append(f"{rel}: field {fn!r} has unknown fieldtype {ft!r}")
			opts = (f.get("options") or "").strip()
			if ft in ("Link", "Table", "Table MultiSelect"):
				if not opts:
					problems.append(f"{rel}: {ft} field {fn!r} has no options")
				elif opts not in known:
					problems.append(f"{rel}: {ft} field {fn!r} points to unknown DocType {opts!r}")
				elif ft != "Link" and opts in meta.doctypes and not meta.doctypes[opts].get("istable"):
					problems.append(
						f"{rel}: table field {fn!r} points to {opts!r}, which is not a child table"
					)
			if ft == "Dynamic Link":
				target = by_name.get(opts)
				if not target or target.get("fieldtype") != "Link" or target.get("options") != "DocType":
					problems.append(
						f"{rel}: Dynamic Link {fn!r} must name a Link-to-DocType field, not {opts!r}"
					)
		for key in ("title_field", "search_fields", "sort_field"):
			for ref in [s.strip() for s in (dt.get(key) or "").split(",") if s.strip()]:
				if ref not in seen and ref not in ("name", "modified", "creation", "idx"):
					problems.append(f"{rel}: {key} names unknown field {ref!r}")
		autoname = dt.get("autoname") or ""
		if autoname.startswith("field:") and autoname[6:] not in seen:
			problems.append(f"{rel}: autoname names unknown field {autoname[6:]!r}")
		if dt.get("is_submittable") and "amended_from" not in seen:
			problems.append(f"{rel}: a submittable DocType needs an 'amended_from' field")
	return problems


def check_permissions(meta: AppMeta, app_roles: set[str], standard_roles: set[str]) -> list[str]:
	allowed = app_roles | standard_roles
	problems = []
	for name, dt in meta.doctypes.items():
		rel = meta.doctype_paths[name].relative_to(meta.root)
		perms = dt.get("permissions") or []
		if dt.get("istable"):
			if perms:
				problems.append(f"{rel}: a child table must not define permissions")
			continue
		if not perms:
			problems.append(f"{rel}: has no permissions")
		for p in perms:
			if p.get("role") not in allowed:
				problems.append(f"{rel}: permission for unknown role {p.get('role')!r}")
			if p.get("submit") and not dt.get("is_submittable"):
				problems.append(f"{rel}: role {p.get('role')!r} may submit a DocType that is not submittable")
	for name, rep in meta.reports.items():
		rel = meta.report_paths[name].relative_to(meta.root)
		for r in rep.get("roles") or []:
			if r.get("role") not in allowed:
				problems.append(f"{rel}: report role {r.get('role')!r} is unknown")
	return problems


def _classes(py: Path) -> dict[str, list[str]]:
	tree = ast.parse(py.read_text(encoding="utf-8"))
	out = {}
	for node in tree.body:
		if isinstance(node, ast.ClassDef):
			out[node.name] = [getattr(b, "id", getattr(b, "attr", "")) for b in node.bases]
	return out


def check_controllers(meta: AppMeta) -> list[str]:
	problems = []
	for name, path in meta.doctype_paths.items():
		rel = path.relative_to(meta.root)
		py = path.with_suffix(".py")
		if not py.exists():
			problems.append(f"{rel}: controller {py.name} is missing")
			continue
		try:
			classes = _classes(py)
		except SyntaxError as exc:
			problems.append(f"{py.relative_to(meta.root)}: syntax error: {exc}")
			continue
		expected = class_name(name)
		if expected not in classes:
			problems.append(f"{py.relative_to(meta.root)}: must define class {expected!r}")
		if not (path.parent / "__init__.py").exists():
			problems.append(f"{rel}: doctype folder has no __init__.py")
	for name, path in meta.report_paths.items():
		rel = path.relative_to(meta.root)
		rep = meta.reports[name]
		if path.parent.name != scrub(name):
			problems.append(f"{rel}: folder must be named {scrub(name)!r} for Report {name!r}")
		ref = rep.get("ref_doctype")
		if ref and ref not in meta.doctypes and ref not in ("Issue", "HD Ticket", "Customer"):
			problems.append(f"{rel}: ref_doctype {ref!r} is unknown")
		if rep.get("report_type") == "Script Report":
			py = path.with_suffix(".py")
			if not py.exists():
				problems.append(f"{rel}: script report needs {py.name}")
			elif "execute" not in {
				n.name
				for n in ast.parse(py.read_text(encoding="utf-8")).body
				if isinstance(n, ast.FunctionDef)
			}:
				problems.append(f"{py.relative_to(meta.root)}: script report must define execute(filters)")
			if not path.with_suffix(".js").exists():
				problems.append(f"{rel}: script report needs {path.with_suffix('.js').name}")
	return problems


def check_hooks(root: Path, app: str = "sla_management") -> list[str]:
	"""Every dotted path in hooks.py must point to a function that exists in the app's source."""
	problems = []
	hooks = root / app / "hooks.py"
	tree = ast.parse(hooks.read_text(encoding="utf-8"))
	dotted = []
	for node in ast.walk(tree):
		if (
			isinstance(node, ast.Constant)
			and isinstance(node.value, str)
			and node.value.startswith(app + ".")
		):
			dotted.append(node.value)
	for path in dotted:
		mod, _, attr = path.rpartition(".")
		file = root / (mod.replace(".", "/") + ".py")
		if not file.exists():
			pkg_init = root / mod.replace(".", "/") / "__init__.py"
			if pkg_init.exists():
				file = pkg_init
			else:
				problems.append(f"hooks.py: {path!r}: module {mod} not found")
				continue
		names = set()
		for n in ast.parse(file.read_text(encoding="utf-8")).body:
			if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
				names.add(n.name)
			elif isinstance(n, ast.Assign):
				names.update(t.id for t in n.targets if isinstance(t, ast.Name))
			elif isinstance(n, ast.ImportFrom):
				names.update(a.asname or a.name for a in n.names)
		if attr not in names:
			problems.append(f"hooks.py: {path!r}: {attr} is not defined in {file.relative_to(root)}")
	return problems


def run_all(root: Path, reserved_path: Path, app_roles: set[str], standard_roles: set[str]) -> list[str]:
	meta = load_app(root)
	reserved = read_reserved(reserved_path)
	return [
		*meta.problems,
		*check_names(meta, reserved),
		*check_fields(meta, reserved),
		*check_permissions(meta, app_roles, standard_roles),
		*check_controllers(meta),
		*check_hooks(root),
	]
