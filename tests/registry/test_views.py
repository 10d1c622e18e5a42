"""Staff pages of the registry: who sees what (access), what each page shows, and constant
query counts on the lists."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import TODAY, page_queries
from tests.factories import PASSWORD, CertificateFactory, OfficerFactory
from zhifa.registry.models import Assignment, Officer, TrainingRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]


# --- Login, logout, anonymous -------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/bodies/", "/officers/", "/jurisdictions/", "/registry/health/", "/imports/", "/catalog/items/"])
def test_anonymous_is_redirected_to_login(client_as, path):
    response = client_as(None).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_login_page_is_chinese_and_logs_in(world):
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "工作人员登录" in page.content.decode()
    bad = client.post("/accounts/login/", {"username": "officer1", "password": "wrong"})
    assert bad.status_code == 200
    assert "用户名或密码不正确" in bad.content.decode()
    good = client.post("/accounts/login/", {"username": "officer1", "password": PASSWORD})
    assert good.status_code == 302 and good["Location"] == "/"


def test_logout_is_a_post_form(client_as):
    client = client_as("officer1")
    html = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html and 'method="post"' in html
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


# --- Officers: list scope and private data ------------------------------------------------

def test_officer_list_of_officer1_is_own_body_only(client_as):
    html = client_as("officer1").get("/officers/").content.decode()
    assert "李明" in html and "赵强" in html
    assert "吴城" not in html


def test_officer_list_of_supervisor_covers_the_city(client_as):
    html = client_as("supervisor").get("/officers/").content.decode()
    assert "李明" in html and "吴城" in html


def test_r04_officer_list_filters_by_certificate_state(client_as):
    response = client_as("supervisor").get("/officers/", {"cert": "expired"})
    names = [o.name for o in response.context["page"].object_list]
    assert names == ["赵强"]
    response = client_as("supervisor").get("/officers/", {"cert": "none"})
    assert [o.name for o in response.context["page"].object_list] == ["孙丽"]


def test_officer_list_sorts_by_whitelisted_keys_only(client_as):
    client = client_as("head1")
    names = [o.name for o in client.get("/officers/", {"sort": "-expires"}).context["page"].object_list]
    assert len(names) == 6
    # Unknown sort keys fall back to the default instead of failing.
    assert client.get("/officers/", {"sort": "password"}).status_code == 200
    assert client.get("/officers/", {"page": "999"}).status_code == 200
    assert client.get("/officers/", {"body": "not-a-number"}).status_code == 200


def test_officer_list_bad_filter_is_shown_next_to_the_field(world, client_as):
    # A body outside the officer's scope is not a valid choice.
    response = client_as("officer1").get("/officers/", {"body": world.urban.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert 'class="field-error"' in response.content.decode()


def test_officer1_cannot_see_private_data_of_officer_other(world, client_as):
    other = world.officers["officer_other"]
    TrainingRecord.objects.create(officer=other, title="城管执法培训", held_on=TODAY, hours=Decimal(8))
    response = client_as("officer1").get(f"/officers/{other.pk}/")
    assert response.status_code == 200  # a certified officer of a published body: public info only
    html = response.content.decode()
    assert response.context["private"] is False
    assert "吴城" in html and "仅显示可向社会公开的持证信息" in html
    assert other.id_number not in html and other.phone not in html
    assert "城管执法培训" not in html and "培训记录" not in html


def test_supervisor_sees_private_data_of_officer_other(world, client_as):
    other = world.officers["officer_other"]
    TrainingRecord.objects.create(officer=other, title="城管执法培训", held_on=TODAY, hours=Decimal(8))
    Assignment.objects.create(officer=other, kind=Assignment.Kind.SECONDMENT, organization="区创城办", starts_on=TODAY - dt.timedelta(days=3))
    response = client_as("supervisor").get(f"/officers/{other.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["private"] is True
    # ID number and phone masked (issue 15 §3: only the person, their head and the administrator
    # may show them in full: tests/core/security/test_personal.py)
    assert other.id_number not in html and other.phone not in html
    assert other.phone[:3] + "****" + other.phone[-4:] in html
    assert "城管执法培训" in html and "区创城办" in html and "进行中" in html


def test_officer_outside_scope_and_not_public_is_404(world, client_as):
    hidden = OfficerFactory(body=world.urban, name="隐藏辅助", is_auxiliary=True)  # auxiliaries are not public
    assert client_as("officer1").get(f"/officers/{hidden.pk}/").status_code == 404
    assert client_as("supervisor").get(f"/officers/{hidden.pk}/").status_code == 200
    assert client_as("officer1").get("/officers/999999/").status_code == 404


def test_r04_officer_detail_lists_certificate_history_with_states(world, client_as):
    officer = world.officers["officer2"]
    CertificateFactory(officer=officer, number="OLD-0001", issued_on=dt.date(2015, 1, 1), expires_on=dt.date(2020, 1, 1))
    html = client_as("head1").get(f"/officers/{officer.pk}/").content.decode()
    assert "OLD-0001" in html and "已过期" in html and "执法证记录" in html


def test_r07_officer_detail_totals_training_per_year(world, client_as):
    officer = world.officers["officer1"]
    for hours, day in ((Decimal(20), TODAY), (Decimal("12.5"), TODAY - dt.timedelta(days=40)), (Decimal(70), dt.date(TODAY.year - 1, 5, 1))):
        TrainingRecord.objects.create(officer=officer, title=f"培训{hours}", held_on=day, hours=hours)
    response = client_as("officer1").get(f"/officers/{officer.pk}/")
    years = {y["year"]: y for y in response.context["training_years"]}
    assert years[TODAY.year]["hours"] == Decimal("32.5") and years[TODAY.year]["short"] is True
    assert years[TODAY.year - 1]["hours"] == Decimal(70) and years[TODAY.year - 1]["short"] is False


# --- Bodies and jurisdictions -------------------------------------------------------------

def test_r01_body_detail_shows_every_published_field(world, client_as):
    body = world.market
    html = client_as("officer_other").get(f"/bodies/{body.pk}/").content.decode()
    for value in (body.name, body.legal_representative, body.address, body.supervision_phone, body.supervision_email, "执法权限", "职能边界"):
        assert value in html
    # officer_other is outside the market bureau: names and certificates, no training hours.
    assert "李明" in html and "学时" not in html


def test_body_list_filters_and_sorts(world, client_as):
    client = client_as("supervisor")
    response = client.get("/bodies/", {"sector": "market"})
    names = {b.name for b in response.context["page"].object_list}
    assert "示例市市场监督管理局" in names and "示例市城市管理局" not in names
    response = client.get("/bodies/", {"sort": "-officers"})
    assert response.context["page"].object_list[0].name == "示例市市场监督管理局"


def test_unpublished_body_of_another_city_is_404(client_as, unpublished_foreign_body):
    assert client_as("officer1").get(f"/bodies/{unpublished_foreign_body.pk}/").status_code == 404
    assert client_as("admin").get(f"/bodies/{unpublished_foreign_body.pk}/").status_code == 200


def test_r02_jurisdiction_tree_shows_bodies_per_level(world, client_as):
    response = client_as("supervisor").get("/jurisdictions/")
    html = response.content.decode()
    assert response.context["root"] == world.city  # a supervisor starts at their jurisdiction
    for name in ("示例市", "示例区", "示例镇", "示例镇综合行政执法队", "示例区市场监督管理局"):
        assert name in html
    city = response.context["roots"][0]
    assert city.total_bodies == 4 and city.total_officers == 6
    assert client_as("officer1").get("/jurisdictions/", {"root": world.township.pk}).status_code == 200


# --- Health view --------------------------------------------------------------------------

def test_aux1_gets_403_on_health(client_as):
    response = client_as("aux1").get("/registry/health/")
    assert response.status_code == 403
    assert "队伍健康度仅向执法监督机构" in response.content.decode()


def test_officer1_gets_403_on_health_and_no_menu_entry(client_as):
    client = client_as("officer1")
    assert client.get("/registry/health/").status_code == 403
    assert "/registry/health/" not in client.get("/").content.decode()


def test_r06_r07_r04_supervisor_health_lists_flags_with_legal_basis(world, client_as):
    response = client_as("supervisor").get("/registry/health/")
    assert response.status_code == 200
    html = response.content.decode()
    kinds = {s["kind"].value: s["count"] for s in response.context["summary"]}
    assert kinds["NO_LEGAL_REVIEWER"] == 3  # urban, county body, township bureau
    assert kinds["CERTIFICATE_EXPIRED"] == 1
    assert "赵强" in html and "市人大常委会决定第四部分（R06）" in html
    assert "邻市市场监督管理局" not in html


def test_r08_health_flags_secondment(world, client_as):
    Assignment.objects.create(officer=world.officers["officer2"], kind=Assignment.Kind.SECONDMENT, organization="市政府办公室", starts_on=TODAY - dt.timedelta(days=10))
    response = client_as("supervisor").get("/registry/health/", {"kind": "SECONDED"})
    rows = response.context["page"].object_list
    assert [r["officer"].name for r in rows] == ["王芳"]
    assert "市政府办公室" in response.content.decode()


def test_health_filters_by_body_and_jurisdiction(world, client_as):
    client = client_as("supervisor")
    by_body = client.get("/registry/health/", {"body": world.urban.pk}).context["page"].object_list
    assert by_body and all(r["body"] == world.urban for r in by_body)
    by_township = client.get("/registry/health/", {"jurisdiction": world.township.pk}).context["page"].object_list
    assert by_township and all(r["body"] == world.township_bureau for r in by_township)


def test_head_health_is_limited_to_own_body(world, client_as):
    response = client_as("head1").get("/registry/health/")
    assert response.status_code == 200
    assert {r["body"].pk for r in response.context["page"].object_list} == {world.market.pk}


def test_health_table_is_swapped_by_htmx(client_as):
    response = client_as("supervisor").get("/registry/health/", {"kind": "CERTIFICATE_EXPIRED"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html


# --- Imports ------------------------------------------------------------------------------

# Who may import what, the jobs, their progress and results: tests/registry/test_import_page.py.

def test_import_form_errors_are_next_to_the_fields(world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("head1")
    response = client.post("/imports/", {"kind": "officers", "body": world.urban.pk, "file": SimpleUploadedFile("a.pdf", b"x")})
    form = response.context["form"]
    assert "body" in form.errors and "file" in form.errors
    html = response.content.decode()
    assert "文件格式不支持" in html and html.count('class="field-error"') >= 2


# --- Query counts -------------------------------------------------------------------------

def test_officer_list_query_count_is_constant(world, client_as):
    client = client_as("supervisor")
    before = page_queries(client, "/officers/")
    for i in range(30):
        officer = OfficerFactory(body=world.urban, name=f"新增{i}")
        CertificateFactory(officer=officer)
        TrainingRecord.objects.create(officer=officer, title="培训", held_on=TODAY, hours=Decimal(4))
    assert Officer.objects.count() > 30
    assert page_queries(client, "/officers/") == before


def test_body_list_and_home_query_counts_are_constant(world, client_as):
    from tests.factories import BodyFactory

    client = client_as("supervisor")
    before_list, before_home = page_queries(client, "/bodies/"), page_queries(client, "/")
    for i in range(10):
        body = BodyFactory(jurisdiction=world.county)
        OfficerFactory(body=body)
    assert page_queries(client, "/bodies/") == before_list
    assert page_queries(client, "/") == before_home


def test_officer_list_pages_by_50_and_keeps_filters_in_links(world, client_as):
    OfficerFactory.create_batch(55, body=world.market)
    client = client_as("head1")
    first = client.get("/officers/", {"role": "officer", "sort": "name"})
    assert len(first.context["page"].object_list) == 50
    html = first.content.decode()
    assert "?role=officer&amp;sort=name&amp;page=2" in html
    second = client.get("/officers/", {"role": "officer", "sort": "name", "page": 2})
    assert len(second.context["page"].object_list) == first.context["page"].paginator.count - 50
