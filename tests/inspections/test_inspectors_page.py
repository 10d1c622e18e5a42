"""The inspector database page (执法检查人员名录库, R26): the pool a draw may send (active, not
auxiliary, certificate valid today — R04, R05), the others with the reason, scoped by body,
edited in the row by the body's head only."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import CertificateFactory, OfficerFactory
from zhifa.inspections import services
from zhifa.inspections.models import ConflictDeclaration, InspectorProfile
from zhifa.registry.access import actor_for

from .conftest import TODAY, make_entities
from .drawing import first_inspection, login, revealed_draw

pytestmark = pytest.mark.usefixtures("frozen_clock")

URL = "/inspections/inspectors/"



def rows(response) -> str:
    return response.content.decode()


def test_r26_pool_by_default_ineligible_with_reasons_on_request(world):
    page = rows(login("head1").get(URL))
    for name in ("李明", "王芳", "周律", "陈局"):
        assert name in page
    assert "赵强" not in page and "孙丽" not in page  # expired certificate; auxiliary
    assert "吴城" not in page  # another body
    page = rows(login("head1").get(URL, {"ineligible": "on"}))
    assert "赵强" in page and "执法证已于" in page and "过期" in page
    assert "孙丽" in page and "执法辅助人员，不得独立执法，不参加抽取" in page
    assert 'data-testid="inspector-totals"' in page


def test_r26_counts_open_inspections_and_conflicts_in_force(world, head, item):
    draw = revealed_draw(world, head, item)
    inspection, officers = first_inspection(draw)
    entity = inspection.entity
    officer = officers[0]
    ConflictDeclaration.objects.create(officer=officer, entity=entity, relation="近亲属", starts_on=TODAY, declared_on=TODAY)
    ConflictDeclaration.objects.create(officer=officer, entity=entity, relation="曾任职", starts_on=TODAY - dt.timedelta(days=400),
                                       ends_on=TODAY - dt.timedelta(days=30), declared_on=TODAY)
    row = services.inspector_directory(actor_for(world.users["head1"]), TODAY).get(pk=officer.pk)
    expected_open = sum(1 for i in draw.inspections.all() if officer.pk in i.inspector_ids)
    assert row.open_inspections == expected_open >= 1
    assert row.conflicts_in_force == 1
    # a page not sorted by the counts is read without them (PostgreSQL would count every officer
    # skipped by the OFFSET) and counted alone, to the same figures
    light = services.inspector_directory(actor_for(world.users["head1"]), TODAY, counts=False)
    assert "inspections_inspection" not in str(light.query) and "conflictdeclaration" not in str(light.query)
    (counted,) = services.count_directory_page(light.filter(pk=officer.pk), TODAY)
    assert (counted.open_inspections, counted.conflicts_in_force) == (expected_open, 1)
    page = rows(login("head1").get(URL, {"sort": "-open"}))
    assert f"?officer={officer.pk}&amp;state=in_force" in page


def test_r26_search_filter_sort_and_scope(world):
    officer1 = world.officers["officer1"]
    officer1.staff_no = "SJ0099"
    officer1.save()
    InspectorProfile.objects.create(officer=world.officers["officer2"], expertise="特种设备", is_available=False, note="外出培训")
    head = login("head1")
    assert "李明" in rows(head.get(URL, {"q": "SJ0099"})) and "王芳" not in rows(head.get(URL, {"q": "SJ0099"}))
    assert "李明" in rows(head.get(URL, {"q": "李"}))
    resting = rows(head.get(URL, {"available": "no"}))
    assert "王芳" in resting and "外出培训" in resting and "李明" not in resting
    assert "王芳" not in rows(head.get(URL, {"available": "yes"}))
    for sort in ("name", "-body", "staff_no", "expires", "-open", "conflicts", "bogus"):
        assert head.get(URL, {"sort": sort}).status_code == 200
    # a body outside the scope in the filter is ignored, never shown
    assert "吴城" not in rows(head.get(URL, {"body": world.urban.pk}))
    # the supervisor of the city sees both bodies and filters by one
    supervisor = login("supervisor")
    assert "吴城" in rows(supervisor.get(URL)) and "李明" in rows(supervisor.get(URL))
    only_urban = rows(supervisor.get(URL, {"body": world.urban.pk}))
    assert "吴城" in only_urban and "李明" not in only_urban
    # htmx asks for the table only
    partial = rows(head.get(URL, {"q": "李"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"))
    assert partial.lstrip().startswith('<div id="results"') and "<html" not in partial


def test_r26_auxiliary_staff_and_public_are_refused(world):
    assert login("aux1").get(URL).status_code == 403
    assert Client().get(URL).status_code == 302
    assert login("aux1").get(f"{URL}{world.officers['officer1'].pk}/").status_code == 403


def test_r26_head_edits_the_row_others_read_only(world):
    officer2 = world.officers["officer2"]
    edit = f"{URL}{officer2.pk}/"
    head = login("head1")
    page = rows(head.get(URL))
    assert f'hx-get="{edit}"' in page
    form_row = rows(head.get(edit, HTTP_HX_REQUEST="true"))
    assert 'data-testid="inspector-edit-row"' in form_row and 'name="expertise"' in form_row
    saved = head.post(edit, {"expertise": "食品安全、计量", "note": "擅长冷链"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "已保存" in rows(saved) and "食品安全、计量" in rows(saved)
    profile = InspectorProfile.objects.get(officer=officer2)
    assert profile.expertise == "食品安全、计量" and profile.is_available is False  # the box was not ticked
    assert officer2.pk not in [o.pk for o in services.inspector_pool([world.market.pk], TODAY)]
    # a too long value: the error next to the field, nothing saved
    bad = head.post(edit, {"expertise": "长" * 201, "is_available": "on"}, HTTP_HX_REQUEST="true")
    assert "专业领域不超过 200 字" in rows(bad) and 'class="field-error"' in rows(bad)
    assert InspectorProfile.objects.get(officer=officer2).expertise == "食品安全、计量"
    # without htmx: a page of its own and a redirect
    assert 'data-testid="inspector-form"' in rows(head.get(edit))
    r = head.post(edit, {"expertise": "特种设备", "is_available": "on"})
    assert r.status_code == 302 and InspectorProfile.objects.get(officer=officer2).is_available
    # cancel gives the plain row back
    assert "inspector-edit-row" not in rows(head.get(edit, {"row": "1"}, HTTP_HX_REQUEST="true"))
    # an officer of the body reads, cannot edit; another body's officer does not even find them
    officer = login("officer1")
    assert f'hx-get="{edit}"' not in rows(officer.get(URL))
    assert officer.get(edit).status_code == 403 and officer.post(edit, {"expertise": "x"}).status_code == 403
    assert login("officer_other").post(edit, {"expertise": "x"}).status_code == 404
    assert login("supervisor").post(edit, {"expertise": "x"}).status_code == 403
    assert InspectorProfile.objects.get(officer=officer2).expertise == "特种设备"


def test_r26_inspector_list_query_count_does_not_grow(world):
    head = login("head1")
    head.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert head.get(URL, {"ineligible": "on"}).status_code == 200
        return len(ctx)

    few = count()
    for n in range(40):
        officer = OfficerFactory(body=world.market, name=f"检查员{n}")
        CertificateFactory(officer=officer, issued_on=TODAY - dt.timedelta(days=100), expires_on=TODAY + dt.timedelta(days=900))
        if n % 3 == 0:
            InspectorProfile.objects.create(officer=officer, expertise="食品", is_available=n % 2 == 0)
    make_entities(3)
    assert count() == few
    assert few <= 16, few  # with the side navigation's counts (transfers, off-site, flexible acts, notices)


def test_overview_and_navigation_link_the_new_pages(world):
    page = rows(login("officer1").get("/inspections/"))
    assert 'href="/inspections/inspectors/"' in page and 'href="/inspections/conflicts/"' in page
    aux = rows(login("aux1").get("/inspections/"))
    assert 'href="/inspections/inspectors/"' not in aux and 'href="/inspections/conflicts/"' not in aux
