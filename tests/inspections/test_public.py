"""inspections/public.py: draws as the public sees them and published results with individual
businesses' natural-person data redacted (legal-rules §I), with a constant number of queries."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.inspections.conftest import TODAY, make_entities
from tests.inspections.drawing import revealed_draw
from tests.inspections.test_services import make_task
from zhifa.core.pagination import Paging
from zhifa.inspections import public, services
from zhifa.inspections.models import Entity, Inspection, Task
from zhifa.registry.models import Officer

pytestmark = pytest.mark.django_db

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


@given(surname=st.sampled_from(SURNAMES), given_name=st.text(GIVEN, min_size=1, max_size=2),
       phone=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_an_individual_business_named_after_its_operator_is_masked(surname, given_name, phone):
    name = surname + given_name
    assert public.entity_name(name, Entity.Kind.INDIVIDUAL) == surname + "某"
    shown = public.entity_name(f"{name}小吃店{phone}", Entity.Kind.INDIVIDUAL)
    assert phone not in shown and shown.startswith(f"{name}小吃店")  # a trade name is public; the number is not
    assert public.entity_address(f"示例市示例区幸福路{len(name)}号", Entity.Kind.INDIVIDUAL) == "示例市示例区（详细地址已隐去）"


def test_an_organisations_name_is_public():
    assert public.entity_name("示例商贸有限公司", Entity.Kind.ENTERPRISE) == "示例商贸有限公司"


def test_r28_published_results_redact_individual_operators(world, head, item, frozen_clock, django_assert_num_queries):
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    inspections = list(Inspection.objects.filter(draw=draw).select_related("entity").order_by("rank"))
    Entity.objects.filter(pk=inspections[0].entity_id).update(kind=Entity.Kind.INDIVIDUAL, name="王小明")
    Inspection.objects.filter(draw=draw).update(outcome=Inspection.Outcome.NO_PROBLEM, inspected_on=TODAY, published_on=TODAY)
    with django_assert_num_queries(3):
        page = public.published_results(Paging(1, 50))
    assert page["count"] == 3
    text = repr(page)
    assert "王小明" not in text and "王某" in text
    assert all(row["outcome"] == "no_problem" for row in page["items"])
    with django_assert_num_queries(4):
        result = public.draw_result(draw.pk)
    assert "王小明" not in repr(result) and len(result["items"]) == 3


def test_r27_a_draw_shows_its_commitment_and_after_the_reveal_its_seed(world, head, item, frozen_clock, django_assert_num_queries):
    draw = revealed_draw(world, head, item)
    with django_assert_num_queries(2):
        page = public.draws()
    [row] = page["items"]
    assert row["commitment"] == draw.commitment and row["seed"] == draw.seed and row["task_title"]
    assert public.draw(draw.pk)["id"] == draw.pk and public.draw(10**9) is None


def test_r27_results_not_yet_published_show_no_outcome(world, head, item, frozen_clock):
    draw = revealed_draw(world, head, item, sample=2)
    Inspection.objects.filter(draw=draw).update(outcome=Inspection.Outcome.RECTIFY, inspected_on=TODAY)
    result = public.draw_result(draw.pk)
    assert [row["outcome"] for row in result["items"]] == ["", ""]
    assert public.published_results()["count"] == 0


@pytest.fixture
def published_draw(world, head, item, frozen_clock):
    draw = revealed_draw(world, head, item, entities=6, sample=2)
    Inspection.objects.filter(draw=draw).update(outcome=Inspection.Outcome.NO_PROBLEM, inspected_on=TODAY, published_on=TODAY)
    return draw


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(surname=st.sampled_from(SURNAMES), given_name=st.text(GIVEN, min_size=1, max_size=2),
       phone=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_no_operators_name_or_phone_in_any_public_inspection_output(published_draw, surname, given_name, phone):
    name = surname + given_name
    # The drawn inspectors are officers acting in public: their names are published with the draw
    # (R27). A generated operator who shares an inspector's name would be found as the inspector.
    assume(not Officer.objects.filter(name=name).exists())
    first, second = Inspection.objects.filter(draw=published_draw).order_by("rank").values_list("entity_id", flat=True)
    Entity.objects.filter(pk=first).update(kind=Entity.Kind.INDIVIDUAL, name=name)
    Entity.objects.filter(pk=second).update(kind=Entity.Kind.INDIVIDUAL, name=f"{name}便利店（电话{phone}）")
    output = repr(public.published_results()) + repr(public.draw_result(published_draw.pk))
    assert phone not in output
    assert f"'{name}'" not in output  # the bare operator's name never stands alone


def test_the_public_endpoints_answer_the_anonymous_public_redacted(published_draw, api_as):
    first = Inspection.objects.filter(draw=published_draw).order_by("rank").first()
    Entity.objects.filter(pk=first.entity_id).update(kind=Entity.Kind.INDIVIDUAL, name="王小明")
    anonymous, staff = api_as(None), api_as("head1")
    for path in ("/api/v1/inspections/results", f"/api/v1/inspections/draws/{published_draw.pk}/result"):
        public_names = [row["entity_name"] for row in anonymous.get(path).json()["items"]]
        assert "王某" in public_names and "王小明" not in public_names, path
        assert "王小明" in [row["entity_name"] for row in staff.get(path).json()["items"]], path  # staff keep their view
    assert anonymous.get("/api/v1/inspections/draws").json()["items"][0]["seed"] == published_draw.seed


def test_r28_surprise_draw_disclosed_to_the_public_only_after_the_task(world, head, item):
    """飞行检查: the seed (from which anyone could recompute who is drawn) stays back until the
    task's period ends; the commitment and the result digest are public at once."""
    make_entities(20)
    task = make_task(world, head, item, kind=Task.Kind.SURPRISE, sample_count=3, ratio_percent=None)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="9", actor=head)
    assert not public.disclosed(draw) and not public.disclosed(draw, task.ends_on)
    assert public.disclosed(draw, task.ends_on + dt.timedelta(days=1))
    withheld = public.draw_view(draw, withhold=True)
    assert {"seed", "secret", "witness"}.isdisjoint(withheld) and withheld["result_digest"] == draw.result_digest
    assert withheld["disclosed_after"] == task.ends_on.isoformat()
    assert public.draw_view(draw)["seed"] == draw.seed
    announced = make_task(world, head, item, sample_count=3, ratio_percent=None)
    other = services.reveal_draw(draw_id=services.commit_draw(task_id=announced.pk, actor=head).pk, witness="9", actor=head)
    assert public.disclosed(other)
