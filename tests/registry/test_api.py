"""Registry API (contract.md "HTTP API"): bodies (R01), officers with certificate state
(R04–R07), jurisdictions, the current user — scoped through registry.access."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import TODAY
from tests.factories import BodyFactory, CertificateFactory, OfficerFactory, staff
from zhifa.core import clock
from zhifa.registry import rules, services
from zhifa.registry.models import Body, Certificate, Jurisdiction, Officer, TrainingRecord

PRIVATE_KEYS = {"id_number", "phone", "training_hours", "has_legal_qualification"}


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY):
        yield


def by_name(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {row["name"]: row for row in response.json()["items"]}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["items"]]


@pytest.fixture
def unpublished(world) -> Body:
    body = BodyFactory(code="NBJ", name="示例市内部执法队", jurisdiction=world.city, is_published=False)
    staff("hidden1", body, "钱隐", today=TODAY)
    return body


# --- Bodies (R01) -------------------------------------------------------------------------

def test_r01_public_sees_published_bodies_only(world, api_as, unpublished):
    anonymous = codes(api_as(None).get("/api/v1/bodies"))
    assert "SJJ" in anonymous and "NBJ" not in anonymous
    assert "NBJ" in codes(api_as("supervisor").get("/api/v1/bodies"))
    assert "NBJ" in codes(api_as("admin").get("/api/v1/bodies"))
    assert "NBJ" not in codes(api_as("officer1").get("/api/v1/bodies"))


def test_r01_unpublished_body_is_404_to_outsiders(world, api_as, unpublished):
    path = f"/api/v1/bodies/{unpublished.pk}"
    assert api_as(None).get(path).status_code == 404
    assert api_as("officer1").get(path).status_code == 404
    assert api_as("hidden1").get(path).status_code == 200
    assert api_as("supervisor").get(path).status_code == 200
    body = api_as(None).get(f"/api/v1/bodies/{world.market.pk}").json()
    assert body["name"] == "示例市市场监督管理局"
    assert body["sector_label"] == "市场监管" and body["jurisdiction_name"] == "示例市"
    assert body["officer_count"] == 5  # officer1–3, reviewer1, head1; aux1 does not count
    assert "responsibility_boundary" in body


def test_r01_body_filters(world, api_as):
    client = api_as(None)
    assert set(codes(client.get("/api/v1/bodies", jurisdiction=world.county.pk))) == {"QSJJ", "ZZHZF"}
    assert set(codes(client.get("/api/v1/bodies", jurisdiction=world.city.pk))) == {"SJJ", "CGJ", "QSJJ", "ZZHZF"}
    assert set(codes(client.get("/api/v1/bodies", sector="market"))) == {"SJJ", "QSJJ", "LSJJ"}
    assert codes(client.get("/api/v1/bodies", q="城市管理")) == ["CGJ"]
    assert codes(client.get("/api/v1/bodies", q="示城管")) == ["CGJ"]
    assert codes(client.get("/api/v1/bodies", kind="entrusted")) == []
    assert codes(client.get("/api/v1/bodies", jurisdiction=999999)) == []


def test_r01_body_sort_and_paging(world, api_as):
    client = api_as(None)
    ascending = codes(client.get("/api/v1/bodies", sort="code"))
    assert ascending == sorted(ascending)
    assert codes(client.get("/api/v1/bodies", sort="-code")) == list(reversed(ascending))
    first = client.get("/api/v1/bodies", sort="code", page_size=2).json()
    second = client.get("/api/v1/bodies", sort="code", page_size=2, page=2).json()
    assert first["count"] == second["count"] == 5
    assert (first["page"], first["page_size"]) == (1, 2)
    assert [b["code"] for b in first["items"] + second["items"]] == ascending[:4]
    beyond = client.get("/api/v1/bodies", page=99).json()
    assert beyond["items"] == [] and beyond["count"] == 5


def test_published_filter_for_supervisor(world, api_as, unpublished):
    assert codes(api_as("supervisor").get("/api/v1/bodies", published="false")) == ["NBJ"]


# --- Officers (R04–R07) -------------------------------------------------------------------

def test_r40_anonymous_sees_public_officer_fields_only(world, api_as):
    rows = by_name(api_as(None).get("/api/v1/officers", body=world.market.pk))
    assert "孙丽" not in rows  # auxiliary staff are not in the public lookup
    li = rows["李明"]
    assert li["private"] is None
    assert li["certificate_state"] == "valid" and li["certificate_state_label"] == "有效"
    assert li["certificate_number"].startswith("6502")
    assert li["certificate_expires_on"] == (TODAY + dt.timedelta(days=1000)).isoformat()
    assert li["body_name"] == "示例市市场监督管理局"
    assert rows["赵强"]["certificate_state"] == "expired"
    text = api_as(None).get("/api/v1/officers").content.decode()
    for officer in world.officers.values():
        assert officer.id_number not in text and officer.phone not in text


def test_r04_officer_sees_private_data_of_own_body_only(world, api_as):
    client = api_as("officer1")
    rows = by_name(client.get("/api/v1/officers"))
    assert rows["王芳"]["private"]["id_number"] == world.officers["officer2"].id_number
    assert rows["孙丽"]["private"]["phone"] == world.officers["aux1"].phone  # own auxiliary staff too
    other = world.officers["officer_other"]
    assert rows["吴城"]["private"] is None
    detail = client.get(f"/api/v1/officers/{other.pk}")
    assert detail.status_code == 200
    assert detail.json()["private"] is None and detail.json()["certificate_state"] == "valid"
    assert other.id_number not in detail.content.decode() and other.phone not in detail.content.decode()


def test_supervisor_sees_private_data_of_subtree(world, api_as):
    other = world.officers["officer_other"]
    detail = api_as("supervisor").get(f"/api/v1/officers/{other.pk}").json()
    assert detail["private"]["id_number"] == other.id_number
    assert detail["private"]["phone"] == other.phone


def test_foreign_body_private_data_hidden_from_supervisor(world, api_as):
    foreigner = staff(None, world.foreign_body, "郑邻", today=TODAY)
    supervisor = api_as("supervisor")
    assert supervisor.get(f"/api/v1/officers/{foreigner.pk}").json()["private"] is None
    assert by_name(supervisor.get("/api/v1/officers", body=world.foreign_body.pk))["郑邻"]["private"] is None
    assert foreigner.id_number not in supervisor.get("/api/v1/officers").content.decode()
    assert api_as("admin").get(f"/api/v1/officers/{foreigner.pk}").json()["private"]["id_number"] == foreigner.id_number


def test_officer_of_unpublished_body_is_404_to_outsiders(world, api_as, unpublished):
    hidden = unpublished.officers.get()
    assert api_as(None).get(f"/api/v1/officers/{hidden.pk}").status_code == 404
    assert api_as("officer1").get(f"/api/v1/officers/{hidden.pk}").status_code == 404
    assert api_as("supervisor").get(f"/api/v1/officers/{hidden.pk}").json()["private"]["phone"] == hidden.phone
    assert api_as(None).get("/api/v1/officers/987654").status_code == 404


def test_auxiliary_staff_of_other_body_is_404(world, api_as):
    aux = world.officers["aux1"]
    assert api_as("officer_other").get(f"/api/v1/officers/{aux.pk}").status_code == 404
    assert api_as(None).get(f"/api/v1/officers/{aux.pk}").status_code == 404
    assert api_as("officer1").get(f"/api/v1/officers/{aux.pk}").json()["role"] == "auxiliary"


def test_r07_training_hours_of_this_year_and_legal_qualification(world, api_as):
    reviewer = world.officers["reviewer1"]
    TrainingRecord.objects.create(officer=reviewer, title="行政处罚法培训", held_on=dt.date(2026, 3, 1), hours=Decimal("12.5"))
    TrainingRecord.objects.create(officer=reviewer, title="证据规则", held_on=dt.date(2026, 6, 1), hours=Decimal("8"))
    TrainingRecord.objects.create(officer=reviewer, title="去年培训", held_on=dt.date(2025, 6, 1), hours=Decimal("40"))
    private = api_as("head1").get(f"/api/v1/officers/{reviewer.pk}").json()["private"]
    assert private["training_hours"] == "20.5"  # a decimal string, this year only
    assert private["training_year"] == 2026 and private["training_hours_required"] == 60
    assert private["has_legal_qualification"] is True and private["is_legal_reviewer"] is True


@pytest.mark.parametrize("state", list(rules.CertificateState))
def test_r04_certificate_state_filter_agrees_with_rules(world, api_as, state):
    officer = world.officers["officer2"]
    Certificate.objects.filter(officer=officer).update(status=Certificate.Status.SUSPENDED)
    staff(None, world.market, "冯撤", certificate="revoked", today=TODAY)
    future = staff(None, world.market, "褚新", certificate=None, today=TODAY)
    CertificateFactory(officer=future, issued_on=TODAY + dt.timedelta(days=3), expires_on=TODAY + dt.timedelta(days=900))
    rows = api_as("admin").get("/api/v1/officers", certificate_state=state.value, page_size=200).json()["items"]
    everyone = services.with_current_certificate(Officer.objects.all())
    expected = {o.pk for o in everyone if services.certificate_state_of(o, TODAY) is state}
    assert expected, f"the world has no officer in state {state}"
    assert {row["id"] for row in rows} == expected
    assert all(row["certificate_state"] == state.value for row in rows)


def test_officer_filters_role_and_q(world, api_as):
    client = api_as("officer1")
    assert set(by_name(client.get("/api/v1/officers", role="head"))) == {"陈局"}
    assert set(by_name(client.get("/api/v1/officers", role="legal_reviewer"))) == {"周律"}
    assert set(by_name(client.get("/api/v1/officers", role="auxiliary"))) == {"孙丽"}
    assert set(by_name(client.get("/api/v1/officers", role="officer", body=world.market.pk))) == {"李明", "王芳", "赵强"}
    assert set(by_name(client.get("/api/v1/officers", q="李"))) == {"李明"}
    number = world.officers["officer_other"].certificates.get().number
    assert set(by_name(api_as(None).get("/api/v1/officers", q=number))) == {"吴城"}


def test_officer_sort(world, api_as):
    client = api_as("admin")
    rows = client.get("/api/v1/officers", sort="-certificate_expires_on", certificate_state="expired").json()["items"]
    assert [r["name"] for r in rows] == ["赵强"]
    names = [r["name"] for r in client.get("/api/v1/officers", sort="name").json()["items"]]
    assert names == sorted(names)


# --- No N+1 -------------------------------------------------------------------------------

@pytest.fixture
def crowd(world):
    """Enough people and bodies that a page of 5 and a page of 50 differ."""
    for body in (world.market, world.urban, world.township_bureau, world.foreign_body):
        for n in range(8):
            officer = OfficerFactory(body=body, name=f"{body.short_name}队员{n}", is_auxiliary=(n == 7))
            if n < 6:
                CertificateFactory(officer=officer)
            TrainingRecord.objects.create(officer=officer, title="培训", held_on=dt.date(2026, 5, 1), hours=Decimal("6"))
    for n in range(8):
        BodyFactory(jurisdiction=world.township, sector=Body.Sector.COMPREHENSIVE)
    return world


def count_queries(client, path, **params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **params)
    assert response.status_code == 200, response.content
    return len(ctx), len(response.json()["items"])


@pytest.mark.parametrize("username", ["officer1", "supervisor", None])
@pytest.mark.parametrize("path", ["/api/v1/bodies", "/api/v1/officers", "/api/v1/jurisdictions"])
def test_no_n_plus_one(crowd, api_as, username, path):
    client = api_as(username)
    client.get(path)  # warm-up (content types, session …)
    small, small_rows = count_queries(client, path, page_size=5)
    large, large_rows = count_queries(client, path, page_size=50)
    assert small == large
    if path != "/api/v1/jurisdictions":
        assert small_rows == 5 and large_rows > 5
    assert large <= 6  # token, officer, supervision post, count, page, training hours


def test_officer_filters_do_not_add_queries_per_row(crowd, api_as):
    client = api_as("supervisor")
    small, _ = count_queries(client, "/api/v1/officers", page_size=5, certificate_state="valid", q="队员", sort="-name")
    large, rows = count_queries(client, "/api/v1/officers", page_size=50, certificate_state="valid", q="队员", sort="-name")
    assert small == large and rows > 5


# --- Jurisdictions and the current user ---------------------------------------------------

def test_jurisdictions_are_a_flat_tree(world, api_as):
    rows = api_as(None).get("/api/v1/jurisdictions").json()["items"]
    by_code = {r["code"]: r for r in rows}
    assert by_code["650203"]["parent_id"] == world.city.pk
    assert by_code["650203001"]["parent_id"] == world.county.pk and by_code["650203001"]["depth"] == 2
    assert by_code["650200"]["parent_id"] is None and by_code["650200"]["level_label"] == "市"
    paths = [r["path"] for r in rows]
    assert paths == sorted(paths)
    sub = api_as(None).get("/api/v1/jurisdictions", parent=world.county.pk).json()["items"]
    assert [r["code"] for r in sub] == ["650203", "650203001"]
    assert [r["code"] for r in api_as(None).get("/api/v1/jurisdictions", level="township").json()["items"]] == ["650203001"]


def test_me_names_roles_in_chinese(world, api_as):
    me = api_as("head1").get("/api/v1/me").json()
    assert me["username"] == "head1" and me["name"] == "陈局"
    assert {r["code"]: r["label"] for r in me["roles"]} == {"head": "主体负责人", "officer": "执法人员"}
    assert me["primary_role"] == {"code": "head", "label": "主体负责人"}
    assert me["body"] == {"id": world.market.pk, "name": "示例市市场监督管理局"}
    supervisor = api_as("supervisor").get("/api/v1/me").json()
    assert supervisor["body"] is None and supervisor["supervised_jurisdiction"]["name"] == "示例市"
    assert supervisor["roles"] == [{"code": "supervisor", "label": "执法监督机构"}]
    assert api_as("admin").get("/api/v1/me").json()["primary_role"]["label"] == "系统管理员"


def test_openapi_documents_registry_endpoints(world, api_as):
    spec = api_as(None).get("/api/v1/openapi.json").json()
    for path in ("/api/v1/bodies", "/api/v1/bodies/{body_id}", "/api/v1/officers", "/api/v1/officers/{officer_id}",
                 "/api/v1/jurisdictions", "/api/v1/me"):
        operation = spec["paths"][path]["get"]
        assert operation["summary"] and operation["tags"][0] in {"执法主体", "执法人员", "行政区划", "当前用户"}
        assert "200" in operation["responses"]
    assert "OfficerPrivate" in spec["components"]["schemas"]
    params = {p["name"]: p for p in spec["paths"]["/api/v1/officers"]["get"]["parameters"]}
    assert {"page", "page_size", "sort", "body", "q", "role", "certificate_state"} <= set(params)


def test_openapi_enums_are_the_right_ones(world, api_as):
    """Body kinds and item kinds must not share one ``Kind`` component (names collide)."""
    spec = api_as(None).get("/api/v1/openapi.json").json()

    def enum(path, name):
        param = next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name)
        return next(s["enum"] for s in param["schema"]["anyOf"] if "enum" in s)

    assert enum("/api/v1/bodies", "kind") == list(Body.Kind.values)
    assert enum("/api/v1/bodies", "sector") == list(Body.Sector.values)
    assert enum("/api/v1/jurisdictions", "level") == list(Jurisdiction.Level.values)
    from zhifa.catalog.models import Item

    assert enum("/api/v1/items", "kind") == list(Item.Kind.values)
