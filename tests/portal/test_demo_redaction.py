"""The redaction test over the demo city (issue #19): every portal page, list and detail, on the
demo data (published and withdrawn decisions of natural persons and organisations, draws and
results of individual businesses, complaints in every state, guidance cases) shows no
checksum-valid ID number, no mobile number and no unmasked natural person's name; and with
hypothesis-generated parties on the decision pages."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.cases.test_public import people
from zhifa.cases.models import Case
from zhifa.core import clock, redaction
from zhifa.demo.generator import load_demo
from zhifa.inspections import public as inspections_public
from zhifa.inspections.models import Draw, Entity
from zhifa.core import act_codes
from zhifa.portal.models import ActRating, Article, Complaint, ContactPoint, GuidanceCase, WorkPlan
from zhifa.registry.models import Body, Certificate, Officer

from .test_views import LISTS, leaks

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo_city(db, settings):
    settings.SECURE_SSL_REDIRECT = False
    load_demo(today=TODAY, real_lists=False, scale=0.05)
    with clock.frozen(TODAY):
        yield


def _paths() -> list[str]:
    paths = list(LISTS)
    paths += [f"/public/bodies/{pk}/" for pk in Body.objects.filter(is_published=True).values_list("pk", flat=True)]
    paths += [f"/public/decisions/{pk}/" for pk in Case.objects.filter(published_on__isnull=False).values_list("pk", flat=True)]
    paths += [f"/public/decisions/{pk}/" for pk in
              Case.objects.filter(publication_withdrawn_on__isnull=False).values_list("pk", flat=True)]
    paths += [f"/public/inspections/draws/{pk}/" for pk in Draw.objects.values_list("pk", flat=True)]
    paths += [f"/public/guidance/{pk}/" for pk in GuidanceCase.objects.values_list("pk", flat=True)]
    paths += [f"/public/complaints/{code}/" for code in Complaint.objects.values_list("tracking_code", flat=True)]
    paths += [f"/public/certificates/?number={n}" for n in Certificate.objects.values_list("number", flat=True)[:20]]
    paths += [f"/public/plans/{pk}/" for pk in WorkPlan.objects.filter(state="accepted").values_list("pk", flat=True)]
    paths += [f"/public/articles/{pk}/" for pk in Article.objects.filter(state="published").values_list("pk", flat=True)]
    paths += [f"/public/acts/{act_codes.act_code(k, n)}/" for k, n in ActRating.objects.values_list("act_kind", "act_id")]
    paths += [f"/public/acts/{act_codes.act_code('case', pk)}/" for pk in
              Case.objects.filter(decided_on__isnull=False).values_list("pk", flat=True)[:10]]
    return paths


def _private_names() -> list[str]:
    """Natural persons the public must never see named: parties of cases, complainants, the
    operators of individual businesses named after them — less the officers' names (public with
    their certificates and the draws)."""
    officers = set(Officer.objects.values_list("name", flat=True))
    names = set(Case.objects.filter(party_kind=Case.PartyKind.PERSON).values_list("party_name", flat=True))
    names |= set(Complaint.objects.exclude(reporter_name="").values_list("reporter_name", flat=True))
    names |= {e.name for e in Entity.objects.filter(kind=Entity.Kind.INDIVIDUAL)
              if inspections_public.entity_name(e.name, e.kind) != e.name}
    # A name already of the masked form (a party registered as 王某) is its own publication.
    return sorted(n for n in names if len(n) > 1 and n not in officers and redaction.mask_name(n) != n)


def test_r40_no_personal_data_on_any_portal_page_of_the_demo_city(demo_city):
    client = Client()
    names = _private_names()
    paths = _paths()
    assert Complaint.objects.values("state").distinct().count() == len(Complaint.States.choices)
    assert GuidanceCase.objects.count() >= 5
    assert WorkPlan.objects.filter(state="accepted").count() >= 2 and Article.objects.filter(state="published").count() >= 2
    assert ContactPoint.objects.count() >= 2 and ActRating.objects.count() >= 3
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        problems = leaks(response.content.decode(), names)
        if problems:
            found[path] = problems
    assert found == {}
    published = Case.objects.filter(published_on__isnull=False)
    print(f"redaction: {len(paths)} pages checked, {len(names)} private names; published decisions "
          f"{published.count()} ({published.filter(party_kind=Case.PartyKind.PERSON).count()} of natural persons), withdrawn "
          f"{Case.objects.filter(publication_withdrawn_on__isnull=False).count()}, draws {Draw.objects.count()}, "
          f"complaints {Complaint.objects.count()}, plans {WorkPlan.objects.count()}, articles {Article.objects.count()}, "
          f"ratings {ActRating.objects.count()}, contacts {ContactPoint.objects.count()}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=people)
def test_r40_generated_parties_never_reach_the_portal(world, person):
    name, id_number, phone = person
    from tests.factories import ItemFactory

    item = ItemFactory(body=world.market)
    case = Case.objects.create(
        body=world.market, item=item, clue_received_on=TODAY - dt.timedelta(days=60), party_kind=Case.PartyKind.PERSON,
        party_name=name, party_id_code=id_number, party_address="示例市示例区和平路5号", party_phone=phone,
        act_date=TODAY - dt.timedelta(days=70), number=f"示市监罚〔2026〕{Case.objects.count() + 100}号",
        act_description=f"{name}（身份证{id_number}）销售过期食品", facts=f"当事人{name}，电话{phone}，无证经营",
        decision_kinds=["fine"], decision_amount=Decimal("300"), decided_on=TODAY - dt.timedelta(days=3),
        published_on=TODAY - dt.timedelta(days=1))
    client = Client()
    officers = set(Officer.objects.values_list("name", flat=True))
    names = [name] if name not in officers else []
    for path in (f"/public/decisions/{case.pk}/", "/public/decisions/", f"/public/decisions/?q={case.number}"):
        with clock.frozen(TODAY):
            html = client.get(path, secure=True).content.decode()
        assert leaks(html, names) == [], path
