"""R25: a transfer may start from an inspection's finding (Order 310 art.3), with the same steps and
guards as from a case: the API, the page from the inspection's page, the documents naming the
inspected entity, the signed package; a finding already turned into a case is transferred as that
case (and holds its fines)."""
from __future__ import annotations

import json

import pytest

from tests.inspections.drawing import inspection_with_finding
from zhifa.cases.models import Case
from zhifa.documents.models import Document
from zhifa.inspections.models import InspectionItem
from zhifa.registry.access import actor_for
from zhifa.transfers import services as ts
from zhifa.transfers.models import Transfer

from .conftest import TEAM


@pytest.fixture
def finding(world):
    item = InspectionItem.objects.create(
        code="SJ-001", name="食品经营者落实主体责任情况检查", body=world.market,
        legal_basis="《中华人民共和国食品安全法》第一百一十条", checklist=["持证经营", "从业人员健康证明", "进货查验记录"])
    inspection, _ = inspection_with_finding(world, actor_for(world.users["head1"]), item)
    return inspection


def _body(tw, inspection, team=TEAM, **kw):
    return {"inspection_id": inspection.pk, "team_officer_ids": [tw.cw.officer(n).pk for n in team],
            "suspected_offence": "销售不符合安全标准的食品罪", "report": "检查发现销售过期食品，数量较大，涉嫌犯罪。", **kw}


def test_r25_transfer_from_inspection_finding_walks_order_310(api_as, tw, finding):
    officer, head = api_as("officer1"), api_as("head1")
    r = officer.post("/api/v1/transfers", _body(tw, finding))
    assert r.status_code == 201, r.content
    t = r.json()
    assert (t["state"], t["case_id"], t["inspection_id"]) == ("reported", None, finding.pk)
    assert t["party_name"] == finding.entity.name and f"检查记录 #{finding.pk}" in t["source_reference"]
    assert [d["kind"] for d in t["deadlines"]] == ["head_decision"] and t["deadlines"][0]["due"] == "2026-11-26"
    assert head.post(f"/api/v1/transfers/{t['id']}/actions/approve", {"opinion": "同意"}).status_code == 200
    r = officer.post(f"/api/v1/transfers/{t['id']}/actions/dispatch", {"investigation": "", "exhibits": []})
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "TRANSFER_MATERIALS_MISSING"
    r = officer.post(f"/api/v1/transfers/{t['id']}/actions/dispatch", {"investigation": "经核实属实。", "exhibits": ["过期食品3件"]})
    assert r.status_code == 200 and r.json()["state"] == "dispatched", r.content
    letter = Document.objects.get(subject=f"transfer:{t['id']}", kind="crime_transfer_letter")
    assert letter.data["party"]["name"] == finding.entity.name and letter.data["party"]["id_code"] == finding.entity.credit_code
    assert "销售超过保质期的食品" in letter.data["facts"] and "餐饮服务单位抽查" in letter.data["case_cause"]
    assert officer.post(f"/api/v1/transfers/{t['id']}/actions/record_receipt", {"receipt_by": "张警官"}).json()["state"] == "received"
    package = json.loads(officer.get(f"/api/v1/transfers/{t['id']}/package.json").content)
    assert list(package["records"]) == [f"transfer:{t['id']}"] and package["transfer"]["party"] == finding.entity.name
    from tests.transfers.test_package import _tool

    assert _tool().check(package) == []
    report = package["records"][f"transfer:{t['id']}"][0]["content"]["payload"]
    assert report["inspection_id"] == finding.pk and report["findings"] == finding.findings


def test_r25_transfer_from_inspection_guards(api_as, tw, finding, world):
    officer = api_as("officer1")
    r = officer.post("/api/v1/transfers", _body(tw, finding, team=("officer1",)))
    assert r.status_code == 409 and "TRANSFER_TEAM_TOO_SMALL" in {v["code"] for v in r.json()["violations"]}
    r = officer.post("/api/v1/transfers", {**_body(tw, finding), "case_id": tw.case().pk})
    assert r.status_code == 422
    assert api_as("officer_other").post("/api/v1/transfers", _body(tw, finding)).status_code == 404  # another body's inspection
    assert officer.post("/api/v1/transfers", _body(tw, finding)).status_code == 201
    r = officer.post("/api/v1/transfers", _body(tw, finding))
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["TRANSFER_ALREADY_PENDING"]
    finding.outcome, finding.findings = "no_problem", ""
    finding.save()
    Transfer.objects.all().delete()
    r = officer.post("/api/v1/transfers", _body(tw, finding))
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["NO_FINDING"]
    assert Transfer.objects.count() == 0


def test_r25_a_finding_already_a_case_is_transferred_as_the_case(tw, finding):
    case = tw.case()
    finding.case_id = case.pk
    finding.save(update_fields=["case_id"])
    t = ts.report_transfer(inspection_id=finding.pk, team_officer_ids=[tw.cw.officer(n).pk for n in TEAM],
                           suspected_offence="销售不符合安全标准的食品罪", report="经核实涉嫌犯罪。", actor=tw.actor("officer1"))
    assert t.case_id == case.pk and t.inspection_id == finding.pk and t.blocks_fine
    assert Case.objects.get(pk=case.pk).transfer_pending  # no fine in place of the transfer (art.11)


def test_r25_transfer_page_from_the_inspection_page(client, world, tw, finding):
    client.force_login(world.users["officer1"])
    page = client.get(f"/inspections/results/{finding.pk}/")
    assert page.status_code == 200 and f"/transfers/new/?inspection={finding.pk}" in page.content.decode()
    form = client.get(f"/transfers/new/?inspection={finding.pk}")
    assert form.status_code == 200 and finding.entity.name in form.content.decode()
    r = client.post("/transfers/new/", {"inspection": finding.pk, "team": [tw.cw.officer(n).pk for n in TEAM],
                                        "offence": "销售不符合安全标准的食品罪", "report": "检查发现涉嫌犯罪。"})
    t = Transfer.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/transfers/{t.pk}/"
    detail = client.get(f"/transfers/{t.pk}/").content.decode()
    assert f"检查记录 #{finding.pk}" in detail
    client.force_login(world.users["officer_other"])
    assert client.get(f"/transfers/new/?inspection={finding.pk}").status_code == 404
