"""One declaration per case action (issue 13): each workflow row names its input schema
(``cases/inputs.py``), the API validates its body with it and the page's form is built from it, so
both give the same Chinese message for the same bad value."""
from __future__ import annotations

import re

import pydantic
import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import forms, inputs, workflow
from zhifa.cases.models import Case


def _field_errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error"[^>]*>([^<]*)</p>', html)


@pytest.mark.parametrize("code", [a.code for a in workflow.ACTIONS])
def test_every_action_has_an_input_schema_and_a_form(code):
    schema = inputs.schema_of(workflow.BY_CODE[code])
    assert issubclass(schema, inputs.Input) and schema.model_config["extra"] == "forbid"
    form_class = forms.form_class(code)
    assert form_class.schema is schema
    # Every field the page shows has a Chinese label, from the schema (title) or its page entry.
    for slot in form_class.slots:
        label = slot.entry.label or (slot.info.title if slot.info else "")
        assert label and any("\u4e00" <= ch <= "\u9fff" for ch in label), (code, slot.schema_name)


def test_a_row_naming_no_schema_is_an_error():
    row = workflow.Action("fly", "飞", ("source",), None, "officer", workflow.BOTH, input="FlyIn")
    with pytest.raises(LookupError):
        inputs.schema_of(row)


def test_input_schemas_refuse_unknown_fields_and_keep_their_bounds():
    with pytest.raises(pydantic.ValidationError):
        inputs.ReasonIn.model_validate({"reason": "x", "other": 1})
    with pytest.raises(pydantic.ValidationError):
        inputs.TestingIn.model_validate({"seizure_id": 1, "days": 0})
    assert inputs.SeizeIn.model_validate({"kind": "seizure"}).approved is True


def test_seized_goods_are_typed_one_per_line():
    assert inputs._name_and_quantity("酸奶，12盒\n\n饼干,3箱\n") == [
        {"name": "酸奶", "quantity": "12盒"}, {"name": "饼干", "quantity": "3箱"}]


@pytest.fixture
def login(world):
    def make(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password="zhifa-demo")
        return client

    return make


def test_api_and_page_give_the_same_message_for_the_same_bad_value(cw, api_as, login):
    case = cw.walk(cw.register(), "investigating")
    api = api_as("head1").post(f"/api/v1/cases/{case.pk}/actions/extend", {"reason": "送检", "days": 0})
    assert api.status_code == 422
    [error] = api.json()["errors"]
    assert error["field"] == "days" and error["message"] == "数值过小"

    page = login("head1").post(reverse("cases:action", args=[case.pk, "extend"]), {"extend-reason": "送检", "extend-days": "0"})
    assert page.status_code == 400
    assert _field_errors(page.content.decode()) == ["数值过小"]

    # A date the calendar does not have: the same words on both.
    api = api_as("head1").post(f"/api/v1/cases/{case.pk}/actions/pause", {"kind": "testing", "start": "2026-13-40"})
    page = login("officer1").post(reverse("cases:action", args=[case.pk, "pause"]),
                                  {"pause-kind": "testing", "pause-start": "2026-13-40"})
    assert api.status_code == 422 and page.status_code == 400
    assert [e["message"] for e in api.json()["errors"]] == _field_errors(page.content.decode()) == ["应为日期（YYYY-MM-DD）"]
    assert Case.objects.get(pk=case.pk).version == case.version
