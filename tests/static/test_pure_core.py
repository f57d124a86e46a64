"""The pure core (``sla_management/engine/``) never imports Frappe, nor any part of the app outside it.

Each engine module is imported in a fresh interpreter that has a stand-in ``frappe`` package on its path,
so an import of Frappe is seen even where the code would catch the ImportError of a real absence; the
interpreter then reports every ``sla_management`` module it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "sla_management" / "engine"
MODULES = sorted(
	f"sla_management.engine.{p.stem}" if p.stem != "__init__" else "sla_management.engine"
	for p in ENGINE.glob("*.py")
)

PROBE = textwrap.dedent(
	"""
	import importlib, json, sys
	importlib.import_module(sys.argv[1])
	print(json.dumps({
		"frappe": any(m == "frappe" or m.startswith("frappe.") for m in sys.modules),
		"app": sorted(m for m in sys.modules if m.startswith("sla_management")),
	}))
	"""
)


@pytest.fixture(scope="module")
def frappe_stand_in(tmp_path_factory) -> Path:
	path = tmp_path_factory.mktemp("stand_in")
	(path / "frappe").mkdir()
	(path / "frappe" / "__init__.py").write_text("def _(msg):\n\treturn msg\n")
	return path


def imported_by(module: str, stand_in: Path, root: Path = ROOT) -> dict:
	"""What importing ``module`` (found below ``root``) loads, in a fresh interpreter."""
	env = {"PYTHONPATH": f"{stand_in}:{root}", "PATH": "/usr/bin:/bin"}
	out = subprocess.run(
		[sys.executable, "-c", PROBE, module],
		capture_output=True,
		text=True,
		env=env,
		cwd=stand_in,
		check=True,
	)
	return json.loads(out.stdout.strip().splitlines()[-1])


def test_every_engine_module_is_checked():
	assert len(MODULES) >= 15
	assert "sla_management.engine.ticket_cycle" in MODULES and "sla_management.engine.vocabulary" in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_engine_module_imports_neither_frappe_nor_the_frappe_layer(module, frappe_stand_in):
	seen = imported_by(module, frappe_stand_in)
	assert seen["frappe"] is False, f"{module} imports frappe"
	outside = [m for m in seen["app"] if m != "sla_management" and not m.startswith("sla_management.engine")]
	assert outside == [], f"{module} imports the Frappe layer: {outside}"


def test_the_probe_sees_a_frappe_import(frappe_stand_in, tmp_path):
	"""Positive control: a module that imports frappe (even inside try/except) is caught."""
	pkg = tmp_path / "probe_pkg"
	pkg.mkdir()
	(pkg / "__init__.py").write_text("try:\n\timport frappe\nexcept ImportError:\n\tpass\n")
	assert imported_by("probe_pkg", frappe_stand_in, root=tmp_path)["frappe"] is True
