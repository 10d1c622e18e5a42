"""Finding 5 of issue 14 (R28): results no longer default to "all compliant". The form opens with
nothing chosen; every check point needs an answer and every 不符合 its description — the service
refuses otherwise (``services.ResultIncomplete``), the API answers 422 with the field, the page
puts the Chinese message next to the point."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from zhifa.core import ledger
from zhifa.inspections import services
from zhifa.inspections.models import Inspection
from zhifa.registry.access import actor_for

from .drawing import answers_for, first_inspection, login, revealed_draw

pytestmark = pytest.mark.usefixtures("frozen_clock")

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def drawn(world, head, item):
    inspection, officers = first_inspection(revealed_draw(world, head, item, entities=10, sample=3))
    return inspection, officers[0]


def test_r28_finding5_the_service_refuses_a_result_that_answers_no_point_and_writes_nothing(drawn):
    inspection, officer = drawn
    entries = ledger.RecordEntry.objects.count()
    with pytest.raises(services.ResultIncomplete) as exc:
        services.record_result(inspection_id=inspection.pk, data=services.ResultInput(TODAY, "no_problem"), actor=actor_for(officer.user))
    assert [p.point for p in exc.value.problems] == [0, 1, 2]
    assert {v.code for v in exc.value.violations} == {"INVALID_INPUT"}
    inspection.refresh_from_db()
    assert inspection.outcome == "" and ledger.RecordEntry.objects.count() == entries
    services.record_result(inspection_id=inspection.pk, data=services.ResultInput(TODAY, "no_problem", answers=answers_for(inspection)),
                           actor=actor_for(officer.user))
    entry = ledger.RecordEntry.objects.filter(stream=f"draw:{inspection.draw_id}").order_by("-pk").first()
    assert entry.action == "result" and entry.payload["outcome"] == "no_problem"


def test_r28_finding5_the_api_answers_422_with_the_field_of_each_missing_answer(drawn, api_as):
    inspection, officer = drawn
    url = f"/api/v1/inspections/inspections/{inspection.pk}/result"
    r = api_as(officer.user.username).post(url, {"inspected_on": "2026-11-23", "outcome": "rectify", "findings": "台账不全", "answers": [
        {"point": "持证经营", "ok": True}, {"point": "进货查验记录", "ok": False}]})
    assert r.status_code == 422, r.content
    errors = [(e["field"], e["message"]) for e in r.json()["errors"]]
    assert errors == [("answers", "请选择检查要点「从业人员健康证明」是否符合"),
                      ("answers.1.note", "检查要点「进货查验记录」不符合的，请说明发现的问题")]
    assert Inspection.objects.get(pk=inspection.pk).outcome == ""


def _checked(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="(point_\d+)" value="(?:ok|bad)" checked', page)


def test_r28_finding5_the_page_opens_with_no_point_and_no_outcome_chosen(drawn):
    inspection, officer = drawn
    page = login(officer.user.username).get(f"/inspections/results/{inspection.pk}/").content.decode()
    assert 'data-testid="record-form"' in page
    assert _checked(page) == []
    assert re.search(r'<option value="" selected>请选择检查结果</option>', page)
    assert not re.search(r'<option value="no_problem" selected', page)


def test_r28_finding5_the_page_says_next_to_each_point_what_is_missing_and_keeps_the_answers(drawn):
    inspection, officer = drawn
    client = login(officer.user.username)
    url = f"/inspections/results/{inspection.pk}/"
    r = client.post(url, {"inspected_on": "2026-11-23", "outcome": "rectify", "findings": "台账不全", "point_0": "ok", "point_2": "bad"})
    assert r.status_code == 200
    page = r.content.decode()
    errors = re.findall(r'data-testid="point-(\d)">(?:(?!data-testid="point-\d").)*?data-testid="point-error">([^<]+)</p>', page, re.DOTALL)
    assert errors == [("1", "请选择检查要点「从业人员健康证明」是否符合"), ("2", "检查要点「进货查验记录」不符合的，请说明发现的问题")]
    assert _checked(page) == ["point_0", "point_2"]  # what was chosen stays chosen
    assert Inspection.objects.get(pk=inspection.pk).outcome == ""
    r = client.post(url, {"inspected_on": "2026-11-23", "outcome": "rectify", "findings": "台账不全", "point_0": "ok",
                          "point_1": "ok", "point_2": "bad", "note_2": "缺少三月台账"})
    assert r.status_code == 302
    inspection.refresh_from_db()
    assert inspection.outcome == "rectify" and [a["ok"] for a in inspection.answers] == [True, True, False]
    assert inspection.answers[2]["note"] == "缺少三月台账"
    # reopened, the recorded answers are shown chosen
    assert _checked(client.get(url).content.decode()) == ["point_0", "point_1", "point_2"]


def test_r28_finding5_an_outcome_contradicting_the_answers_is_refused_beside_the_outcome(drawn):
    inspection, officer = drawn
    page = login(officer.user.username).post(f"/inspections/results/{inspection.pk}/", {
        "inspected_on": "2026-11-23", "outcome": "no_problem", "point_0": "bad", "note_0": "超范围经营", "point_1": "ok", "point_2": "ok",
    }).content.decode()
    assert 'data-testid="outcome-error">有检查要点不符合的，检查结果不能为“未发现问题”' in page
