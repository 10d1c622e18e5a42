"""R25: the case package for the police and the procuratorate — JSON verifiable without zhifa
(tools/verify_transfer_package.py, standard library only), PDF index with the digest."""
from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_transfer_package.py"


def _tool():
    spec = importlib.util.spec_from_file_location("verify_transfer_package", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def package(api_as, tw):
    t = tw.walk(tw.report(), "received")
    r = api_as("officer1").get(f"/api/v1/transfers/{t.pk}/package.json")
    assert r.status_code == 200
    return json.loads(r.content)


def test_r25_package_verifies_without_zhifa(package, tmp_path):
    tool = _tool()
    assert tool.check(package) == []
    assert {d["kind"] for d in package["documents"]} >= {"crime_transfer_letter", "crime_case_report", "crime_exhibit_list"}
    assert len(package["records"]) == 2  # the transfer's and the case's
    path = tmp_path / "p.json"
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    assert tool.main(["x", str(path)]) == 0


def test_r25_package_tampering_is_found(package):
    tool = _tool()
    changed = copy.deepcopy(package)
    changed["documents"][0]["data"]["facts"] = "另写的事实"
    assert any("data hash" in p for p in tool.check(changed))
    changed = copy.deepcopy(package)
    stream = next(iter(changed["records"]))
    changed["records"][stream][0]["content"]["payload"]["report"] = "改过"
    problems = tool.check(changed)
    assert any("does not match its hash" in p for p in problems) and any("package digest" in p for p in problems)


def test_r25_package_pdf_and_scope(api_as, tw, media_root):
    t = tw.walk(tw.report(), "dispatched")
    r = api_as("officer1").get(f"/api/v1/transfers/{t.pk}/package.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    assert api_as("officer_other").get(f"/api/v1/transfers/{t.pk}/package.json").status_code == 404
