"""The case workbench's forms (``cases/forms.py``): each action's form and the registration form
are built from the input schemas, with pickers scoped to the case, and hand the service what the
API would."""
from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY
from zhifa.cases import forms, inputs, workflow
from zhifa.cases.models import Seizure
from zhifa.catalog.models import Item
from zhifa.core.forms import plan


def test_every_picker_an_input_names_is_offered_by_the_pages():
    named = {slot.entry.picker for a in workflow.ACTIONS for slot in plan(inputs.schema_of(a)) if slot.entry.picker}
    assert named <= set(forms.PICKERS)
    assert {s.entry.picker for s in plan(inputs.CaseIn) if s.entry.picker} == {"items", "body_officers"}


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
    items = Item.objects.filter(pk=cw.item.pk)
    data = {"procedure": "normal", "item": cw.item.pk, "source": "complaint", "party_kind": "organisation",
            "party_name": "示例超市", "act_date": (TODAY - dt.timedelta(days=5)).isoformat(), "party_age": "30"}
    form = forms.RegisterForm(data, body_id=cw.world.market.pk, items=items)
    assert not form.is_valid() and form.errors["party_age"] == ["年龄只适用于自然人。"]
    form = forms.RegisterForm({**data, "party_age": ""}, body_id=cw.world.market.pk, items=items)
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["item_code"] == cw.item.code and kwargs["officer_ids"] == [] and kwargs["party_age"] is None
    assert set(kwargs) == set(inputs.CaseIn.model_fields)


def test_seizure_pickers_offer_the_case_s_open_seizures_only(cw):
    case = cw.walk(cw.register(), "investigating")
    due = TODAY + dt.timedelta(days=30)  # made directly: the pickers are under test, not the seizure itself
    emergency = Seizure.objects.create(case=case, kind="seizure", items=[{"name": "酸奶", "quantity": "12盒"}], decided_on=TODAY,
                                       due=due, emergency=True)
    approved = Seizure.objects.create(case=case, kind="detention", items=[{"name": "饼干"}], decided_on=TODAY, due=due)
    Seizure.objects.create(case=case, kind="detention", items=[], decided_on=TODAY, due=due, released_on=TODAY)
    picker = forms.action_form("release_seizure", case).fields["seizure"]
    assert list(picker.queryset) == [emergency, approved] and picker.empty_label is None
    assert "酸奶" in picker.label_from_instance(emergency)
    assert list(forms.action_form("approve_seizure", case).fields["seizure"].queryset) == [emergency]
    form = forms.action_form("approve_seizure", case, {"approve_seizure-seizure": emergency.pk, "approve_seizure-approve": "0",
                                                       "approve_seizure-reason": "不符合紧急情形"})
    assert form.is_valid(), form.errors
    assert form.service_kwargs() == {"seizure_id": emergency.pk, "approve": False, "reason": "不符合紧急情形"}
    # Another case's seizure is not a choice.
    other = cw.walk(cw.register(party_name="另一公司"), "investigating")
    form = forms.action_form("release_seizure", other, {"release_seizure-seizure": emergency.pk})
    assert not form.is_valid() and "seizure" in form.errors


def test_seized_goods_and_the_review_checklist_as_the_page_enters_them(cw):
    case = cw.walk(cw.register(), "investigating")
    form = forms.action_form("seize", case, {"seize-kind": "seizure", "seize-items": "酸奶，12盒\n饼干,3箱", "seize-approved": "on"})
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["items"] == [{"name": "酸奶", "quantity": "12盒"}, {"name": "饼干", "quantity": "3箱"}]
    form = forms.action_form("complete_review", case, {"complete_review-result": "fail", "complete_review-check_crime": "on"})
    assert form.is_valid(), form.errors
    checklist = form.service_kwargs()["checklist"]
    assert checklist["crime"] is True and set(checklist) == set(forms.inputs.LegalReview.CHECKLIST) and sum(checklist.values()) == 1
