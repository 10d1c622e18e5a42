"""R25 through the API (contract.md "Criminal transfer"): create both ways, actions, clocks with
timestamps for hours, the ledger's filters and query count, and the denials."""
from __future__ import annotations

import pytest

from zhifa.transfers.models import Transfer


@pytest.fixture
def made(tw):
    return tw.report()


def _post_report(api, tw, case, team=("officer1", "officer2")):
    return api.post("/api/v1/transfers", {"case_id": case.pk, "team_officer_ids": [tw.cw.officer(n).pk for n in team],
                                          "suspected_offence": "销售伪劣产品罪", "report": "货值金额达到追诉标准。"})


def test_r25_api_report_approve_dispatch_with_hour_clock(api_as, tw):
    case = tw.case()
    off, head = api_as("officer1"), api_as("head1")
    r = _post_report(off, tw, case)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "reported" and body["blocks_fine"] is True
    assert [d["kind"] for d in body["deadlines"]] == ["head_decision"]
    assert body["allowed_actions"] == []  # officer1 is not the head
    assert head.get(f"/api/v1/transfers/{body['id']}").json()["allowed_actions"] == ["approve", "refuse"]
    r = head.post(f"/api/v1/transfers/{body['id']}/actions/approve", {"opinion": "同意"})
    assert r.status_code == 200, r.content
    dispatch = next(d for d in r.json()["deadlines"] if d["kind"] == "dispatch")
    assert dispatch["unit"] == "hours" and "T" in dispatch["due"] and dispatch["due"].endswith("+08:00")
    r = off.post(f"/api/v1/transfers/{body['id']}/actions/dispatch", {"investigation": "", "exhibits": []})
    assert r.status_code == 409
    assert {v["code"] for v in r.json()["violations"]} == {"TRANSFER_MATERIALS_MISSING"}
    r = off.post(f"/api/v1/transfers/{body['id']}/actions/dispatch", {"investigation": "调查属实。", "exhibits": ["伪劣产品100件"]})
    assert r.status_code == 200, r.content
    assert {m["kind"] for m in r.json()["materials"]} == {"letter", "report", "exhibits"}
    assert all(m["number"] for m in r.json()["materials"])


def test_r25_api_team_too_small_and_bad_input(api_as, tw):
    case = tw.case()
    off = api_as("officer1")
    r = _post_report(off, tw, case, team=("officer1",))
    assert r.status_code == 409 and "TRANSFER_TEAM_TOO_SMALL" in {v["code"] for v in r.json()["violations"]}
    r = off.post("/api/v1/transfers", {"team_officer_ids": "x"})
    assert r.status_code == 422
    r = off.post("/api/v1/transfers", {"direction": "out"})
    assert r.status_code == 422
    assert not Transfer.objects.exists()


def test_r25_api_refuse_requires_reason(api_as, made):
    r = api_as("head1").post(f"/api/v1/transfers/{made.pk}/actions/refuse", {"reason": ""})
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "REASON_REQUIRED"


def test_r25_api_denials(api_as, made):
    # another body: not found; an uncertified officer of the body: 409; a non-team officer: 403
    assert api_as("officer_other").get(f"/api/v1/transfers/{made.pk}").status_code == 404
    assert api_as("officer_other").post(f"/api/v1/transfers/{made.pk}/actions/approve", {}).status_code == 404
    assert api_as("officer1").post(f"/api/v1/transfers/{made.pk}/actions/approve", {}).status_code == 403
    assert api_as(None).get("/api/v1/transfers").status_code == 401


def test_r25_api_uncertified_team_member_refused(api_as, tw, world):
    import datetime as dt

    from zhifa.core import clock
    from zhifa.registry.models import Certificate

    t = tw.walk(tw.report(), "approved")
    Certificate.objects.filter(officer=world.officers["officer1"]).update(expires_on=clock.today() - dt.timedelta(days=1))
    r = api_as("officer1").post(f"/api/v1/transfers/{t.pk}/actions/dispatch", {"investigation": "属实", "exhibits": ["无"]})
    assert r.status_code == 409 and "CERTIFICATE_INVALID" in {v["code"] for v in r.json()["violations"]}


def test_r25_api_non_team_officer_forbidden(api_as, tw):
    t = tw.walk(tw.report(), "approved")
    # officer3 (not in the team) cannot dispatch
    assert api_as("officer3").post(f"/api/v1/transfers/{t.pk}/actions/dispatch", {"investigation": "x", "exhibits": ["x"]}).status_code == 403


def test_r25_api_inward_opinion(api_as):
    r = api_as("officer1").post("/api/v1/transfers", {"direction": "in", "inward_kind": "opinion", "sender": "示例市人民检察院",
                                                      "summary": "建议给予行政处罚。"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "registered" and body["deadlines"][0]["unit"] == "months"
    r = api_as("head1").post(f"/api/v1/transfers/{body['id']}/actions/reply", {"outcome": "nothing"})
    assert r.status_code == 422


def test_r25_api_ledger_filters_and_queries(api_as, tw, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tw.walk(tw.report(), "approved")
    head = api_as("head1")  # a head of the body: allowed actions are computed for every row

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert head.get("/api/v1/transfers", page_size=50).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for _ in range(2):
        tw.walk(tw.report(), "approved")
    assert queries() == one
    api = api_as("supervisor")
    with django_assert_max_num_queries(12):
        r = api.get("/api/v1/transfers", page_size=50)
    assert r.status_code == 200 and r.json()["count"] == 3
    assert api.get("/api/v1/transfers", state="approved").json()["count"] == 3
    assert api.get("/api/v1/transfers", direction="in").json()["count"] == 0
    assert api.get("/api/v1/transfers", overdue="true").json()["count"] == 0
    assert api_as("officer_other").get("/api/v1/transfers").json()["count"] == 0
    r = api.get("/api/v1/transfers/export.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_r25_api_signals(api_as, tw):
    from decimal import Decimal

    from zhifa.transfers import services as ts

    ts.save_threshold(item_code=tw.cw.item.code, measure="goods_value", amount=Decimal("50000"), offence="生产、销售伪劣产品罪",
                      source="立案追诉标准（一）第十六条", actor_name="test")
    case = tw.cw.walk(tw.cw.register(), "decided")
    case.goods_value = Decimal("80000")
    case.save(update_fields=["goods_value"])
    r = api_as("supervisor").get("/api/v1/transfers/signals")
    assert r.status_code == 200
    assert [s["code"] for s in r.json()] == ["CASE_NOT_TRANSFERRED"]


def test_r25_signal_fine_instead_of_transfer(api_as, tw):
    import datetime as dt
    from decimal import Decimal

    from zhifa.cases.models import Case
    from zhifa.core import clock
    from zhifa.transfers.models import Transfer

    # a fine decided before the report stands (offset, art.11 ¶3): no signal
    case = tw.cw.walk(tw.cw.register(), "decided")
    t = tw.walk(tw.report(case=case), "filed")
    assert api_as("supervisor").get("/api/v1/transfers/signals").json() == []
    # a refusal without reasons (imported history) followed by a fine: 以罚代刑
    other = tw.cw.walk(tw.cw.register(party_id_code="91650200MA0000002X"), "decided")
    Transfer.objects.create(body=other.body, case=other, direction="out", state="refused", head_decision="refused",
                            refusal_reason="", reported_at=clock.now() - dt.timedelta(days=9),
                            head_decided_at=clock.now() - dt.timedelta(days=8))
    Case.objects.filter(pk=other.pk).update(decided_on=clock.today(), decision_amount=Decimal("5000"))
    signals = api_as("supervisor").get("/api/v1/transfers/signals").json()
    assert [(s["code"], s["case_id"]) for s in signals] == [("FINE_INSTEAD_OF_TRANSFER", other.pk)]
    assert t.pk
