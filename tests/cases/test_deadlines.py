"""The legal periods (deadlines.py) are pure like ``rules``: no Django, no database, no clock."""
from __future__ import annotations

import pathlib

from tests.core.test_layering import _impurities

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "zhifa" / "cases"


def test_the_period_rules_are_pure():
    assert _impurities((SRC / "deadlines.py").read_text(encoding="utf-8")) == []
