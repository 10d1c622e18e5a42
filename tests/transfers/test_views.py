"""R25 pages: the ledger (filters, colours, Excel), a transfer page, reporting from a case."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import page_queries

pytestmark = pytest.mark.usefixtures("pages_today")


def login(world, name) -> Client:
    c = Client()
    c.force_login(world.users[name])
    return c


def test_r25_ledger_and_detail_pages(world, tw):
    t = tw.walk(tw.report(), "dispatched")
    c = login(world, "officer1")
    r = c.get("/transfers/")
    assert r.status_code == 200 and f'data-transfer="{t.pk}"' in r.content.decode()
    r = c.get(f"/transfers/{t.pk}/")
    html = r.content.decode()
    assert r.status_code == 200 and 'data-material="letter"' in html and 'data-clock="receipt"' in html
    assert "record_receipt" in html
    r = c.get("/transfers/?format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert login(world, "officer_other").get(f"/transfers/{t.pk}/").status_code == 404


def test_r25_ledger_query_count_constant(world, tw):
    tw.report()
    c = login(world, "supervisor")
    one = page_queries(c, "/transfers/")
    for _ in range(3):
        tw.report()
    assert page_queries(c, "/transfers/") == one


def test_r25_report_page_and_action_refusal(world, tw):
    case = tw.case()
    c = login(world, "officer1")
    assert c.get(f"/transfers/new/?case={case.pk}").status_code == 200
    r = c.post("/transfers/new/", {"case": case.pk, "team": [world.officers["officer1"].pk], "offence": "x", "report": "y"})
    assert r.status_code == 409 and "TRANSFER_TEAM_TOO_SMALL" in r.content.decode()
    r = c.post("/transfers/new/", {"case": case.pk, "team": [world.officers["officer1"].pk, world.officers["officer2"].pk],
                                   "offence": "销售伪劣产品罪", "report": "属实"})
    assert r.status_code == 302
    pk = int(r["Location"].rstrip("/").split("/")[-1])
    r = login(world, "head1").post(f"/transfers/{pk}/actions/refuse/", {"refuse-reason": ""})
    assert r.status_code == 400 and 'data-action="refuse"' in r.content.decode()  # the page requires the reason
    r = login(world, "head1").post(f"/transfers/{pk}/actions/refuse/", {"refuse-reason": "不构成犯罪"})
    assert r.status_code == 302


def test_r25_register_inward_page(world):
    c = login(world, "officer1")
    r = c.post("/transfers/inward/new/", {"inward_kind": "reverse", "sender": "示例市公安局", "summary": "不构成犯罪，移送行政处理。"})
    assert r.status_code == 302


def test_r25_transfer_documents_render_and_download(world, tw, media_root):
    from zhifa.transfers import services as ts

    off, head = tw.actor("officer1"), tw.actor("head1")
    t = tw.walk(tw.report(), "received")
    ts.record_police_decision(t.pk, decision="not_filed", reasons="情节显著轻微。", actor=off)
    ts.request_reconsideration(t.pk, reason="应当立案。", actor=head)
    ts.record_reconsideration(t.pk, result="not_filed", actor=off)
    ts.suggest_procuratorate(t.pk, reason="应当立案而不立案。", actor=head)
    c = login(world, "officer1")
    kinds = set()
    for m in t.materials.select_related("document").filter(document__isnull=False):
        r = c.get(f"/api/v1/documents/{m.document_id}.pdf")
        assert r.status_code == 200, (m.kind, r.status_code)
        assert b"".join(r.streaming_content)[:4] == b"%PDF"
        kinds.add(m.document.kind)
    assert kinds == {"crime_transfer_letter", "crime_case_report", "crime_exhibit_list", "crime_reconsideration_request",
                     "crime_supervision_suggestion"}


def test_r25_handover_and_reply_documents_render(world, tw, media_root):
    from zhifa.transfers import services as ts

    t = tw.walk(tw.report(), "handed_over")
    i = ts.register_inward(inward_kind="reverse", sender="示例市公安局", summary="移送行政处理。", actor=tw.actor("officer1"))
    ts.reply(i.pk, outcome="reasoned_reply", reasons="已责令改正。", actor=tw.actor("head1"))
    c = login(world, "officer1")
    for transfer, kind in ((t, "crime_handover_list"), (i, "transfer_reply")):
        m = transfer.materials.get(document__kind=kind)
        r = c.get(f"/api/v1/documents/{m.document_id}.pdf")
        assert r.status_code == 200 and b"".join(r.streaming_content)[:4] == b"%PDF"


def test_r25_threshold_admin_records_on_the_item(world, tw):
    from zhifa.core.ledger import RecordEntry

    c = login(world, "admin")
    r = c.post("/admin/transfers/criminalthreshold/add/", {"item": tw.cw.item.pk, "measure": "goods_value", "amount": "50000",
                                                          "offence": "生产、销售伪劣产品罪", "source": "立案追诉标准（一）第十六条"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert RecordEntry.objects.filter(stream=f"item:{tw.cw.item.code}", action="admin_create_criminalthreshold").exists()
