"""One declaration per case action (issue 13): each workflow row names its input schema
(``cases/inputs.py``), the API validates its body with it and the page's form is built from it, so
both give the same Chinese message for the same bad value."""
from __future__ import annotations

import datetime as dt
import re

import pydantic
import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import TODAY
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


def test_page_form_is_built_from_the_schema(cw):
    case = cw.walk(cw.register(), "reviewed")
    form = forms.action_form("decide", case)
    assert form.confirm == inputs.DecideIn.page_confirm
    assert form.fields["reasoning"].label == "说理" and form.fields["reasoning"].required
    assert [c for c, _ in form.fields["outcome"].choices] == ["penalty", "no_penalty", "transfer"]
    assert form.fields["kinds"].initial == case.proposed_kinds  # the proposal carried over
    # The officers' picker offers the active officers of the case's body only.
    officers = forms.action_form("file", cw.register()).fields["officers"]
    assert set(officers.queryset.values_list("body_id", flat=True)) == {case.body_id}


def test_page_lists_and_pickers_reach_the_service_as_the_api_sends_them(cw):
    case = cw.walk(cw.register(), "reviewed")
    form = forms.action_form("decide", case, {"decide-outcome": "penalty", "decide-kinds": ["fine"], "decide-amount": "5000",
                                              "decide-reasoning": "依法处罚", "decide-grades": "1，2", "decide-factors": "A1, B2"})
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs == inputs.DecideIn.model_validate({"outcome": "penalty", "kinds": ["fine"], "amount": "5000",
                                                     "reasoning": "依法处罚", "grades": [1, 2], "factors": ["A1", "B2"]}).model_dump()
    o1, o2 = cw.officer("officer1"), cw.officer("officer2")
    form = forms.action_form("file", cw.register(), {"file-officers": [o1.pk, o2.pk], "file-opinion": "同意"})
    assert form.is_valid(), form.errors
    assert form.service_kwargs() == {"officer_ids": [o1.pk, o2.pk], "opinion": "同意"}


def test_register_form_is_built_from_case_in(cw):
    items = Case.objects.none().model.item.field.related_model.objects.filter(pk=cw.item.pk)
    data = {"procedure": "normal", "item": cw.item.pk, "source": "complaint", "party_kind": "organisation",
            "party_name": "示例超市", "act_date": (TODAY - dt.timedelta(days=5)).isoformat(), "party_age": "30"}
    form = forms.RegisterForm(data, body_id=cw.world.market.pk, items=items)
    assert not form.is_valid() and form.errors["party_age"] == ["年龄只适用于自然人。"]
    form = forms.RegisterForm({**data, "party_age": ""}, body_id=cw.world.market.pk, items=items)
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["item_code"] == cw.item.code and kwargs["officer_ids"] == [] and kwargs["party_age"] is None
    assert set(kwargs) == set(inputs.CaseIn.model_fields)
