"""The portal's publications (issue #19): filed work plans (R42: the head files, the supervision
office accepts or returns, the public sees the accepted ones), law-popularisation articles (an
officer writes, another person — head or legal reviewer — publishes), contact points and special
supervisors (registered with a term, their own channel to file complaints), every act recorded;
denials tested; and the per-page cache invalidated by any recorded write."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import TODAY
from zhifa.core import ledger
from zhifa.portal import rules
from zhifa.portal.models import Article, Complaint, ContactPoint, WorkPlan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]

PLAN = {"kind": "annual_plan", "year": TODAY.year, "title": "年度行政执法检查计划",
        "content": "一、检查事项：食品安全、计量。二、抽查比例不低于百分之五。"}
ARTICLE = {"title": "买到过期食品怎么办", "summary": "维权途径",
           "content": "经营者销售超过保质期的食品的，消费者可以要求赔偿损失，并可以要求支付价款十倍的赔偿金。"}


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="zhifa-demo")
    return client


def test_r42_plan_filed_by_head_accepted_by_supervision_then_public(world):
    head, supervisor = login("head1"), login("supervisor")
    assert login("officer1").post("/openness/plans/", PLAN).status_code == 403
    assert head.post("/openness/plans/", PLAN).status_code == 302
    plan = WorkPlan.objects.get()
    assert plan.state == "filed" and plan.body_id == world.market.pk
    public = Client()
    assert public.get("/public/plans/").context["pages"].count == 0  # not yet accepted
    assert public.get(f"/public/plans/{plan.pk}/").status_code == 404
    assert head.post(f"/openness/plans/{plan.pk}/review/", {"decision": "accept"}).status_code == 403  # the body cannot accept its own
    refused = supervisor.post(f"/openness/plans/{plan.pk}/review/", {"decision": "return", "reason": ""})
    assert refused.status_code == 409 and [v.code for v in refused.context["violations"]] == [rules.REASON_REQUIRED]
    assert supervisor.post(f"/openness/plans/{plan.pk}/review/", {"decision": "accept"}).status_code == 302
    again = supervisor.post(f"/openness/plans/{plan.pk}/review/", {"decision": "accept"})
    assert again.status_code == 409 and [v.code for v in again.context["violations"]] == [rules.PLAN_WRONG_STATE]
    listing = public.get("/public/plans/", {"body": world.market.pk})
    assert listing.context["pages"].count == 1 and "年度行政执法检查计划" in listing.content.decode()
    assert "抽查比例" in public.get(f"/public/plans/{plan.pk}/").content.decode()
    assert "年度行政执法检查计划" in public.get(f"/public/bodies/{world.market.pk}/").content.decode()
    assert [e.action for e in ledger.RecordEntry.objects.filter(stream=f"plan:{plan.pk}").order_by("seq")] == ["file_plan", "accept_plan"]
    page = Client().get("/api/v1/public/plans").json()
    assert page["count"] == 1 and page["items"][0]["kind_label"] == "年度行政执法计划"


def test_r42_supervisor_outside_the_jurisdiction_cannot_review(world):
    from tests.factories import OfficerFactory
    from zhifa.core import clock

    foreign_head = OfficerFactory(body=world.foreign_body, is_head=True)
    plan = WorkPlan.objects.create(body=world.foreign_body, kind="annual_plan", year=TODAY.year, title="邻市计划",
                                   content="邻市的年度计划内容。", filed_by=foreign_head, filed_on=clock.today())
    assert login("supervisor").post(f"/openness/plans/{plan.pk}/review/", {"decision": "accept"}).status_code == 404
    plan.refresh_from_db()
    assert plan.state == "filed"


def test_r41_article_written_reviewed_by_another_published_and_searchable(world):
    officer, head, reviewer = login("officer1"), login("head1"), login("reviewer1")
    assert officer.post("/openness/articles/", ARTICLE).status_code == 302
    article = Article.objects.get()
    assert article.state == "submitted" and Client().get(f"/public/articles/{article.pk}/").status_code == 404
    assert officer.post(f"/openness/articles/{article.pk}/review/", {"decision": "publish"}).status_code == 403
    assert head.post("/openness/articles/", {**ARTICLE, "title": "负责人自己写的"}).status_code == 302
    own = Article.objects.get(title="负责人自己写的")
    refused = head.post(f"/openness/articles/{own.pk}/review/", {"decision": "publish"})
    assert refused.status_code == 409 and [v.code for v in refused.context["violations"]] == [rules.ARTICLE_SELF_REVIEW]
    assert reviewer.post(f"/openness/articles/{article.pk}/review/", {"decision": "publish"}).status_code == 302
    public = Client()
    found = public.get("/public/articles/", {"q": "过期食品"})
    assert found.context["pages"].count == 1 and public.get("/public/articles/", {"q": "不存在的词"}).context["pages"].count == 0
    assert "十倍" in public.get(f"/public/articles/{article.pk}/").content.decode()
    assert public.get("/api/v1/public/articles", q="保质期").json()["count"] == 1
    refused = reviewer.post(f"/openness/articles/{article.pk}/review/", {"decision": "withdraw", "reason": ""})
    assert refused.status_code == 409
    assert reviewer.post(f"/openness/articles/{article.pk}/review/", {"decision": "withdraw", "reason": "法律已修改"}).status_code == 302
    assert public.get(f"/public/articles/{article.pk}/").status_code == 404
    actions = [e.action for e in ledger.RecordEntry.objects.filter(stream=f"article:{article.pk}").order_by("seq")]
    assert actions == ["submit_article", "publish_article", "withdraw_article"]


def test_r35_contact_points_registered_published_and_filing_through_their_channel(world):
    term = {"term_start": TODAY.replace(month=1, day=1).isoformat(), "term_end": TODAY.replace(year=TODAY.year + 2).isoformat()}
    enterprise = {"kind": "enterprise", "body_id": world.market.pk, "name": "示例食品有限公司", "organisation": "食品生产", **term}
    assert login("officer1").post("/openness/contacts/", enterprise).status_code == 403
    head = login("head1")
    assert head.post("/openness/contacts/", {**enterprise, "kind": "supervisor"}).status_code == 403  # supervisors: the office only
    bad = head.post("/openness/contacts/", {**enterprise, "term_end": "2020-01-01"})
    assert bad.status_code == 409 and [v.code for v in bad.context["violations"]] == [rules.CONTACT_TERM_INVALID]
    assert head.post("/openness/contacts/", enterprise).status_code == 302
    supervisor = login("supervisor")
    assert supervisor.post("/openness/contacts/", {"kind": "supervisor", "body_id": "", "name": "欧阳明远",
                                                   "organisation": "律师", **term}).status_code == 302
    assert supervisor.post("/openness/contacts/", {"kind": "enterprise", "body_id": "", "name": "无主体联系点", **term}).status_code == 409
    listing = Client().get("/public/contacts/").content.decode()
    contact = ContactPoint.objects.get(kind="enterprise")
    assert "示例食品有限公司" in listing and "欧阳明远" in listing and contact.channel_code not in listing
    filed = Client(REMOTE_ADDR="10.3.0.1").post("/public/complaints/new/", {
        "kind": "report", "body_id": world.market.pk, "subject": "联系点反映", "facts": "检查频次过高，影响正常经营。",
        "anonymous": "on", "channel_code": contact.channel_code.lower(), "website": ""})
    assert filed.status_code == 302 and Complaint.objects.get().contact == contact
    unknown = Client(REMOTE_ADDR="10.3.0.2").post("/public/complaints/new/", {
        "kind": "report", "body_id": world.market.pk, "subject": "冒用渠道", "facts": "冒用专用渠道码提交的内容。",
        "anonymous": "on", "channel_code": "LXNOTACODE", "website": ""})
    assert unknown.status_code == 409 and Complaint.objects.count() == 1
    assert head.post(f"/openness/contacts/{contact.pk}/end/", {"reason": ""}).status_code == 409
    assert head.post(f"/openness/contacts/{contact.pk}/end/", {"reason": "企业申请退出"}).status_code == 302
    assert "示例食品有限公司" not in Client().get("/public/contacts/").content.decode()


def test_r40_publication_staff_pages_and_api_denials(world, api_as):
    assert Client().get("/openness/plans/").status_code == 302  # login first
    for name in ("head1", "supervisor", "officer1"):
        client = login(name)
        for path in ("/openness/plans/", "/openness/articles/", "/openness/contacts/"):
            assert client.get(path).status_code == 200, (name, path)
    assert api_as("officer1").post("/api/v1/openness/plans", {**PLAN}).status_code == 403
    created = api_as("head1").post("/api/v1/openness/plans", PLAN)
    assert created.status_code == 201
    plan_id = created.json()["id"]
    assert api_as("head1").post(f"/api/v1/openness/plans/{plan_id}/review", {"decision": "accept"}).status_code == 403
    assert api_as("supervisor").post(f"/api/v1/openness/plans/{plan_id}/review", {"decision": "return"}).status_code == 409
    assert api_as("supervisor").post(f"/api/v1/openness/plans/{plan_id}/review", {"decision": "accept"}).json()["state"] == "accepted"
    assert api_as(None).post("/api/v1/openness/articles", ARTICLE).status_code == 401
    assert api_as("officer1").post("/api/v1/openness/articles", {**ARTICLE, "content": "短"}).status_code == 422


@pytest.mark.parametrize("path", ["/public/plans/", "/public/articles/", "/public/contacts/", "/public/ratings/"])
def test_r40_new_lists_take_a_constant_number_of_queries(client, world, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200


def test_r40_public_pages_cached_until_a_recorded_write(world, settings, django_assert_max_num_queries):
    from django.core.cache import cache

    cache.clear()
    settings.ZHIFA = {**settings.ZHIFA, "PORTAL_CACHE_SECONDS": 60}
    client = Client()
    first = client.get("/public/articles/")
    etag = first["ETag"]
    assert first.status_code == 200 and "没有符合条件" in first.content.decode()
    with django_assert_max_num_queries(1):  # the generation only
        again = client.get("/public/articles/")
    assert again.content == first.content and again["ETag"] == etag
    assert client.get("/public/articles/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    login("officer1").post("/openness/articles/", ARTICLE)
    login("head1").post(f"/openness/articles/{Article.objects.get().pk}/review/", {"decision": "publish"})
    fresh = client.get("/public/articles/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag and "买到过期食品怎么办" in fresh.content.decode()
    assert not client.get("/public/complaints/new/").has_header("ETag")  # a form with a CSRF token is never cached
