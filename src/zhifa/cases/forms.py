"""Forms of the case workbench (办案工作台): the list filter, case-source registration (案源登记)
and the form of each workflow action.

The registration and action forms are built from the use cases' input schemas
(``cases/inputs.py``, through ``zhifa.core.forms.schema_form``): labels, limits, help texts and
messages are the schema's, and a form validates through it, so the page and the API say the same
thing about the same bad value. What the page adds is here: the pickers whose choices depend on
the case (its body's officers, its open seizures, legal reviewers, hearing chairs, higher bodies).
Forms only parse input; every legal check is the service's (a refusal lists all violations next
to the form).
"""
from __future__ import annotations

import functools

from django import forms
from django.urls import reverse_lazy

from zhifa.catalog.models import Item
from zhifa.core.forms import SchemaForm, schema_form
from zhifa.core.forms import mark as _mark
from zhifa.registry.models import Body, Officer

from . import inputs, pickers, workflow
from .models import Case, Seizure
from .selectors import CaseFilter, certified_officers

ANY = [("", "全部")]


class SearchInput(forms.TextInput):
    input_type = "search"


def body_officers(body_id: int):
    """The officers a picker offers as 承办人员 or officers present: active, not auxiliary staff,
    with a certificate valid today (R04 — an officer who may not act is not offered)."""
    return certified_officers(body_id)


# --- The list filter ----------------------------------------------------------------------

class CaseFilterForm(forms.Form):
    """筛选案件."""

    q = _mark(forms.CharField(label="关键词", required=False, max_length=100,
                              widget=SearchInput(attrs={"placeholder": "当事人或者案件编号"})), "grow")
    state = forms.ChoiceField(label="状态", choices=ANY + workflow.STATE_CHOICES, required=False)
    procedure = forms.ChoiceField(label="程序", choices=ANY + workflow.PROCEDURE_CHOICES, required=False)
    scope = forms.ChoiceField(label="范围", required=False, choices=[("", "权限范围内全部"), ("mine", "我承办的")])
    overdue = forms.BooleanField(label="只看已逾期", required=False)
    # The drill-down from a statistics figure (R34), kept across sorting and pages.
    body = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    item = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    level = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    filed_from = forms.DateField(required=False, widget=forms.HiddenInput)
    filed_to = forms.DateField(required=False, widget=forms.HiddenInput)
    decided_from = forms.DateField(required=False, widget=forms.HiddenInput)
    decided_to = forms.DateField(required=False, widget=forms.HiddenInput)
    closed_from = forms.DateField(required=False, widget=forms.HiddenInput)
    closed_to = forms.DateField(required=False, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                                choices=[("", ""), ("penalty", "penalty"), ("no_penalty", "no_penalty"), ("transfer", "transfer")])

    DRILL = ("body", "item", "level", "filed_from", "filed_to", "decided_from", "decided_to", "closed_from", "closed_to", "outcome")

    def case_filter(self) -> CaseFilter:
        """The filter of ``selectors.filter_cases`` (the API's ``GET /cases`` builds the same one);
        a field that does not validate filters nothing."""
        self.is_valid()
        data = self.cleaned_data
        return CaseFilter(q=data.get("q"), state=data.get("state") or None, procedure=data.get("procedure") or None,
                          mine=data.get("scope") == "mine", overdue=bool(data.get("overdue")),
                          **{name: data.get(name) or None for name in self.DRILL})


# --- Pickers -------------------------------------------------------------------------------
# The choices an input's ``Entry(picker=…)`` names, built from the case on the page: each a
# queryset and the label of one choice.

def _name(obj) -> str:
    return obj.name


def _officer_and_role(obj: Officer) -> str:
    return f"{obj.name}（{obj.position or ('法制审核' if obj.is_legal_reviewer else '执法人员')}）"


def _seizure_label(obj: Seizure) -> str:
    names = "、".join(str(i.get("name", i)) if isinstance(i, dict) else str(i) for i in (obj.items or [])[:3])
    return f"{obj.get_kind_display()} {obj.decided_on:%Y-%m-%d}（至{obj.due:%Y-%m-%d}）{names}"


def _open_seizures(case: Case):
    return Seizure.objects.filter(case=case, released_on__isnull=True).order_by("decided_on", "pk")


def _unapproved_seizures(case: Case):
    """Emergency measures still awaiting the head's approval (行政强制法第十九条)."""
    return _open_seizures(case).filter(emergency=True, approved_on__isnull=True)


def _higher_bodies(case: Case):
    """The bodies of the jurisdictions above the case's (the service checks level and competence)."""
    codes = [c for c in case.body.jurisdiction.path.split("/") if c]
    ancestors = ["/" + "/".join(codes[:n]) + "/" for n in range(1, len(codes))]
    qs = Body.objects.filter(is_active=True, jurisdiction__path__in=ancestors).exclude(pk=case.body_id)
    return qs.order_by("jurisdiction__path", "code")


def _bodies_for_review(case: Case) -> set[int]:
    """The case's body and its parent department (a township case may be reviewed by the county)."""
    return {case.body_id, case.body.parent_department_id} - {None}


def _reviewers(case: Case):
    return Officer.objects.filter(body_id__in=_bodies_for_review(case), is_legal_reviewer=True,
                                  status=Officer.Status.ACTIVE).order_by("name", "pk")


def _hearing_chairs(case: Case):
    return Officer.objects.filter(body_id__in=_bodies_for_review(case), status=Officer.Status.ACTIVE,
                                  is_auxiliary=False).order_by("name", "pk")


PICKERS = {
    "body_officers": (lambda case: body_officers(case.body_id), _name),
    "case_officers": (lambda case: case.officers.order_by("name", "pk"), _officer_and_role),
    "open_seizures": (_open_seizures, _seizure_label),
    "unapproved_seizures": (_unapproved_seizures, _seizure_label),
    "higher_bodies": (_higher_bodies, _name),
    "reviewers": (_reviewers, _officer_and_role),
    "hearing_chairs": (_hearing_chairs, _officer_and_role),
}


# --- Registration (案源登记) ----------------------------------------------------------------

class RegisterForm(schema_form(inputs.CaseIn, order=inputs.REGISTER_ORDER)):
    """案源登记 (or a simple-procedure case opened on the spot), from ``inputs.CaseIn``: the
    items the actor's body may register and the body's officers are the pickers."""

    def __init__(self, *args, body_id: int | None = None, items=None, **kwargs):
        self.body_id, self.items = body_id, items
        super().__init__(*args, **kwargs)
        # A few hundred items: searched as you type (code, name, pinyin initials), not scrolled.
        self.fields["item"].widget = pickers.SearchPick(reverse_lazy("cases:pick_items"), pickers.item_label(self.fields["item"]))

    def picker(self, name: str):
        if name == "items":
            return (self.items if self.items is not None else Item.objects.none()), lambda i: f"{i.code} {i.full_name}"
        if name == "body_officers":
            return (body_officers(self.body_id) if self.body_id else Officer.objects.none()), _name
        raise KeyError(name)

    def clean(self):
        data = super().clean()
        if data.get("party_kind") == Case.PartyKind.ORGANISATION and data.get("party_age") not in (None, ""):
            self.add_error("party_age", "年龄只适用于自然人。")
        return data


# --- Action forms ---------------------------------------------------------------------------

class ActionForm(SchemaForm):
    """The form of one workflow action, built from the input schema its row names; ``case`` is
    handed in (the pickers' choices and the initial values are the case's)."""

    BENCHMARK_LISTS = ("grades", "factors")

    def __init__(self, *args, case: Case, **kwargs):
        self.case = self.context = case
        self.from_benchmark: set[str] = set()
        super().__init__(*args, **kwargs)
        if all(name in self.fields for name in self.BENCHMARK_LISTS):
            self._benchmark_choices()

    def picker(self, name: str):
        queryset, label = PICKERS[name]
        return queryset(self.case), label

    def _benchmark_choices(self) -> None:
        """裁量阶次 and 裁量情节 chosen from the benchmark that applies to the case (the published
        version in force on the day of the act, APL art.37) instead of typed as codes; the factors
        of the law itself (从轻、减轻、不予处罚的法定情节) follow the benchmark's own. Without a
        benchmark the typed codes remain."""
        from zhifa.catalog import discretion
        from zhifa.catalog import rules as catalog_rules

        benchmark = discretion.applicable_benchmark(self.case.item, self.case.act_date) if self.case.item_id else None
        if benchmark is None:
            return
        grades = [(str(g.order), f"{g.name}：{g.conditions or '—'}") for g in benchmark.grades.all()]
        own = [(f.code, f"{f.description}（{catalog_rules.Effect(f.effect).label}）") for f in benchmark.factors.all()]
        law = [(f.code, f"{f.description}（{f.effect.label}；{f.citation}）") for f in catalog_rules.LAW_FACTORS]
        old = {name: self.fields[name] for name in self.BENCHMARK_LISTS}
        self.fields["grades"] = _mark(forms.MultipleChoiceField(
            label=old["grades"].label, choices=grades, required=False, widget=forms.CheckboxSelectMultiple,
            help_text="同时符合多个阶次的，按较重阶次裁量；右侧即时显示裁量结果和说理。"), "wide")
        self.fields["factors"] = _mark(forms.MultipleChoiceField(
            label=old["factors"].label, choices=own + law, required=False, widget=forms.CheckboxSelectMultiple), "wide")
        self.from_benchmark = set(self.BENCHMARK_LISTS)
        self.benchmark = benchmark
        # grade and factors first: the range beside the form then guides the amount and the reasoning
        self.order_fields([name for name in ("outcome", *self.BENCHMARK_LISTS) if name in self.fields])

    def _value(self, slot, data: dict):
        if slot.form_name in self.from_benchmark:
            return list(data.get(slot.form_name) or [])
        return super()._value(slot, data)


@functools.cache
def _form_class(schema: type[inputs.Input]) -> type[ActionForm]:
    return schema_form(schema, ActionForm)


def form_class(code: str) -> type[ActionForm]:
    """The form class of the action ``code`` (one per input schema)."""
    return _form_class(inputs.schema_of(workflow.BY_CODE[code]))


def action_form(code: str, case: Case, data=None, files=None) -> ActionForm:
    return form_class(code)(data, files, case=case, prefix=code)
