"""The layering of architecture.md is a checked contract: import-linter's contracts (pyproject.toml)
hold, and every ``rules`` module is pure — no Django, no database, no clock."""
from __future__ import annotations

import ast
import pathlib
import shutil
import subprocess
import sys

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "zhifa"
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic", "perf_counter", "localtime", "gmtime"}
CLOCK_MODULES = {"time", "zhifa.core.clock"}


def _rules_files() -> list[pathlib.Path]:
    files = sorted(SRC.glob("*/rules.py")) + sorted(SRC.glob("*/rules/*.py"))
    return [f for f in files if "migrations" not in f.parts]


def _impurities(source: str) -> list[str]:
    """Imports of Django or of a clock, and calls of ``….now()`` / ``….today()``, in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] == "django" or a.name in CLOCK_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {a.name for a in node.names}
            if node.module.split(".")[0] == "django" or node.module in CLOCK_MODULES or (
                    node.module == "zhifa.core" and "clock" in names):
                found.append(f"from {node.module} import …")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_CALLS:
            found.append(f"….{node.func.attr}() 读取时钟（第{node.lineno}行）")
    return found


def test_the_walk_finds_the_rules_modules():
    assert {f.relative_to(SRC).parts[0] for f in _rules_files()} >= {"registry", "catalog", "documents", "cases", "inspections"}


@pytest.mark.parametrize("path", _rules_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_rules_modules_are_pure(path):
    assert _impurities(path.read_text(encoding="utf-8")) == []


def test_the_purity_check_catches_django_and_the_clock():
    impure = "import datetime as dt\nfrom django.db import models\nfrom zhifa.core import clock\nx = dt.date.today()\n"
    assert len(_impurities(impure)) == 3


@pytest.mark.skipif(shutil.which("lint-imports", path=str(pathlib.Path(sys.executable).parent)) is None,
                    reason="import-linter 未安装")
def test_import_contracts_are_kept():
    result = subprocess.run([str(pathlib.Path(sys.executable).parent / "lint-imports"), "--no-cache"],
                            cwd=SRC.parents[1], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:]
