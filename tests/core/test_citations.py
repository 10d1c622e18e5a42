"""The law's words in one place (``core/citations.py``): pure data, and the same strings as the
constants spread over the other apps, so that they can point at it without changing a word."""
from __future__ import annotations

import ast
import pathlib

from zhifa.core import citations as c

SRC = pathlib.Path(c.__file__).resolve()


def test_citations_are_pure_data():
    tree = ast.parse(SRC.read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert all(isinstance(n, ast.ImportFrom) and n.module == "__future__" for n in imports)


def test_one_format_per_form():
    short = {k: v for k, v in vars(c).items() if k.startswith(("APL_ART", "ACL_ART")) and not k.endswith("_FULL")}
    full = {k: v for k, v in vars(c).items() if k.endswith("_FULL")}
    assert all(v.startswith((c.APL + "第", c.ACL + "第")) for v in short.values())
    assert all(v.startswith(c.APL_TITLE + "第") for v in full.values())
    assert c.APL_ART44_62 == "行政处罚法第四十四条、第六十二条" and c.APL_ART34_FULL == "《中华人民共和国行政处罚法》第三十四条"


def test_the_same_strings_as_the_other_apps_constants():
    from zhifa.cases import rules as cases_rules
    from zhifa.documents import rules as documents_rules

    pairs = {
        "ART44_62": c.APL_ART44_62, "ART29": c.APL_ART29, "ART30_33": c.APL_ART30_33, "ART68_71": c.APL_ART68_71,
        "ACL18": c.ACL_ART18, "R19": c.GUOBAN_2022_27_SHORT, "SAMR45_ART9": c.SAMR45_ART9,
        "GUOBAN_2018_118": c.GUOBAN_2018_118,
    }
    for name, value in pairs.items():
        if hasattr(cases_rules, name):
            assert getattr(cases_rules, name) == value, name
    assert (documents_rules.RECONSIDERATION_BASIS, documents_rules.SEAL_BASIS) == ("行政复议法第二十条", "行政处罚法第五十九条第二款")
    assert c.NO_PENALTY_BASIS["no_fault"] == "《中华人民共和国行政处罚法》第三十三条第二款"
