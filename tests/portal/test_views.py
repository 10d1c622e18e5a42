"""The public portal's pages (R35, R40–R42): every page answers an anonymous visitor, shows no
staff data, leaks no natural person's data, and lists in a constant number of queries."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import page_queries
from zhifa.inspections.rules import credit_code_problem
from zhifa.core import act_codes
from zhifa.portal.models import ActRating, Article, Complaint, GuidanceCase, WorkPlan
from zhifa.registry.models import Certificate

from .conftest import OPERATOR, PERSON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]

LISTS = ["/public/", "/public/bodies/", "/public/items/", "/public/benchmarks/", "/public/lists/exemptions/",
         "/public/lists/legal-review/", "/public/lists/recording/", "/public/certificates/", "/public/decisions/",
         "/public/inspections/", "/public/guidance/", "/public/complaints/", "/public/complaints/new/", "/public/procedures/",
         "/public/ratings/", "/public/plans/", "/public/articles/", "/public/contacts/", "/public/contacts/?kind=supervisor",
         "/public/articles/?q=食品"]


def every_public_page(world, data) -> list[str]:
    cert = Certificate.objects.filter(officer__body=world.market).first()
    tracked = Complaint.objects.order_by("id")
    return [
        *LISTS, f"/public/bodies/{world.market.pk}/", "/public/items/?q=食品", "/public/guidance/?q=食品",
        f"/public/certificates/?number={cert.number}", "/public/certificates/?number=NOPE",
        f"/public/decisions/{data['person'].pk}/", f"/public/decisions/{data['organisation'].pk}/",
        f"/public/decisions/{data['withdrawn'].pk}/", f"/public/inspections/draws/{data['draw'].pk}/",
        *[f"/public/guidance/{g.pk}/" for g in GuidanceCase.objects.all()],
        *[f"/public/complaints/{c.tracking_code}/" for c in tracked],
        *[f"/public/plans/{pk}/" for pk in WorkPlan.objects.filter(state="accepted").values_list("pk", flat=True)],
        *[f"/public/articles/{pk}/" for pk in Article.objects.filter(state="published").values_list("pk", flat=True)],
        *[f"/public/acts/{act_codes.act_code(r.act_kind, r.act_id)}/" for r in ActRating.objects.all()],
        f"/public/acts/{act_codes.act_code('case', data['person'].pk)}/",
    ]


# A resident ID number (region, a birth date, order, GB 11643 check character) anywhere in the
# text; a unified social credit code of 18 digits has no birth date in those places.
_ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")  # not a run of digits inside a hex digest


def _id_valid(number: str) -> bool:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(number[:17], weights))
    return "10X98765432"[total % 11] == number[17].upper()


def leaks(html: str, names: list[str]) -> list[str]:
    """A unified social credit code (public by law) may happen to read like an ID number: an
    all-digit one with a valid GB 32100 check character is not counted."""
    found = [m for m in _ID.findall(html) if _id_valid(m) and credit_code_problem(m) is not None]
    found += _MOBILE.findall(html)
    found += [n for n in names if n in html]
    return found


def test_r40_every_portal_page_answers_the_public_with_200(client, world, public_data):
    for path in every_public_page(world, public_data):
        response = client.get(path)
        assert response.status_code in (200, 404) if "NOPE" in path else response.status_code == 200, path
        html = response.content.decode()
        assert 'lang="zh-CN"' in html and "工作台" not in html and "退出登录" not in html, path


def test_r40_redaction_over_every_public_page(client, world, public_data):
    """No checksum-valid ID number, no mobile number, no unmasked natural person's name — the
    parties of decisions, the operator of an individual business, the complainants."""
    names = [PERSON[0], "李大海", OPERATOR, "司马文清", "上官雨桐", PERSON[3]]
    checked = 0
    for path in every_public_page(world, public_data):
        html = client.get(path).content.decode()
        assert leaks(html, names) == [], path
        checked += 1
    assert checked >= 40
    assert "王某" in client.get(f"/public/decisions/{public_data['person'].pk}/").content.decode()
    assert "张某" in client.get(f"/public/inspections/draws/{public_data['draw'].pk}/").content.decode()


def test_r40_withdrawn_decision_is_marked_not_shown(client, public_data):
    html = client.get(f"/public/decisions/{public_data['withdrawn'].pk}/").content.decode()
    assert "已撤回公示" in html and "李某申请行政复议" in html and "销售过期食品" not in html
    listing = client.get("/public/decisions/").content.decode()
    assert "示市监罚〔2026〕3号" in listing and "已撤回" in listing
    assert client.get("/public/decisions/?q=示市监罚〔2026〕3号").context["pages"].count == 0


def test_r40_body_detail_lists_officers_with_certificate_and_domain_only(client, world, public_data):
    response = client.get(f"/public/bodies/{world.market.pk}/")
    html = response.content.decode()
    officer = world.officers["officer1"] if "officer1" in world.officers else None
    rows = response.context["rows"]
    assert rows and set(rows[0]) == {"name", "certificate_number", "domain"}
    assert world.market.supervision_phone in html
    if officer is not None:
        assert officer.name in html and (officer.id_number or "@@") not in html and (officer.phone or "@@") not in html


def test_r40_unpublished_body_is_not_found(client, world, unpublished_foreign_body):
    assert client.get(f"/public/bodies/{unpublished_foreign_body.pk}/").status_code == 404


def test_r40_certificate_check_states_and_qr(client, world, public_data):
    from tests.conftest import TODAY
    from tests.factories import CertificateFactory, OfficerFactory

    for status in (Certificate.Status.SUSPENDED, Certificate.Status.REVOKED):
        CertificateFactory(officer=OfficerFactory(body=world.market, name="钱多多"), status=status,
                           issued_on=TODAY.replace(year=2025), expires_on=TODAY.replace(year=2029), status_changed_on=TODAY)
    states = {}
    for cert in Certificate.objects.filter(officer__body__is_published=True):
        response = client.get("/public/certificates/", {"number": cert.number})
        result = response.context["result"]
        states[result["state"]] = result
        assert "<svg" in response.content.decode()
        assert result["body_name"] and "id_number" not in result
    assert {"valid", "expired", "suspended", "revoked"} <= set(states)
    assert "钱多多" in client.get("/public/certificates/", {"number": states["revoked"]["number"]}).content.decode()
    missing = client.get("/public/certificates/", {"number": "不存在的编号"})
    assert missing.status_code == 200 and "未查到" in missing.content.decode()


def test_r41_guidance_search_finds_food_safety_by_food(client, public_data):
    response = client.get("/public/guidance/", {"q": "食品"})
    titles = [g["title"] for g in response.context["rows"]]
    assert titles and all("食品" in (g["title"] + g["keywords"] + g["summary"] + g["points_of_law"] + g["legal_basis"])
                          for g in response.context["rows"])
    assert any("食品安全" in g["keywords"] for g in response.context["rows"])
    assert client.get("/public/guidance/", {"q": "排污许可"}).context["pages"].count == 1
    assert client.get("/public/guidance/", {"q": "完全不存在的词"}).context["pages"].count == 0


def test_r40_bad_query_parameters_are_not_errors(client, world):
    for path in ["/public/items/?page=abc", "/public/bodies/?page=-5", "/public/guidance/?page=99999999999999999999",
                 "/public/certificates/?number=" + "9" * 200, "/public/complaints/?code=xyz"]:
        assert client.get(path).status_code in (200, 404), path
    nul = client.get("/public/decisions/?q=%00x")  # a NUL byte: the Chinese 400 of the security middleware
    assert nul.status_code == 400 and "请求" in nul.content.decode()
    assert client.get("/public/lists/nope/").status_code == 404
    assert client.get("/public/decisions/999999/").status_code == 404


@pytest.mark.parametrize("path", ["/public/bodies/", "/public/items/", "/public/benchmarks/", "/public/decisions/",
                                  "/public/inspections/", "/public/guidance/", "/public/lists/exemptions/"])
def test_r40_lists_take_a_constant_number_of_queries(client, world, public_data, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert client.get(path).status_code == 200


def test_r40_body_detail_queries_do_not_grow_with_officers(client, world, public_data):
    assert page_queries(client, f"/public/bodies/{world.market.pk}/") <= 9  # + the filed plans (2) and the ratings (1)


def test_r41_guidance_as_open_data_json_and_csv(client, public_data):
    page = client.get("/api/v1/public/guidance", {"q": "食品"}).json()
    assert page["count"] >= 2 and {"number", "title", "points_of_law"} <= set(page["items"][0])
    response = client.get("/api/v1/public/guidance.csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert response.status_code == 200 and "ZD-2026-01" in text


def test_r40_procedure_guide_cites_the_law(client):
    html = client.get("/public/procedures/").content.decode()
    for article in ("行政处罚法第五十五条", "行政处罚法第六十四条", "行政复议法第二十条", "行政诉讼法第四十六条", "行政处罚法第五十一条"):
        assert article in html
