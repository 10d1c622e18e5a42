"""The officer's workbench pages (issue 4 item 5): my cases scoped and coloured by urgency, the case
page with its record and deadlines, action forms that show every violation at once, evidence
upload, the head's and the reviewer's queues, and 404/403 through access."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.cases import services as s
from zhifa.cases.models import Case, Evidence

PASSWORD = "zhifa-demo"


@pytest.fixture
def login(world):
    def make(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=PASSWORD)
        return client

    return make


def _detail(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _action(case, code: str) -> str:
    return reverse("cases:action", args=[case.pk, code])


def _row_classes(html: str) -> dict[int, str]:
    return {int(pk): cls for cls, pk in re.findall(r'<tr class="([^"]*)" data-case="(\d+)"', html)}


# --- My cases -------------------------------------------------------------------------------

def test_r14_case_list_shows_only_cases_in_scope(cw, world, login):
    mine = cw.register(party_name="甲商店")
    other_item = ItemFactory(body=world.urban, code="CGJ-CF-001", name="对占道经营的处罚")
    theirs = s.register_source(item_code=other_item.code, party_kind="person", party_name="乙摊主",
                               act_date=TODAY - dt.timedelta(days=3), actor=cw.actor("officer_other"))

    html = login("officer1").get(reverse("cases:list")).content.decode()
    assert "甲商店" in html and mine.number in html
    assert "乙摊主" not in html

    html = login("officer_other").get(reverse("cases:list")).content.decode()
    assert "乙摊主" in html and theirs.number in html
    assert "甲商店" not in html

    # The city supervisor sees both bodies' cases.
    html = login("supervisor").get(reverse("cases:list")).content.decode()
    assert "甲商店" in html and "乙摊主" in html


def test_r14_case_list_query_count_is_constant_in_the_number_of_cases(cw, login):
    client = login("officer1")
    cw.walk(cw.register(party_name="甲"), "investigating")
    url = reverse("cases:list")
    client.get(url)  # warm the calendar cache

    def count(params=None) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params or {})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = {"urgency": count(), "party": count({"sort": "party"}), "overdue": count({"overdue": "on"})}
    for i in range(6):
        case = cw.register(party_name=f"乙{i}")
        if i % 2:
            cw.walk(case, "investigating")
            s.pause_clock(case.pk, kind="testing", reason="送检", actor=cw.actor("officer1"))
    many = {"urgency": count(), "party": count({"sort": "party"}), "overdue": count({"overdue": "on"})}
    assert many == few


def test_r14_case_list_sorted_by_urgency_and_coloured(cw, login):
    calm = cw.walk(cw.register(party_name="从容公司"), "investigating")  # 90-day decision period
    overdue = cw.register(party_name="逾期公司", clue_received_on=TODAY - dt.timedelta(days=40))  # filing: 15 working days
    soon = cw.register(party_name="临期公司", clue_received_on=TODAY - dt.timedelta(days=19))
    html = login("officer1").get(reverse("cases:list")).content.decode()
    classes = _row_classes(html)
    assert classes[overdue.pk] == "urg-overdue"
    assert classes[soon.pk] == "urg-soon"
    assert classes[calm.pk] == ""
    order = [int(pk) for pk in re.findall(r'data-case="(\d+)"', html)]
    assert order == [overdue.pk, soon.pk, calm.pk]
    assert "逾期" in html

    # Filters: overdue only, and by state.
    html = login("officer1").get(reverse("cases:list"), {"overdue": "on"}).content.decode()
    assert list(_row_classes(html)) == [overdue.pk]
    html = login("officer1").get(reverse("cases:list"), {"state": "investigating"}).content.decode()
    assert list(_row_classes(html)) == [calm.pk]


def test_case_list_pages_by_fifty(cw, login):
    for i in range(52):
        Case.objects.create(body=cw.world.market, item=cw.item, party_kind="person", party_name=f"当事人{i}",
                            act_date=TODAY, clue_received_on=TODAY, number=f"N{i}")
    html = login("officer1").get(reverse("cases:list"), {"sort": "party"}).content.decode()
    assert len(_row_classes(html)) == 50
    html = login("officer1").get(reverse("cases:list"), {"sort": "party", "page": 2}).content.decode()
    assert len(_row_classes(html)) == 2


# --- Registration ------------------------------------------------------------------------------

def test_r14_register_a_case_source_through_the_form(cw, login):
    client = login("officer1")
    response = client.get(reverse("cases:register"))
    assert response.status_code == 200 and reverse("cases:pick_items") in response.content.decode()
    assert cw.item.code in client.get(reverse("cases:pick_items"), {"item_q": cw.item.code}).content.decode()  # searched, not listed
    data = {"procedure": "normal", "item": cw.item.pk, "source": "complaint", "party_kind": "organisation",
            "party_name": "示例超市", "act_date": (TODAY - dt.timedelta(days=5)).isoformat(), "clue": "投诉销售过期食品"}
    response = client.post(reverse("cases:register"), data)
    case = Case.objects.get(party_name="示例超市")
    assert response.status_code == 302 and response["Location"] == _detail(case)
    assert case.state == "source"

    # Field errors next to the fields, nothing written.
    response = client.post(reverse("cases:register"), {**data, "party_name": "", "act_date": "昨天"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "field-error" in html and "这个字段是必填项" in html
    assert Case.objects.count() == 1

    # A future act date is refused by the service (INVALID_INPUT), shown as a violation with its message.
    response = client.post(reverse("cases:register"), {**data, "act_date": (TODAY + dt.timedelta(days=3)).isoformat()})
    html = response.content.decode()
    assert response.status_code == 409 and re.search(r'data-code="INVALID_INPUT"', html)
    assert "违法行为日期不得晚于今天" in html


# --- The case page --------------------------------------------------------------------------------

def test_r14_case_page_shows_header_deadlines_timeline_and_actions(cw, login):
    case = cw.register()
    html = login("head1").get(_detail(case)).content.decode()
    assert case.number in html and "案源登记" in html and "示例商贸有限公司" in html
    assert "立案期限" in html  # the running deadline
    assert 'data-action="file"' in html and 'data-action="decline"' in html  # the head's actions
    assert 'data-action="register"' in html  # the timeline entry
    entry = s.record_of(case.pk, cw.actor("head1")).get()
    assert entry.hash[:12] in html


def test_r14_case_page_query_count_does_not_grow_with_the_record(cw, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = cw.walk(cw.register(), "investigating")
    client = login("officer1")
    client.get(_detail(case))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_detail(case)).status_code == 200
        return len(ctx.captured_queries)

    s.record_evidence(case.pk, kind="record", title="询问笔录1", actor=cw.actor("officer1"))
    few = count()
    for i in range(5):
        s.record_evidence(case.pk, kind="photo", title=f"照片{i}", actor=cw.actor("officer1"))
    assert count() == few


def test_r14_officer_of_another_body_gets_404(cw, login):
    case = cw.register()
    client = login("officer_other")
    assert client.get(_detail(case)).status_code == 404
    assert client.post(_action(case, "file"), {}).status_code == 404
    assert client.get(reverse("cases:verify", args=[case.pk])).status_code == 404
    assert Case.objects.get(pk=case.pk).state == "source"


def test_r14_refused_action_shows_every_violation_at_once(cw, login):
    case = cw.register(act_date=TODAY - dt.timedelta(days=3 * 365))  # beyond the 2-year limitation
    # The picker offers only officers whose certificate is valid (R04, see below); the head's own
    # certificate expired after the page was opened, and one officer alone is named.
    cw.officer("head1").certificates.update(expires_on=TODAY - dt.timedelta(days=1))
    response = login("head1").post(_action(case, "file"), {"file-officers": [cw.officer("officer1").pk], "file-opinion": "同意立案"})
    assert response.status_code == 409
    html = response.content.decode()
    for code in ("LIMITATION_EXPIRED", "CERTIFICATE_INVALID", "TWO_OFFICERS_REQUIRED"):
        assert code in html
    assert "依据：" in html and "行政处罚法" in html
    assert 'id="action-file"' in html and " open>" in html  # the refused form stays open, its input kept
    case.refresh_from_db()
    assert case.state == "source" and case.version == 1


def test_r14_refusal_through_htmx_swaps_only_the_panel(cw, login):
    case = cw.walk(cw.register(), "reviewed")
    response = login("head1").post(_action(case, "decide"), {"decide-outcome": "penalty", "decide-kinds": ["fine"],
                                                             "decide-amount": "5000", "decide-reasoning": "依法处罚"},
                                   HTTP_HX_REQUEST="true", HTTP_HX_TARGET="action-decide")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<details") and "NOTICE_REQUIRED" in html
    assert "<html" not in html


def test_r14_successful_action_moves_the_state_and_redirects(cw, login):
    case = cw.register()
    o1, o2 = cw.officer("officer1"), cw.officer("officer2")
    client = login("head1")
    response = client.post(_action(case, "file"), {"file-officers": [o1.pk, o2.pk], "file-opinion": "同意立案"})
    assert response.status_code == 302 and response["Location"] == _detail(case)
    case.refresh_from_db()
    assert case.state == "investigating" and case.filed_on == TODAY
    html = client.get(_detail(case)).content.decode()
    assert "已完成：立案" in html and 'data-action="file"' in html and "作出决定期限" in html

    # With htmx, the success is a redirect header.
    response = login("officer1").post(_action(case, "end_investigation"),
                                      {"end_investigation-report": "查明销售过期食品", "end_investigation-proposed_kinds": ["fine"],
                                       "end_investigation-proposed_amount": "5000"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == _detail(case)
    assert Case.objects.get(pk=case.pk).state == "investigated"


def test_r14_auxiliary_staff_see_the_case_but_cannot_act(cw, login):
    case = cw.register()
    client = login("aux1")
    response = client.get(_detail(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="auxiliary-notice"' in html and "<form method=\"post\" action=\"/cases/" not in html
    o1, o2 = cw.officer("officer1"), cw.officer("officer2")
    assert client.post(_action(case, "file"), {"file-officers": [o1.pk, o2.pk]}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == "source"
    # …but may register a clue.
    assert client.get(reverse("cases:register")).status_code == 200


def test_r17_evidence_upload_is_hashed_and_downloadable(cw, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = cw.walk(cw.register(), "investigating")
    client = login("officer1")
    upload = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8photo-bytes", content_type="image/jpeg")
    response = client.post(_action(case, "record_evidence"), {
        "record_evidence-kind": "photo", "record_evidence-title": "现场照片", "record_evidence-place": "人民路2号",
        "record_evidence-upload": upload})
    assert response.status_code == 302
    evidence = Evidence.objects.get(case=case, kind="photo")
    import hashlib

    assert evidence.sha256 == hashlib.sha256(b"\xff\xd8photo-bytes").hexdigest() and evidence.size == 13
    html = client.get(_detail(case)).content.decode()
    assert "现场照片" in html and evidence.sha256[:16] in html and 'enctype="multipart/form-data"' in html
    download = client.get(reverse("cases:evidence_file", args=[case.pk, evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\xff\xd8photo-bytes"
    assert login("officer_other").get(reverse("cases:evidence_file", args=[case.pk, evidence.pk])).status_code == 404


def test_r15_verify_button_detects_a_change_behind_the_application(cw, login):
    case = cw.walk(cw.register(), "investigating")
    client = login("officer1")
    url = reverse("cases:verify", args=[case.pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="verify-ok"' in html and "共 4 条" in html  # register, file, show_credentials, record_evidence
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_recordentry SET payload = %s WHERE stream = %s AND seq = 2",
                       ['{"label": "立案", "officers": [1]}', case.stream])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="verify-broken"' in html and "第 2 条" in html
    assert client.get(url).status_code == 200  # without htmx: the whole case page with the result


def test_r16_document_preview_from_the_record(cw, login):
    case = cw.walk(cw.register(), "notified")
    entry = s.record_of(case.pk, cw.actor("officer1")).get(action="notify")
    html = login("officer1").get(reverse("cases:document", args=[case.pk, entry.seq])).content.decode()
    assert "行政处罚告知书" in html and "罚款" in html and "陈述申辩期限" in html
    first = s.record_of(case.pk, cw.actor("officer1")).get(action="register")
    assert login("officer1").get(reverse("cases:document", args=[case.pk, first.seq])).status_code == 200


# --- Queues -------------------------------------------------------------------------------------

def test_r14_head_approvals_queue(cw, login):
    source = cw.register(party_name="待立案公司")
    investigated = cw.walk(cw.register(party_name="待审核公司"), "investigated")
    investigating = cw.walk(cw.register(party_name="调查中公司"), "investigating")
    html = login("head1").get(reverse("cases:approvals")).content.decode()
    rows = _row_classes(html)
    assert source.pk in rows and investigated.pk in rows and investigating.pk not in rows
    assert "立案审批" in html and "案件审核" in html
    assert login("officer1").get(reverse("cases:approvals")).status_code == 403


def test_r18_reviewer_queue_lists_the_reviews_assigned(cw, login):
    case = cw.walk(cw.register(party_name="待法审公司"), "reviewed", amount=Decimal("50000"))
    s.request_review(case.pk, reviewer_id=cw.officer("reviewer1").pk, actor=cw.actor("officer1"))
    client = login("reviewer1")
    html = client.get(reverse("cases:reviews")).content.decode()
    assert "待法审公司" in html and str(case.pk) in html
    # The reviewer completes the review on the case page.
    response = client.post(_action(case, "complete_review"), {"complete_review-result": "pass", "complete_review-opinion": "同意",
                                                              "complete_review-check_competence": "on"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).review_status == "pass"
    html = client.get(reverse("cases:reviews")).content.decode()
    assert "没有待审核的案件" in html and "最近完成的审核" in html
    assert login("officer1").get(reverse("cases:reviews")).status_code == 403


@pytest.mark.parametrize("state", ["source", "investigating", "reviewed", "notified", "decided", "served"])
def test_every_action_form_answers_without_a_server_error(cw, login, state, settings, tmp_path):
    """Empty and nonsense input to every action the page offers: field errors (400), refusals
    (409), 403 or a redirect — never a 500."""
    settings.MEDIA_ROOT = tmp_path
    case = cw.register() if state == "source" else cw.walk(cw.register(), state)
    for username in ("head1", "officer1"):
        client = login(username)
        codes = s.allowed_actions(Case.objects.select_related("body").get(pk=case.pk), cw.actor(username))
        for code in codes:
            for data in ({}, {f"{code}-amount": "-1", f"{code}-kinds": ["nonsense"], f"{code}-officers": ["999999"],
                              f"{code}-served_on": "2026-13-40", f"{code}-days": "0", f"{code}-reason": "\x00"}):
                response = client.post(_action(case, code), data)
                assert response.status_code in (302, 400, 403, 409), (code, response.status_code)
