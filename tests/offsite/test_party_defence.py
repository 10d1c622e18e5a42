"""R22 / APL art.41 ¶3, arts.44–45: the party holding a capture's lookup code sees its facts and
image on the portal and states and defends online, within the defence period, once; the statement
is on the case's record and the decision's guard sees the defence as made."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cases.conftest import CaseWorld
from zhifa.cases import rules as case_rules
from zhifa.cases import services as cases
from zhifa.core import clock
from zhifa.core.models import RecordEntry
from zhifa.core.violations import Refused
from zhifa.offsite import public, services
from zhifa.offsite.models import Capture, PartyStatement

from .conftest import row

AMOUNT = Decimal("200")
STATEMENT = "当日该路段标线被积雪覆盖，无法辨认，请求不予处罚。"


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.SECURE_SSL_REDIRECT = False


def _capture(ow, *, notified: bool = True) -> Capture:
    device = ow.device()
    ow.upload(device, [row(1)], {"img1.jpg": b"\xff\xd8\xff\xe0 jpeg"})
    c = Capture.objects.get()
    services.review_capture(c.pk, accepted=True, actor=ow.actor("officer1"))
    services.capture_to_case(c.pk, actor=ow.actor("officer1"))
    c.refresh_from_db()
    if notified:
        CaseWorld(ow.world, ow.item).walk(c.case, "notified", amount=AMOUNT)
        c.refresh_from_db()
    return c


def _decide(ow, case):
    # The decision names the party with its ID document and address (APL art.59 (一)): completed by the officer.
    if not case.party_id_code:
        cases.update_party(case.pk, id_number="11010519491231002X", address="示例市人民路8号", actor=ow.actor("officer1"))
    case.refresh_from_db()
    if case.hearing_due:
        cases.waive_hearing(case.pk, actor=ow.actor("officer1"))
    return cases.decide(case.pk, outcome="penalty", kinds=["fine"], amount=AMOUNT,
                        reasoning="当事人违反禁止标线指示，依法应予处罚。", actor=ow.actor("head1"))


# --- The service --------------------------------------------------------------------------------

def test_r22_party_statement_is_on_the_case_record_and_counts_for_the_decision(ow):
    c = _capture(ow)
    with pytest.raises(Refused) as before:
        _decide(ow, c.case)
    assert case_rules.DEFENCE_PERIOD_OPEN in {v.code for v in before.value.violations}
    kept = services.submit_statement(c.lookup_code.lower(), STATEMENT, source="203.0.113.5")
    assert kept.statement == STATEMENT and kept.case_id == c.case_id
    c.case.refresh_from_db()
    assert c.case.defence_done is True and c.case.state == "notified"
    entry = RecordEntry.objects.filter(stream=c.case.stream).order_by("-seq").first()
    assert entry.action == "online_defence" and entry.payload["statement"] == STATEMENT
    assert entry.actor_id is None and entry.actor_name == "当事人（在线）"
    assert c.lookup_code not in str(entry.payload)  # the code, the party's credential, is never recorded
    assert RecordEntry.objects.filter(stream=c.stream, action="party_statement").count() == 1
    view = public.capture_for_party(c.lookup_code)
    assert view["statement"]["text"] == STATEMENT and view["may_state_and_defend"] is False
    _decide(ow, c.case)  # the defence made: the guard no longer refuses
    c.case.refresh_from_db()
    assert c.case.state == "decided"


def test_r22_second_statement_refused_and_changes_nothing(ow):
    c = _capture(ow)
    services.submit_statement(c.lookup_code, STATEMENT, source="203.0.113.5")
    entries = RecordEntry.objects.count()
    with pytest.raises(Refused) as exc:
        services.submit_statement(c.lookup_code, "再补充一点。", source="203.0.113.6")
    assert [v.code for v in exc.value.violations] == [case_rules.DEFENCE_ALREADY_MADE]
    assert PartyStatement.objects.count() == 1 and RecordEntry.objects.count() == entries


def test_r22_statement_outside_the_window_refused(ow):
    c = _capture(ow, notified=False)
    with pytest.raises(Refused) as early:  # before the notice
        services.submit_statement(c.lookup_code, STATEMENT, source="203.0.113.5")
    assert [v.code for v in early.value.violations] == ["WRONG_STATE"]
    CaseWorld(ow.world, ow.item).walk(c.case, "notified", amount=AMOUNT)
    c.case.refresh_from_db()
    with clock.frozen(c.case.defence_due + dt.timedelta(days=1)):
        with pytest.raises(Refused) as late:
            services.submit_statement(c.lookup_code, STATEMENT, source="203.0.113.5")
        assert public.capture_for_party(c.lookup_code)["may_state_and_defend"] is False
    assert [v.code for v in late.value.violations] == [case_rules.DEFENCE_PERIOD_CLOSED]
    with clock.frozen(c.case.defence_due):  # the last day still counts
        services.submit_statement(c.lookup_code, STATEMENT, source="203.0.113.5")
    assert PartyStatement.objects.count() == 1


def test_r22_statement_needs_text_within_the_limit(ow):
    c = _capture(ow)
    for text in ("", " ", "长" * (case_rules.MAX_ONLINE_STATEMENT + 1)):
        with pytest.raises(Refused) as exc:
            services.submit_statement(c.lookup_code, text, source="203.0.113.5")
        assert [v.code for v in exc.value.violations] == ["INVALID_INPUT"]
    assert not PartyStatement.objects.exists()


def test_r22_unknown_code_is_not_found(ow):
    from django.http import Http404

    _capture(ow)
    for code in ("", "ABCDEFGHJK", "not-a-code"):
        with pytest.raises(Http404):
            services.submit_statement(code, STATEMENT, source="203.0.113.5")


def test_r22_statements_rate_limited_per_address(ow, monkeypatch):
    from zhifa.offsite import rules

    monkeypatch.setattr(rules, "STATEMENTS_PER_ADDRESS_PER_HOUR", 0)
    c = _capture(ow)
    with pytest.raises(services.RateLimited):
        services.submit_statement(c.lookup_code, STATEMENT, source="203.0.113.5")
    c.case.refresh_from_db()
    assert c.case.defence_done is False and not PartyStatement.objects.exists()


# --- The portal pages -----------------------------------------------------------------------------

def test_r22_portal_unknown_code_is_a_chinese_404_without_hint(client, ow):
    c = _capture(ow, notified=False)
    pending = Capture.objects.create(device=c.device, taken_at=c.taken_at, subject="新B00002", file=c.file.name,
                                     sha256=c.sha256, lookup_code="PENDNG2345")  # a code on a capture not reviewed
    for code in ("ABCDEFGHJK", pending.lookup_code, "xyz"):
        for path in (f"/public/captures/{code}/", f"/public/captures/{code}/file/"):
            response = client.get(path)
            assert response.status_code == 404 and "页面不存在" in response.content.decode(), path
            assert "新B00002" not in response.content.decode()
        assert client.post(f"/public/captures/{code}/", {"statement": STATEMENT}).status_code == 404
    response = client.get("/public/captures/", {"code": "ABCDEFGHJK"})
    assert response.status_code == 404 and "无效" in response.content.decode()
    response = client.get("/public/captures/", {"code": c.lookup_code.lower()})
    assert response.status_code == 302 and response["Location"].endswith(f"/public/captures/{c.lookup_code}/")


def test_r22_portal_party_page_submit_and_see_what_was_submitted(client, ow, django_assert_max_num_queries):
    c = _capture(ow)
    url = f"/public/captures/{c.lookup_code}/"
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "新A00001" in html and c.case.number in html and "statement-form" in html
    assert ow.world.officers["officer1"].name not in html  # no staff data on the party's page
    image = client.get(f"{url}file/")
    assert image.status_code == 200 and b"".join(image.streaming_content).startswith(b"\xff\xd8")
    assert "no-store" in image["Cache-Control"] and image["X-Content-Type-Options"] == "nosniff"
    # the honeypot, an empty statement: refused, nothing written
    assert client.post(url, {"statement": STATEMENT, "website": "http://spam"}).status_code == 400
    assert client.post(url, {"statement": ""}).status_code == 400
    assert not PartyStatement.objects.exists()
    response = client.post(url, {"statement": STATEMENT}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert "statement-done" in html and "当日该路段标线被积雪覆盖" in html and "statement-form" not in html
    response = client.post(url, {"statement": "再补充一点。"})
    assert response.status_code == 409 and PartyStatement.objects.count() == 1


def test_r22_portal_statement_after_the_window_is_refused(client, ow):
    c = _capture(ow)
    with clock.frozen(c.case.defence_due + dt.timedelta(days=3)):
        url = f"/public/captures/{c.lookup_code}/"
        html = client.get(url).content.decode()
        assert "statement-form" not in html and "期限已过" in html
        assert client.post(url, {"statement": STATEMENT}).status_code == 409
    assert not PartyStatement.objects.exists()


def test_r22_portal_rate_limit_answers_429(client, ow, monkeypatch):
    from zhifa.offsite import rules

    monkeypatch.setattr(rules, "STATEMENTS_PER_ADDRESS_PER_HOUR", 0)
    c = _capture(ow)
    response = client.post(f"/public/captures/{c.lookup_code}/", {"statement": STATEMENT})
    assert response.status_code == 429 and "一小时内" in response.content.decode()


def test_r22_portal_home_links_the_capture_lookup(client, ow):
    assert "/public/captures/" in client.get("/public/").content.decode()


def test_r22_officers_read_the_online_statement_on_the_case_page(client, ow):
    c = _capture(ow)
    services.submit_statement(c.lookup_code, STATEMENT, source="203.0.113.5")
    client.force_login(ow.world.users["officer1"])
    html = client.get(f"/cases/{c.case_id}/").content.decode()
    assert "当事人在线陈述申辩" in html and "当日该路段标线被积雪覆盖" in html and "当事人（在线）" in html


@given(offset=st.integers(-30, 30), done=st.booleans(), state=st.sampled_from(["notified", "investigated", "decided"]))
def test_r22_online_defence_rule_only_inside_the_open_window(offset, done, state):
    due = dt.date(2026, 11, 30)
    found = {v.code for v in case_rules.check_online_defence(state, due, done, due + dt.timedelta(days=offset), STATEMENT)}
    assert (not found) == (state == "notified" and not done and offset <= 0)
    if state == "notified" and not done and offset > 0:
        assert found == {case_rules.DEFENCE_PERIOD_CLOSED}
