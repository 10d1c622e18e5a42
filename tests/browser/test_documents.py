"""A decision made by a real case action, previewed and downloaded in the browser with a logged-in
session (issue 5 item 7): the case's document list, the inline PDF preview and the download."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.documents.conftest import docx_text, pdf_text
from tests.factories import ItemFactory
from zhifa.cases import services as s
from zhifa.documents import services as documents
from zhifa.registry import access

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _decided_case(world, item):
    officer, head = access.actor_for(world.users["officer1"]), access.actor_for(world.users["head1"])
    o1, o2 = world.officers["officer1"], world.officers["officer2"]
    # The steps before the decision are issued in deferred mode (their files are made on download).
    with documents.render_mode(documents.DEFERRED):
        case = s.register_source(item_code=item.code, party_kind="organisation", party_name="示例市鑫源食品贸易有限公司",
                                 party_id_code="91650200MA78Q3K21X", party_address="示例市人民路88号", party_legal_representative="张建国",
                                 act_date=TODAY - dt.timedelta(days=20), clue="群众举报销售过期挂面", actor=officer)
        s.file_case(case.pk, officer_ids=[o1.pk, o2.pk], actor=head)
        s.show_credentials(case.pk, actor=officer)
        s.record_evidence(case.pk, kind="record", title="现场检查笔录", actor=officer)
        s.end_investigation(case.pk, report="经调查，当事人销售超过保质期的挂面属实。", facts="当事人销售超过保质期的挂面46袋",
                            proposed_kinds=["fine"], proposed_amount=Decimal("5000"), act_place="示例市人民路88号",
                            violated_provision="《中华人民共和国食品安全法》第三十四条第（十）项", actor=officer)
        s.review_case(case.pk, opinion="同意", actor=head)
        s.notify(case.pk, kinds=["fine"], amount=Decimal("5000"), actor=officer)
        s.waive_defence(case.pk, actor=officer)
    # The decision as in production: rendered and stored in the action's transaction.
    with documents.render_mode(documents.IMMEDIATE):
        s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning="当事人销售过期食品，依法应予处罚。",
                 actor=head)
    return case


def test_r16_decision_previewed_and_downloaded_in_the_browser(world, page_as, served, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售超过保质期的食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条第一款第五项")
    case = _decided_case(world, item)
    page = page_as("officer1")

    # The case's documents, as the logged-in officer's browser reads them.
    page.goto(f"{served.url}/api/v1/cases/{case.pk}/documents")
    listing = json.loads(page.locator("body").inner_text())
    assert [d["kind"] for d in listing["items"]] == ["filing_approval", "investigation_report", "penalty_notice", "penalty_decision"]
    decision = listing["items"][-1]
    assert decision["rendered"] is True and len(decision["pdf_sha256"]) == 64

    # Preview (inline PDF) with the session cookie.
    preview = page.request.get(served.url + decision["preview_url"])
    assert preview.ok and preview.headers["content-type"] == "application/pdf"
    assert preview.headers["content-disposition"].startswith("inline")
    text = pdf_text(preview.body())
    for expected in (decision["number"], "示例市鑫源食品贸易有限公司", "罚款人民币5000.00元", "申请行政复议", "提起行政诉讼"):
        assert expected in text, expected

    # Download: a click on the document's link saves the file the record's hash names.
    with page.expect_download() as info:
        page.evaluate("""url => { const a = document.createElement('a'); a.href = url; a.textContent = '下载';
                                  document.body.appendChild(a); a.click(); }""", decision["pdf_url"])
    download = info.value
    assert download.suggested_filename == f"行政处罚决定书{decision['number']}.pdf"
    data = Path(download.path()).read_bytes()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == decision["pdf_sha256"]
    # The Word file of a step issued in deferred mode is rendered on this first download.
    with page.expect_download() as info:
        page.evaluate("""url => { const a = document.createElement('a'); a.href = url; document.body.appendChild(a); a.click(); }""",
                      listing["items"][2]["docx_url"])
    assert "示例市鑫源食品贸易有限公司" in docx_text(Path(info.value.path()).read_bytes())
