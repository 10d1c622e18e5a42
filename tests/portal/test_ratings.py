"""Ratings of an enforcement act by its party (行政执法评议, issue #19): the act's code printed on
the decision, one rating per act with reasons, aggregates per body on the portal, the assessment
fed with the satisfaction rate; complaint findings feed the assessment instead of acceptance."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.cases.models import Case
from zhifa.core import act_codes, ledger
from zhifa.portal import assessment_feed, rules
from zhifa.portal.models import ActRating, Complaint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]


def decided_case(world, decided: bool = True) -> Case:
    item = ItemFactory(body=world.market)
    return Case.objects.create(
        body=world.market, item=item, clue_received_on=TODAY - dt.timedelta(days=40), party_kind=Case.PartyKind.ORGANISATION,
        party_name="示例超市有限公司", party_id_code="91650203MA00000001", act_date=TODAY - dt.timedelta(days=45),
        number=f"示市监罚〔2026〕{Case.objects.count() + 50}号", decision_kinds=["fine"], decision_amount=Decimal("800"),
        decided_on=TODAY - dt.timedelta(days=3) if decided else None)


def test_r19_act_code_is_verifiable_and_unforgeable(settings):
    code = act_codes.act_code("case", 1234)
    assert code.startswith("XWC1234-") and act_codes.parse(code) == ("case", 1234)
    assert act_codes.parse(code.lower().replace("-", "- ")) == ("case", 1234)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert act_codes.parse(forged) is None and act_codes.parse("XWC1235-" + code[-8:]) is None
    assert act_codes.parse(act_codes.act_code("inspection", 7)) == ("inspection", 7)
    settings.SECRET_KEY = "another-key-" + "x" * 40
    assert act_codes.parse(code) is None  # a key rotation voids the printed codes


def test_r19_the_decision_document_carries_the_act_code(world):
    from zhifa.cases import paperwork
    from zhifa.documents import kinds, rendering

    case = decided_case(world)
    data = paperwork.document_data(case, "penalty_decision", {"kinds": ["fine"], "amount": Decimal("800")})
    assert data["act_code"] == act_codes.act_code("case", case.pk)
    spec = kinds.get("penalty_decision")
    content = rendering.compose(spec, data, body={"name": world.market.name}, number=case.number, issued_on=TODAY)
    assert f"行政行为码：{data['act_code']}" in rendering.render_html(spec, content)


def test_r19_party_rates_an_act_once_with_its_code(world):
    case = decided_case(world)
    code = act_codes.act_code("case", case.pk)
    party = Client(REMOTE_ADDR="10.1.0.1")
    assert party.get("/public/ratings/", {"code": code}).status_code == 302
    page = party.get(f"/public/acts/{code}/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"] and "评议本次执法" in page.content.decode()
    refused = party.post(f"/public/acts/{code}/", {"level": "dissatisfied", "reasons": "", "website": ""})
    assert refused.status_code == 409
    assert [v.code for v in refused.context["violations"]] == [rules.RATING_REASONS_REQUIRED] * 2
    done = party.post(f"/public/acts/{code}/", {"level": "dissatisfied", "aspects": ["attitude", "rights"],
                                                "reasons": "检查时未告知陈述申辩的权利。", "website": ""})
    assert done.status_code == 302
    rating = ActRating.objects.get()
    assert (rating.act_kind, rating.act_id, rating.body_id, rating.aspects) == ("case", case.pk, world.market.pk, ["attitude", "rights"])
    again = party.post(f"/public/acts/{code}/", {"level": "satisfied", "website": ""})
    assert again.status_code == 409 and ActRating.objects.count() == 1
    assert "已评议：不满意" in party.get(f"/public/acts/{code}/").content.decode()
    entry = ledger.RecordEntry.objects.get(stream=f"rating:case:{case.pk}")
    assert entry.action == "rate_act" and entry.payload["level"] == "dissatisfied"
    assert ledger.verify(f"rating:case:{case.pk}") is None


def test_r19_refusals_unknown_code_open_act_honeypot_rate_limit(world):
    client = Client(REMOTE_ADDR="10.1.0.2")
    assert client.get("/public/acts/XWC1-AAAAAAAA/").status_code == 404
    assert client.get("/public/ratings/", {"code": "nonsense"}).status_code == 404
    open_case = decided_case(world, decided=False)
    code = act_codes.act_code("case", open_case.pk)
    refused = client.post(f"/public/acts/{code}/", {"level": "satisfied", "website": ""})
    assert refused.status_code == 409 and {v.code for v in refused.context["violations"]} == {rules.ACT_NOT_CONCLUDED}
    case = decided_case(world)
    code = act_codes.act_code("case", case.pk)
    assert client.post(f"/public/acts/{code}/", {"level": "satisfied", "website": "http://spam"}).status_code == 400
    assert client.post(f"/public/acts/{code}/", {"level": "bogus", "website": ""}).status_code == 400
    assert ActRating.objects.count() == 0
    for _ in range(5):
        c = decided_case(world)
        assert client.post(f"/public/acts/{act_codes.act_code('case', c.pk)}/", {"level": "satisfied", "website": ""}).status_code == 302
    limited = client.post(f"/public/acts/{code}/", {"level": "satisfied", "website": ""})
    assert limited.status_code == 429 and ActRating.objects.count() == 5


def test_r19_ratings_in_aggregate_on_the_portal_and_in_the_assessment(world, api_as):
    api = api_as(None)
    for level, reasons in (("satisfied", ""), ("basic", "办理时间较长，需要改进。"), ("dissatisfied", "态度生硬，没有解释。")):
        c = decided_case(world)
        body = {"act_code": act_codes.act_code("case", c.pk), "level": level, "reasons": reasons,
                "aspects": [] if level == "satisfied" else ["efficiency"]}
        assert api.post("/api/v1/public/ratings", body).status_code == 201
    assert api.post("/api/v1/public/ratings", body).status_code == 409
    summary = api.get("/api/v1/public/ratings").json()
    assert summary == [{"body_id": world.market.pk, "body_name": world.market.name, "total": 3, "satisfied": 1, "basic": 1,
                        "dissatisfied": 1, "satisfaction_rate": 66.7}]
    html = Client().get("/public/ratings/").content.decode()
    assert "66.7%" in html and "态度生硬" not in html  # counts only, never a rating's text
    assert "满意率 66.7%" in Client().get(f"/public/bodies/{world.market.pk}/").content.decode()
    value = assessment_feed.rating_satisfaction(TODAY.year, [world.market.pk, world.urban.pk])
    assert value[world.market.pk].value == Decimal("66.67") and world.urban.pk not in value
    assert assessment_feed.rating_rows(TODAY.year, world.market.pk).count() == 3


def test_r19_assessment_counts_upheld_complaints_not_accepted_ones(world):
    head = Client()
    assert head.login(username="head1", password="zhifa-demo")
    for i, finding in enumerate(("upheld", "partly_upheld", "not_upheld", None)):
        Client(REMOTE_ADDR=f"10.2.0.{i}").post("/public/complaints/new/", {
            "kind": "report", "body_id": world.market.pk, "subject": f"举报{i}", "facts": "执法人员检查时态度粗暴，没有出示证件。",
            "anonymous": "on", "website": ""})
        complaint = Complaint.objects.get(subject=f"举报{i}")
        head.post(f"/complaints/{complaint.pk}/", {"action": "accept", "text": ""})
        if finding:
            assert head.post(f"/complaints/{complaint.pk}/", {"action": "handle", "text": "已核实", "finding": finding}).status_code == 302
    assert dict(Complaint.objects.values_list("subject", "finding")) == {"举报0": "upheld", "举报1": "partly_upheld",
                                                                        "举报2": "not_upheld", "举报3": ""}
    accepted = assessment_feed.complaints_accepted(TODAY.year, [world.market.pk])[world.market.pk].value
    upheld = assessment_feed.complaints_upheld(TODAY.year, [world.market.pk])[world.market.pk].value
    assert upheld * 2 == accepted  # 2 upheld of 4 accepted, per ten officers
    assert {c.subject for c in assessment_feed.upheld_rows(TODAY.year, world.market.pk)} == {"举报0", "举报1"}
    from zhifa.supervision import assessment

    config = assessment.load_config()
    functions = {c.code: c.function for c in config.components}
    assert functions["complaints"].endswith(":complaints_upheld") and functions["ratings"].endswith(":rating_satisfaction")
    assert sum(c.weight for c in config.components) == 100
