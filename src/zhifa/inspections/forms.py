"""Forms of the inspections pages: the inspector database filter and profile editor (执法检查人员
名录库), conflict declarations (利益冲突申报) and site photos (现场照片).

Forms only parse and validate input; the querysets offered as choices come already scoped from
the view (``registry.access`` / ``services``). Labels and messages are Chinese.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from zhifa.cases.pickers import SearchPick, item_label
from zhifa.catalog.models import Item
from zhifa.core import clock
from zhifa.core.forms import DateInput
from zhifa.core.forms import mark as _mark
from zhifa.registry.forms import BodyChoiceField, SearchInput
from zhifa.registry.models import Body, Officer

from .inputs import ResultInput, TaskInput
from .models import ConflictDeclaration, Entity, Inspection

ANY = [("", "全部")]
CODE_PREFIX = re.compile(r"^[0-9A-Z]{2,18}$")


def entity_matches(text: str, limit: int = 10) -> list[Entity]:
    """Entities for a search box over a database of up to 500,000 rows: by unified social credit
    code (the whole code, or its beginning: the unique index in byte order serves the prefix) or
    by the beginning of the name. Never the whole table."""
    text = (text or "").strip()[:100]
    if not text:
        return []
    code = text.upper()
    if CODE_PREFIX.match(code):
        qs = Entity.objects.filter(credit_code=code) if len(code) == 18 else Entity.objects.filter(credit_code__startswith=code)
    else:
        qs = Entity.objects.filter(name__startswith=text)
    return list(qs.order_by("credit_code")[:limit])


class InspectorFilterForm(forms.Form):
    """筛选执法检查人员."""

    q = _mark(forms.CharField(label="关键词", required=False, max_length=100,
                              widget=SearchInput(attrs={"placeholder": "姓名或工号"})), "grow")
    body = BodyChoiceField(label="所属主体", queryset=Body.objects.none(), required=False, empty_label="全部")
    available = forms.ChoiceField(label="参加抽取", required=False,
                                  choices=ANY + [("yes", "可参加抽取"), ("no", "暂不参加抽取")])
    ineligible = forms.BooleanField(label="显示不可抽取人员", required=False)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Body.objects.none()


class InspectorProfileForm(forms.Form):
    """执法检查人员名录信息：专业领域、是否参加抽取、说明."""

    expertise = forms.CharField(label="专业领域", required=False, max_length=200,
                                widget=forms.TextInput(attrs={"placeholder": "如：食品安全、特种设备、计量"}),
                                error_messages={"max_length": "专业领域不超过 200 字"})
    is_available = forms.BooleanField(label="可参加抽取", required=False)
    note = forms.CharField(label="说明", required=False, max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": "如：产假至 12 月底"}),
                           error_messages={"max_length": "说明不超过 200 字"})


class ConflictFilterForm(forms.Form):
    """筛选利益冲突申报."""

    q = _mark(forms.CharField(label="关键词", required=False, max_length=100,
                              widget=SearchInput(attrs={"placeholder": "人员姓名、对象名称或信用代码"})), "grow")
    body = BodyChoiceField(label="所属主体", queryset=Body.objects.none(), required=False, empty_label="全部")
    state = forms.ChoiceField(label="状态", required=False, choices=ANY + list(ConflictDeclaration.STATES.items()))

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Body.objects.none()


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        body = obj.body.short_name or obj.body.name
        return f"{obj.name}（{body}{'，' + obj.staff_no if obj.staff_no else ''}）"


class OfficerLookupField(forms.CharField):
    """An officer among ``officers`` typed as a staff number or a name: for the administrator (or
    a large body's head), where a list of thousands of names would be a page of megabytes that
    nobody scrolls."""

    def __init__(self, officers: QuerySet[Officer], **kwargs):
        super().__init__(max_length=60, widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "工号或姓名"}), **kwargs)
        self.officers = officers

    def clean(self, value) -> Officer:
        text = " ".join(super().clean(value).split())
        name, _, staff_no = text.rpartition(" ")  # "姓名 工号" when either alone is ambiguous
        lookups = [{"staff_no": text}, {"name": text}] + ([{"name": name, "staff_no": staff_no}] if name else [])
        ambiguous = False
        for lookup in lookups:  # the first lookup that finds exactly one officer; no query after it
            found = list(self.officers.filter(**lookup)[:2])
            if len(found) == 1:
                return found[0]
            ambiguous = ambiguous or bool(found)
        if ambiguous:
            raise forms.ValidationError("有多名人员匹配，请输入“姓名 工号”")
        raise forms.ValidationError("没有该工号或姓名的人员，或不能为其申报")


class ConflictForm(forms.Form):
    """申报利益冲突: who, which entity (by credit code, or a name that matches one entity only),
    the relation and the period."""

    officer = OfficerChoiceField(label="申报人员", queryset=Officer.objects.none(), empty_label=None,
                                 error_messages={"required": "请选择申报人员", "invalid_choice": "只能为本人或本主体人员申报"})
    entity = _mark(forms.CharField(label="检查对象", max_length=100,
                                   help_text="输入统一社会信用代码，或名称开头后从候选中选择",
                                   error_messages={"required": "请填写检查对象"},
                                   widget=forms.TextInput(attrs={"autocomplete": "off", "list": "entity-options",
                                                                 "placeholder": "统一社会信用代码或名称"})), "grow")
    relation = forms.CharField(label="利害关系", max_length=100, error_messages={"required": "请填写利害关系",
                                                                              "max_length": "利害关系不超过 100 字"},
                               widget=forms.TextInput(attrs={"placeholder": "如：配偶任该企业法定代表人"}))
    starts_on = forms.DateField(label="开始日期", widget=DateInput(),
                                error_messages={"required": "请填写开始日期", "invalid": "日期格式应为 YYYY-MM-DD"})
    ends_on = forms.DateField(label="结束日期", required=False, widget=DateInput(), help_text="不填为长期",
                              error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})

    SELECT_MAX = 200  # more officers to choose from than this: typed, not picked from a list

    def __init__(self, *args, officers: QuerySet[Officer] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        officers = officers if officers is not None else Officer.objects.none()
        self.fields["officer"].queryset = officers
        if officers[:self.SELECT_MAX + 1].count() > self.SELECT_MAX:
            field = self.fields["officer"]
            self.fields["officer"] = OfficerLookupField(officers, label=field.label, help_text="输入工号，或姓名（同名时输入工号）",
                                                        error_messages={"required": field.error_messages["required"]})
            own = self.initial.get("officer")
            if isinstance(own, int):
                self.initial["officer"] = officers.filter(pk=own).values_list("staff_no", flat=True).first() or ""

    def clean_entity(self) -> Entity:
        text = self.cleaned_data["entity"].strip()
        matches = entity_matches(text, limit=2)
        exact = [e for e in matches if e.credit_code == text.upper()]
        if exact:
            return exact[0]
        if not matches:
            raise forms.ValidationError("检查对象名录库中没有该统一社会信用代码或以此开头的名称")
        if len(matches) > 1:
            named = list(Entity.objects.filter(name=text)[:2])
            if len(named) == 1:
                return named[0]
            raise forms.ValidationError("匹配到多个检查对象，请输入完整的统一社会信用代码或从候选中选择")
        return matches[0]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "结束日期早于开始日期")
        return data


class EndConflictForm(forms.Form):
    ends_on = forms.DateField(label="结束日期", widget=DateInput(),
                              error_messages={"required": "请填写结束日期", "invalid": "日期格式应为 YYYY-MM-DD"})


class PhotoForm(forms.Form):
    """上传现场照片: the caption; the files themselves (several at once, from the phone's camera:
    ``<input type=file name=photos multiple accept="image/*" capture="environment">``) are read
    from ``request.FILES`` and checked by the service on their bytes (``services.add_photos``)."""

    caption = forms.CharField(label="照片说明", required=False, max_length=100,
                              error_messages={"max_length": "照片说明不超过 100 字"},
                              widget=forms.TextInput(attrs={"placeholder": "如：后厨操作间、进货台账（可选）"}))


class OpenCaseForm(forms.Form):
    """据检查发现登记案源 (R30): the enforcement item searched as you type (code, name, pinyin initials:
    ``cases.pickers.SearchPick``, the picker of the 案源登记 page) and chosen from the results, the date
    of the act and a short statement of the facts. The items come from the view, already scoped:
    the penalty items of the body the case is registered in, as on the 案源登记 page."""

    item = _mark(forms.ModelChoiceField(
        label="执法事项", queryset=Item.objects.none(), empty_label="请选择执法事项",
        help_text="输入编码、名称或拼音首字母检索本主体的行政处罚事项，从结果中选择",
        error_messages={"required": "请选择执法事项",
                        "invalid_choice": "所选执法事项不是本主体的行政处罚事项，请从列表中重新选择"}), "wide")
    act_date = forms.DateField(label="违法行为发生日期", widget=DateInput(),
                               error_messages={"required": "请填写违法行为发生日期", "invalid": "日期格式应为 YYYY-MM-DD"})
    facts = _mark(forms.CharField(label="违法事实简述", required=False, max_length=5000,
                                  error_messages={"max_length": "违法事实简述不超过 5000 字"},
                                  widget=forms.Textarea(attrs={"rows": 3, "placeholder": "空则采用发现的问题"})), "wide")

    def __init__(self, *args, items: QuerySet[Item] | None = None, body_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else Item.objects.none()
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.full_name}"
        # A few hundred items: searched as you type, not scrolled (the 案源登记 page's picker and search).
        url = reverse("cases:pick_items") + (f"?body={body_id}" if body_id else "")
        self.fields["item"].widget = SearchPick(url, item_label(self.fields["item"]))


# --- Parsing the plain forms of the plan editor and the results page ------------------------------
# (a refusal of what is typed raises ``ValueError`` with a Chinese message: the page shows it as
# ``INVALID_INPUT`` beside the service's own reasons)

COUNT_MAX = 2**31 - 1  # counts and years: the largest value of an integer column on PostgreSQL
ID_MAX = 2**63 - 1  # record numbers (bigint); a larger one overflows the database driver


def parse_decimal(text: str, label: str = "") -> Decimal | None:
    """A number typed in a box, ``None`` if empty."""
    try:
        value = Decimal(text) if text.strip() else None
    except InvalidOperation:
        raise ValueError(f"{label}「{text}」不是数字")
    if value is not None and not value.is_finite():  # NaN cannot even be compared with 0
        raise ValueError(f"{label}「{text}」不是数字")
    return value


def parse_int(text: str, default: int | None = None, limit: int = COUNT_MAX, label: str = "") -> int | None:
    """A whole number typed in a box (``default`` if empty), at most ``limit`` either way."""
    text = (text or "").strip()
    if not text:
        return default
    if not text.lstrip("-").isdecimal():  # isdigit() lets ² through, which int() refuses
        raise ValueError(f"{label}「{text}」应为整数")
    value = int(text)
    if abs(value) > limit:
        raise ValueError(f"{label}「{text}」超出可接受的范围")
    return value


def parse_ids(values: list[str]) -> list[int]:
    """Record numbers of a multiple choice (empty values left out)."""
    return [parse_int(v, limit=ID_MAX) for v in values if v.strip()]


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValueError(f"日期「{text}」应为 YYYY-MM-DD")


def task_input(post) -> TaskInput:
    """The new task of the plan editor's form (新增抽查任务) as the service takes it."""
    return TaskInput(
        title=post.get("title", ""), kind=post.get("kind", "random"),
        starts_on=parse_date(post.get("starts_on")), ends_on=parse_date(post.get("ends_on")),
        item_ids=parse_ids(post.getlist("items")),
        partner_ids=parse_ids(post.getlist("partners")),
        scope_industry=post.get("scope_industry", "").strip(),
        scope_jurisdiction_id=parse_int(post.get("scope_jurisdiction"), limit=ID_MAX),
        scope_risk_grades=post.get("scope_risk_grades", "").strip().upper(),
        scope_tag=post.get("scope_tag", ""),
        ratio_percent=parse_decimal(post.get("ratio_percent", ""), label="抽查比例"),
        sample_count=parse_int(post.get("sample_count"), label="抽取户数"),
        inspectors_per_entity=parse_int(post.get("inspectors_per_entity"), 2, label="每户检查人员"),
        flagged_weight=parse_int(post.get("flagged_weight"), 1, label="异常/投诉对象权重"),
    )


def _answer(value: str | None) -> bool | None:
    """A check point's radio: 符合 (``ok``), 不符合 (``bad``) or not answered (``None``)."""
    return {"ok": True, "bad": False}.get(value or "")


def result_input(post, checklist: list[str]) -> ResultInput:
    """The results form (检查结果录入): each checklist point 符合, 不符合 or not answered (the
    service asks for it: nothing is pre-selected) with its note, the date, the outcome, the
    findings and the case number."""
    answers = [{"point": p, "ok": _answer(post.get(f"point_{n}")), "note": post.get(f"note_{n}", "")}
               for n, p in enumerate(checklist)]
    return ResultInput(inspected_on=parse_date(post.get("inspected_on", "")), outcome=post.get("outcome", ""),
                       answers=answers, findings=post.get("findings", ""), case_number=post.get("case_number", ""))


def result_form_values(inspection: Inspection, checklist: list[str], posted, problems: list | None = None) -> dict:
    """What the results form shows: what was just sent (a refusal keeps every answer), else the
    result already recorded (to correct it before publication), else nothing chosen — no point
    符合 and no outcome until the inspector says so (finding 5: one tap must not record a clean
    inspection nobody made). ``problems`` (``rules.ResultProblem``) go next to their point or
    field: ``points`` are ``(n, point, ok, note, error)``, ``errors`` the other fields' messages."""
    errors: dict = {}
    for p in problems or []:
        key = p.point if p.point is not None else p.field
        errors.setdefault(key, p.message)
    if posted is not None:
        points = [(n, p, _answer(posted.get(f"point_{n}")), posted.get(f"note_{n}", "")) for n, p in enumerate(checklist)]
        values = {k: posted.get(k, "") for k in ("inspected_on", "outcome", "findings", "case_number")}
    else:
        recorded = {a.get("point"): a for a in inspection.answers if isinstance(a, dict)}
        points = [(n, p, recorded[p].get("ok") if p in recorded else None, recorded.get(p, {}).get("note", ""))
                  for n, p in enumerate(checklist)]
        values = {"inspected_on": inspection.inspected_on.isoformat() if inspection.inspected_on else clock.today().isoformat(),
                  "outcome": inspection.outcome, "findings": inspection.findings, "case_number": inspection.case_number}
    return {"points": [(n, p, ok, note, errors.get(n, "")) for n, p, ok, note in points],
            "values": values, "errors": {k: v for k, v in errors.items() if isinstance(k, str)}}
