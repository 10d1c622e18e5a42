"""The schema-to-form adapter (``zhifa.core.forms.schema_form``): a page's form built from a use
case's pydantic input, validated through it, with the API's Chinese messages next to the fields."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

import pydantic
from django import forms
from pydantic import Field

from zhifa.core.forms import ERROR_MESSAGES, DateInput, Entry, SchemaForm, error_message, schema_form


class Toy(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    page_confirm: ClassVar[str] = "确定？"
    page_files: ClassVar[dict[str, Entry]] = {"upload": Entry(label="文件")}

    kind: Annotated[Literal["a", "b"], Field(title="种类"), Entry(choices=[("b", "乙"), ("a", "甲")])]
    note: Annotated[str, Field(max_length=5000, title="说明", description="写清楚"), Entry(required=True, rows=4)] = ""
    name: Annotated[str, Field(max_length=20, title="名称")] = ""
    days: Annotated[int, Field(ge=1, le=30, title="天数")] | None = None
    amount: Annotated[Decimal, Field(ge=0, title="金额")] | None = None
    on: Annotated[dt.date | None, Field(title="日期")] = None
    urgent: Annotated[bool, Field(title="紧急")] = False
    tags: Annotated[list[str], Field(max_length=3, title="标签"), Entry(choices=[("x", "叉"), ("y", "歪")])] = []
    lines: Annotated[list[Annotated[str, Field(max_length=5)]], Field(title="清单"), Entry(entry="lines")] = []
    grades: Annotated[list[int], Field(title="阶次"), Entry(entry="commas")] = []
    checks: Annotated[dict[str, bool], Field(title="要点"), Entry(checks={"p": "甲要点", "q": "乙要点"})] = {}
    approve: Annotated[bool, Field(title="结论"), Entry(choices=[("1", "批准"), ("0", "不批准")], radio=True)] = True
    secret: Annotated[bool, Entry(hidden=True)] = False


ToyForm = schema_form(Toy)


def test_fields_labels_widgets_and_marks_come_from_the_schema():
    form = ToyForm()
    f = form.fields
    assert list(f) == ["kind", "note", "name", "days", "amount", "on", "urgent", "tags", "lines", "grades", "approve",
                       "upload", "check_p", "check_q"]
    assert "secret" not in f
    assert f["kind"].label == "种类" and f["kind"].required and list(f["kind"].choices) == [("b", "乙"), ("a", "甲")]
    assert f["note"].required and f["note"].help_text == "写清楚" and isinstance(f["note"].widget, forms.Textarea)
    assert f["note"].widget.attrs["rows"] == 4 and f["note"].css == "wide"
    assert isinstance(f["name"].widget, forms.TextInput) and f["name"].widget.attrs["maxlength"] == 20
    assert f["days"].widget.attrs == {"min": 1, "max": 30} and not f["days"].required
    assert f["amount"].widget.attrs["step"] == "0.01" and isinstance(f["on"].widget, DateInput)
    assert isinstance(f["urgent"], forms.BooleanField) and isinstance(f["tags"], forms.MultipleChoiceField)
    assert isinstance(f["approve"].widget, forms.RadioSelect) and f["approve"].initial == "1"
    assert isinstance(f["upload"], forms.FileField) and ToyForm.multipart and ToyForm.confirm == "确定？"
    assert f["check_p"].label == "甲要点"


def test_the_form_validates_through_the_schema():
    form = ToyForm({"kind": "a", "note": "好", "days": "3", "amount": "1.50", "on": "2026-01-02", "urgent": "on",
                    "tags": ["x"], "lines": "一\n\n二", "grades": "1，2、3", "check_q": "on", "approve": "0"})
    assert form.is_valid(), form.errors
    assert isinstance(form.validated, Toy)
    assert form.service_kwargs() == {
        "kind": "a", "note": "好", "name": "", "days": 3, "amount": Decimal("1.50"), "on": dt.date(2026, 1, 2), "urgent": True,
        "tags": ["x"], "lines": ["一", "二"], "grades": [1, 2, 3], "checks": {"p": False, "q": True}, "approve": False,
        "secret": False, "upload": None}


def test_bad_values_get_the_apis_chinese_message_next_to_their_field():
    form = ToyForm({"kind": "a", "note": "好", "days": "0", "amount": "x", "on": "2026-13-40", "lines": "太长了的一行",
                    "grades": "1,x"})
    assert not form.is_valid()
    assert form.errors["days"] == ["数值过小"]
    assert form.errors["amount"] == ["应为数字"]
    assert form.errors["on"] == ["应为日期（YYYY-MM-DD）"]
    assert form.errors["lines"] == ["内容过长"]
    assert form.errors["grades"] == ["应为整数"]
    # A required mark is the page's: Django's own message, before the schema is asked.
    form = ToyForm({"kind": "a"})
    assert not form.is_valid() and list(form.errors) == ["note"]


def test_error_message_names_the_bound_when_it_has_one():
    assert error_message({"type": "greater_than_equal", "ctx": {"ge": 1}}) == "不得小于1"
    assert error_message({"type": "greater_than_equal"}) == "数值过小"
    assert error_message({"type": "value_error", "msg": "Value error, 须填写理由"}) == "须填写理由"
    assert error_message({"type": "value_error", "msg": "bad"}) == "输入不正确"


def test_the_pages_and_the_apis_messages_are_the_same():
    from zhifa.api import chinese_errors

    cases = [{"type": t, "loc": ("f",), "msg": "x"} for t in ERROR_MESSAGES]
    cases += [{"type": "greater_than_equal", "loc": ("f",), "ctx": {"ge": 0}}, {"type": "too_long", "loc": ("f",), "ctx": {"max_length": 3}},
              {"type": "value_error", "loc": ("f",), "msg": "Value error, 须填写理由"}, {"type": "value_error", "loc": ("f",), "msg": "bad"}]
    for error in cases:
        assert chinese_errors([error])[0]["message"] == error_message(error), error


def test_a_page_subclass_supplies_the_pickers():
    class Pick(pydantic.BaseModel):
        who: Annotated[int, Field(title="人员"), Entry(name="person", picker="people", empty=None)]

    class PickForm(SchemaForm):
        def picker(self, name):
            from django.contrib.auth import get_user_model

            assert name == "people"
            return get_user_model().objects.none(), lambda u: u.username

    form = schema_form(Pick, PickForm)()
    assert form.fields["person"].label == "人员" and form.fields["person"].empty_label is None
