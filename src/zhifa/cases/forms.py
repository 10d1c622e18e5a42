"""Forms of the case workbench (办案工作台): the list filter, case-source registration (案源登记)
and one small form per workflow action.

Forms only parse input into the keyword arguments of ``zhifa.cases.services``; every legal check
is the service's (a refusal lists all violations next to the form). Choices that depend on the
case (its body's officers, its open seizures, legal reviewers) are built from the case handed to
the form. Labels and messages are Chinese.
"""
from __future__ import annotations

from decimal import Decimal

from django import forms

from zhifa.catalog.models import Item
from zhifa.catalog.rules import PENALTY_KIND_LABELS
from zhifa.core.forms import DateInput
from zhifa.core.forms import mark as _mark
from zhifa.registry.models import Body, Officer

from . import workflow
from .models import Case, Evidence, LegalReview, Pause, Seizure, ServiceRecord
from .selectors import CaseFilter

ANY = [("", "全部")]
KIND_CHOICES = [(k.value, label) for k, label in PENALTY_KIND_LABELS.items()]
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


class SearchInput(forms.TextInput):
    input_type = "search"


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj.name}（{obj.position or ('法制审核' if obj.is_legal_reviewer else '执法人员')}）"


class OfficersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Officer) -> str:
        return obj.name


def _text(label: str, *, required: bool = False, rows: int = 3, help_text: str = "", max_length: int = 5000) -> forms.CharField:
    return _mark(forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                                 widget=forms.Textarea(attrs={"rows": rows})), "wide")


def _kinds(label: str = "处罚种类", required: bool = False) -> forms.MultipleChoiceField:
    return _mark(forms.MultipleChoiceField(label=label, choices=KIND_CHOICES, required=required,
                                           widget=forms.CheckboxSelectMultiple), "wide kinds")


def _money(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, **MONEY)


def _date(label: str, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _ints(text: str, label: str) -> list[int]:
    parts = [p for p in (text or "").replace("，", ",").replace("、", ",").split(",") if p.strip()]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise forms.ValidationError(f"{label}应为以逗号分隔的整数。") from None


def body_officers(body_id: int):
    """Active officers (not auxiliary staff) of one body, for the pickers."""
    return Officer.objects.filter(body_id=body_id, status=Officer.Status.ACTIVE, is_auxiliary=False).order_by("-is_head", "name", "pk")


# --- The list filter ----------------------------------------------------------------------

class CaseFilterForm(forms.Form):
    """筛选案件."""

    q = _mark(forms.CharField(label="关键词", required=False, max_length=100,
                              widget=SearchInput(attrs={"placeholder": "当事人或者案件编号"})), "grow")
    state = forms.ChoiceField(label="状态", choices=ANY + workflow.STATE_CHOICES, required=False)
    procedure = forms.ChoiceField(label="程序", choices=ANY + workflow.PROCEDURE_CHOICES, required=False)
    scope = forms.ChoiceField(label="范围", required=False, choices=[("", "权限范围内全部"), ("mine", "我承办的")])
    overdue = forms.BooleanField(label="只看已逾期", required=False)

    def case_filter(self) -> CaseFilter:
        """The filter of ``selectors.filter_cases`` (the API's ``GET /cases`` builds the same one);
        a field that does not validate filters nothing."""
        self.is_valid()
        data = self.cleaned_data
        return CaseFilter(q=data.get("q"), state=data.get("state") or None, procedure=data.get("procedure") or None,
                          mine=data.get("scope") == "mine", overdue=bool(data.get("overdue")))


# --- Registration (案源登记) ----------------------------------------------------------------

class RegisterForm(forms.Form):
    """案源登记 (or a simple-procedure case opened on the spot)."""

    procedure = forms.ChoiceField(label="程序", choices=workflow.PROCEDURE_CHOICES, initial="normal",
                                  help_text="简易程序仅适用于对公民处200元以下、对法人或者其他组织处3000元以下罚款或者警告（行政处罚法第五十一条）。")
    item = forms.ModelChoiceField(label="执法事项", queryset=Item.objects.none(), empty_label="请选择执法事项")
    source = forms.ChoiceField(label="案件来源", choices=Case.Source.choices, initial=Case.Source.INSPECTION)
    clue_received_on = _date("案源登记日期", help_text="默认今天")
    clue = _text("案源情况", rows=3)
    party_kind = forms.ChoiceField(label="当事人类型", choices=Case.PartyKind.choices)
    party_name = forms.CharField(label="当事人", max_length=120)
    party_id_code = forms.CharField(label="身份证号码或统一社会信用代码", max_length=18, required=False)
    party_address = forms.CharField(label="地址", max_length=200, required=False)
    party_phone = forms.CharField(label="电话", max_length=30, required=False)
    party_age = forms.IntegerField(label="年龄（自然人）", min_value=0, max_value=130, required=False)
    act_date = _date("违法行为发生日期", required=True)
    act_end_date = _date("违法行为终了日期", help_text="连续或者继续状态的违法行为")
    act_description = _text("违法行为", rows=3)
    safety_harm = forms.BooleanField(label="涉及生命健康安全、金融安全且有危害后果（追责期限五年）", required=False)
    party_mental_illness = forms.BooleanField(label="当事人为不能辨认或者控制自己行为的精神病人、智力残疾人", required=False)
    no_fault = forms.BooleanField(label="有证据足以证明当事人没有主观过错", required=False)
    officers = _mark(OfficersField(label="承办人员", queryset=Officer.objects.none(), required=False,
                                   help_text="可在立案时由负责人指定；简易程序须当场有两名持证执法人员。"), "wide")

    def __init__(self, *args, body_id: int | None = None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else Item.objects.none()
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.full_name}"
        self.fields["officers"].queryset = body_officers(body_id) if body_id else Officer.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("party_kind") == Case.PartyKind.ORGANISATION and data.get("party_age") is not None:
            self.add_error("party_age", "年龄只适用于自然人。")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "item_code": d["item"].code, "procedure": d["procedure"], "source": d["source"], "clue": d["clue"],
            "clue_received_on": d["clue_received_on"], "party_kind": d["party_kind"], "party_name": d["party_name"],
            "party_id_code": d["party_id_code"], "party_address": d["party_address"], "party_phone": d["party_phone"],
            "party_age": d["party_age"], "party_mental_illness": d["party_mental_illness"], "no_fault": d["no_fault"],
            "act_description": d["act_description"], "act_date": d["act_date"], "act_end_date": d["act_end_date"],
            "safety_harm": d["safety_harm"], "officer_ids": [o.pk for o in d["officers"]],
        }


# --- Action forms ---------------------------------------------------------------------------

class ActionForm(forms.Form):
    """Base of the action forms: ``case`` is handed in; ``service_kwargs`` maps the cleaned data
    to the keyword arguments of ``services.<action>``. ``multipart`` forms carry a file."""

    multipart = False
    confirm = ""  # a question asked before submitting (data-confirm), for irreversible acts

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.setup()

    def setup(self) -> None:
        pass

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class NoInputForm(ActionForm):
    pass


class FileForm(ActionForm):
    officers = _mark(OfficersField(label="承办人员（两名以上持证执法人员）", queryset=Officer.objects.none(), required=False,
                                   help_text="不选择则沿用登记时的承办人员。"), "wide")
    opinion = _text("审批意见")

    def setup(self):
        self.fields["officers"].queryset = body_officers(self.case.body_id)
        self.fields["officers"].initial = list(self.case.officers.values_list("pk", flat=True))

    def service_kwargs(self):
        return {"officer_ids": [o.pk for o in self.cleaned_data["officers"]], "opinion": self.cleaned_data["opinion"]}


class ReasonForm(ActionForm):
    reason = _text("理由", required=True)


class AssignForm(ActionForm):
    officers = _mark(OfficersField(label="承办人员（两名以上持证执法人员）", queryset=Officer.objects.none()), "wide")

    def setup(self):
        self.fields["officers"].queryset = body_officers(self.case.body_id)

    def service_kwargs(self):
        return {"officer_ids": [o.pk for o in self.cleaned_data["officers"]]}


class EvidenceForm(ActionForm):
    """登记证据 with an optional file (streamed to storage, SHA-256 computed by the service)."""

    multipart = True
    kind = forms.ChoiceField(label="种类", choices=Evidence.Kind.choices)
    title = forms.CharField(label="名称", max_length=120)
    act = forms.ChoiceField(label="所属执法行为", required=False, choices=[("", "—")] + [
        ("evidence", "调查取证"), ("inspection", "现场检查"), ("on_site", "现场执法"), ("seizure", "查封"),
        ("detention", "扣押"), ("hearing", "举行听证"), ("service_leaving", "留置送达"), ("service_notice", "公告送达"),
    ], help_text="音像记录须注明所记录的执法行为。")
    collected_on = _date("取证日期", help_text="默认今天")
    place = forms.CharField(label="地点", max_length=200, required=False)
    upload = _mark(forms.FileField(label="文件", required=False, help_text="照片、录音、录像或扫描件；大文件分块上传并计算 SHA-256。"), "wide")

    def service_kwargs(self):
        d = self.cleaned_data
        return {"kind": d["kind"], "title": d["title"], "act": d["act"], "place": d["place"],
                "collected_on": d["collected_on"], "upload": d["upload"]}


class PreserveForm(ActionForm):
    items = _text("先行登记保存的证据（每行一项）", required=True)

    def service_kwargs(self):
        return {"items": _lines(self.cleaned_data["items"])}


class MeasureForm(ActionForm):
    measure = _text("处理决定", required=True, help_text="如：解除保存、移交检验、依法没收等。")


class SeizeForm(ActionForm):
    kind = forms.ChoiceField(label="措施", choices=Seizure.Kind.choices)
    items = _text("财物清单（每行一项：名称，数量）", required=True)
    approved = forms.BooleanField(label="已经负责人批准", required=False, initial=True)
    emergency = forms.BooleanField(label="情况紧急，当场实施（24小时内补报批准）", required=False)

    def service_kwargs(self):
        items = []
        for line in _lines(self.cleaned_data["items"]):
            name, _, quantity = line.replace(",", "，").partition("，")
            items.append({"name": name.strip(), "quantity": quantity.strip()})
        return {"kind": self.cleaned_data["kind"], "items": items, "approved": self.cleaned_data["approved"],
                "emergency": self.cleaned_data["emergency"]}


class _SeizureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Seizure) -> str:
        names = "、".join(str(i.get("name", i)) if isinstance(i, dict) else str(i) for i in (obj.items or [])[:3])
        return f"{obj.get_kind_display()} {obj.decided_on:%Y-%m-%d}（至{obj.due:%Y-%m-%d}）{names}"


class SeizureIdForm(ActionForm):
    seizure = _SeizureChoice(label="查封、扣押", queryset=Seizure.objects.none(), empty_label=None)

    def setup(self):
        self.fields["seizure"].queryset = Seizure.objects.filter(case=self.case, released_on__isnull=True).order_by("decided_on", "pk")

    def service_kwargs(self):
        d = dict(self.cleaned_data)
        d["seizure_id"] = d.pop("seizure").pk
        return d


class SeizureReasonForm(SeizureIdForm):
    reason = _text("延长理由", required=True)


class TestingForm(SeizureIdForm):
    days = forms.IntegerField(label="检测、检验、鉴定期间（日）", min_value=1, max_value=365)


class PauseForm(ActionForm):
    kind = forms.ChoiceField(label="事由", choices=Pause.Kind.choices)
    start = _date("起始日期", help_text="默认今天")
    end = _date("结束日期", help_text="尚未结束的留空，结束时“恢复计算”")
    reason = forms.CharField(label="说明", max_length=200, required=False)


class ResumeForm(ActionForm):
    end = _date("结束日期", help_text="默认今天")


class ExtendForm(ActionForm):
    reason = _text("延长理由", required=True)
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365, required=False, help_text="默认30日")


class RecuseForm(ActionForm):
    officer = OfficerChoiceField(label="回避人员", queryset=Officer.objects.none(), empty_label=None)
    reason = _text("回避理由", required=True)
    replacements = _mark(OfficersField(label="替换人员", queryset=Officer.objects.none(), required=False), "wide")

    def setup(self):
        self.fields["officer"].queryset = self.case.officers.order_by("name", "pk")
        self.fields["replacements"].queryset = body_officers(self.case.body_id)

    def service_kwargs(self):
        d = self.cleaned_data
        return {"officer_id": d["officer"].pk, "reason": d["reason"], "replacement_ids": [o.pk for o in d["replacements"]]}


class _BodyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Body) -> str:
        return obj.name


class EscalateForm(ActionForm):
    to_body = _BodyChoice(label="上级执法主体", queryset=Body.objects.none(), empty_label="请选择")
    reason = _text("提级理由", required=True)

    def setup(self):
        # The bodies of the jurisdictions above this one (the service checks the level and competence).
        codes = [c for c in self.case.body.jurisdiction.path.split("/") if c]
        ancestors = ["/" + "/".join(codes[:n]) + "/" for n in range(1, len(codes))]
        qs = Body.objects.filter(is_active=True, jurisdiction__path__in=ancestors).exclude(pk=self.case.body_id)
        self.fields["to_body"].queryset = qs.order_by("jurisdiction__path", "code")

    def service_kwargs(self):
        return {"to_body_id": self.cleaned_data["to_body"].pk, "reason": self.cleaned_data["reason"]}


class EndInvestigationForm(ActionForm):
    report = _text("调查终结报告", required=True, rows=4)
    facts = _text("调查认定的事实", rows=3)
    proposed_kinds = _kinds("拟处罚种类")
    proposed_amount = _money("拟罚款金额（元）")
    illegal_gains = _money("违法所得（元）")
    goods_value = _money("货值金额（元）")

    def setup(self):
        self.fields["facts"].initial = self.case.facts or self.case.act_description


class ReviewCaseForm(ActionForm):
    opinion = _text("审核意见", required=True)
    is_major = forms.BooleanField(label="情节复杂或者重大违法行为（须集体讨论、法制审核）", required=False)


class MinutesForm(ActionForm):
    minutes = _text("笔录摘要", required=True, rows=4)


class RequestReviewForm(ActionForm):
    reviewer = OfficerChoiceField(label="法制审核人员", queryset=Officer.objects.none(), empty_label="请选择")

    def setup(self):
        bodies = {self.case.body_id, self.case.body.parent_department_id} - {None}
        self.fields["reviewer"].queryset = Officer.objects.filter(
            body_id__in=bodies, is_legal_reviewer=True, status=Officer.Status.ACTIVE).order_by("name", "pk")

    def service_kwargs(self):
        return {"reviewer_id": self.cleaned_data["reviewer"].pk}


class CompleteReviewForm(ActionForm):
    result = forms.ChoiceField(label="审核结论", choices=[("pass", "通过"), ("fail", "不通过")], widget=forms.RadioSelect)
    opinion = _text("审核意见", rows=4, help_text="不通过的，应当写明理由和意见。")

    def setup(self):
        for key in LegalReview.CHECKLIST:
            self.fields[f"check_{key}"] = _mark(forms.BooleanField(label=LegalReview.CHECKLIST_LABELS[key], required=False), "wide")

    def checklist_fields(self):
        return [self[f"check_{key}"] for key in LegalReview.CHECKLIST]

    def service_kwargs(self):
        d = self.cleaned_data
        return {"result": d["result"], "opinion": d["opinion"],
                "checklist": {key: d[f"check_{key}"] for key in LegalReview.CHECKLIST}}


class NotifyForm(ActionForm):
    kinds = _kinds("拟处罚种类", required=True)
    amount = _money("拟罚款金额（元）")
    new_facts = forms.BooleanField(label="基于新的事实或者证据重新告知", required=False)
    served_on = _date("告知书送达日期", help_text="默认今天")

    def setup(self):
        self.fields["kinds"].initial = self.case.proposed_kinds
        self.fields["amount"].initial = self.case.proposed_amount


class DefenceForm(ActionForm):
    statement = _text("陈述申辩内容", required=True, rows=4)
    accepted = forms.BooleanField(label="陈述申辩理由成立，予以采纳", required=False)


class HearingRequestForm(ActionForm):
    requested_on = _date("申请日期", help_text="默认今天")


class ScheduleHearingForm(ActionForm):
    chair = OfficerChoiceField(label="听证主持人（非本案调查人员）", queryset=Officer.objects.none(), empty_label="请选择")
    hearing_on = _date("听证日期", required=True, help_text="应当在举行听证的七日前通知当事人。")

    def setup(self):
        bodies = {self.case.body_id, self.case.body.parent_department_id} - {None}
        self.fields["chair"].queryset = Officer.objects.filter(
            body_id__in=bodies, status=Officer.Status.ACTIVE, is_auxiliary=False).order_by("name", "pk")

    def service_kwargs(self):
        return {"chair_id": self.cleaned_data["chair"].pk, "hearing_on": self.cleaned_data["hearing_on"]}


class HoldHearingForm(ActionForm):
    minutes = _text("听证笔录摘要", required=True, rows=4)
    party_absent = forms.BooleanField(label="当事人无正当理由拒不到场（视为放弃听证）", required=False)


class DecideForm(ActionForm):
    outcome = forms.ChoiceField(label="处理结果", choices=[("penalty", "给予行政处罚"), ("no_penalty", "不予行政处罚"),
                                                        ("transfer", "移送司法机关")])
    kinds = _kinds("处罚种类")
    amount = _money("罚款金额（元）")
    reasoning = _text("说理", required=True, rows=4)
    grades = forms.CharField(label="裁量阶次", required=False, max_length=100, help_text="按裁量基准的阶次编号，多个以逗号分隔。")
    factors = forms.CharField(label="裁量情节", required=False, max_length=400, help_text="裁量情节代码，多个以逗号分隔。")
    outside_benchmark_reason = _text("超出裁量基准的理由", rows=2)
    education = _text("对当事人的教育情况（不予处罚时必填，行政处罚法第三十三条第三款）", rows=2)
    confirm = "作出处理决定后将生成决定书内容，确定提交？"

    def setup(self):
        self.fields["kinds"].initial = self.case.proposed_kinds
        self.fields["amount"].initial = self.case.proposed_amount

    def clean_grades(self):
        return _ints(self.cleaned_data["grades"], "裁量阶次")

    def clean_factors(self):
        return [p.strip() for p in self.cleaned_data["factors"].replace("，", ",").split(",") if p.strip()]


class OnSpotForm(ActionForm):
    kinds = _kinds("处罚种类", required=True)
    amount = _money("罚款金额（元）")
    reasoning = _text("事实、理由和依据", required=True)
    statement = _text("当事人陈述申辩")
    confirm = "确认已出示执法证件、告知当事人处罚事由和权利并听取陈述申辩？"


class ServeForm(ActionForm):
    method = forms.ChoiceField(label="送达方式", choices=ServiceRecord.Method.choices)
    served_on = _date("送达日期", help_text="默认今天")
    consent = forms.BooleanField(label="当事人已同意并签订确认书（电子、传真送达）", required=False)


class DeferForm(ActionForm):
    new_due = _date("延期后的缴款期限", required=True)
    instalments = forms.IntegerField(label="分期数", min_value=1, max_value=36, initial=1)
    reason = _text("理由", required=True)


class PayForm(ActionForm):
    amount = _money("缴款金额（元）", required=True)
    paid_on = _date("缴款日期", help_text="默认今天")
    receipt = forms.CharField(label="票据号", max_length=40, required=False)

    def setup(self):
        due = (self.case.decision_amount or Decimal(0)) - (self.case.paid_amount or Decimal(0))
        if due > 0:
            self.fields["amount"].initial = due


class CorrectForm(ActionForm):
    kind = forms.ChoiceField(label="纠正方式", choices=[("revoke", "撤销决定"), ("amend", "变更决定"), ("void", "确认无效")],
                             widget=forms.RadioSelect)
    reason = _text("理由", required=True)
    kinds = _kinds("变更后的处罚种类")
    amount = _money("变更后的罚款金额（元）")
    confirm = "撤销或者变更已作出的决定，确定提交？"


class CloseForm(ActionForm):
    summary = _text("结案报告摘要")


class PresentOfficersForm(ActionForm):
    """R15: the officers present when credentials are shown or rights are told."""

    officers = _mark(OfficersField(label="在场执法人员（两名以上持证）", queryset=Officer.objects.none(), required=False,
                                   help_text="不选择则为本案承办人员。"), "wide")

    def setup(self):
        self.fields["officers"].queryset = body_officers(self.case.body_id)

    def service_kwargs(self):
        d = dict(self.cleaned_data)
        d["officer_ids"] = [o.pk for o in d.pop("officers") or []]
        return d


class ShowCredentialsForm(PresentOfficersForm):
    place = forms.CharField(label="地点", max_length=200, required=False)


class InformRightsForm(PresentOfficersForm):
    rights = _text("告知内容", help_text="不填则记录标准告知内容：陈述、申辩、听证、申请回避的权利和复议、诉讼途径。")


class EducationForm(ActionForm):
    content = _text("教育情况", required=True)


class ApproveSeizureForm(SeizureIdForm):
    approve = forms.TypedChoiceField(label="审批结论", choices=[("1", "批准"), ("0", "不予批准（立即解除）")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1")
    reason = _text("理由（不予批准时必填）")

    def setup(self):
        self.fields["seizure"].queryset = Seizure.objects.filter(case=self.case, released_on__isnull=True, emergency=True,
                                                                 approved_on__isnull=True).order_by("decided_on", "pk")


class DeferralRequestForm(ActionForm):
    reason = _text("当事人申请的理由（经济困难情况）", required=True)
    instalments = forms.IntegerField(label="申请分期数", min_value=1, max_value=36, initial=1)


class CollectForm(ActionForm):
    ground = forms.ChoiceField(label="当场收缴的情形", choices=[
        ("small", "一百元以下罚款（第六十八条第一项）"), ("hard_to_enforce", "不当场收缴事后难以执行（第六十八条第二项）"),
        ("remote", "边远、水上、交通不便地区，当事人提出（第六十九条）")])
    receipt = forms.CharField(label="专用票据号", max_length=40)
    amount = _money("收缴金额（元）")


class HandOverForm(ActionForm):
    handed_over_on = _date("交至机关日期", help_text="默认今天")


class RemedyForm(ActionForm):
    kind = forms.ChoiceField(label="类别", choices=[("reconsideration", "行政复议"), ("litigation", "行政诉讼")])
    start = _date("申请（起诉）日期", help_text="默认今天")


class EndRemedyForm(ActionForm):
    end = _date("终结日期", help_text="默认今天")
    result = forms.CharField(label="结果", max_length=200, required=False)


class PublishForm(ActionForm):
    published_on = _date("公示日期", help_text="默认今天")
    where = forms.CharField(label="公示平台", max_length=200, required=False)


FORMS: dict[str, type[ActionForm]] = {
    "file": FileForm, "decline": ReasonForm, "assign": AssignForm, "record_evidence": EvidenceForm,
    "preserve": PreserveForm, "decide_preservation": MeasureForm, "seize": SeizeForm,
    "extend_seizure": SeizureReasonForm, "record_testing": TestingForm, "release_seizure": SeizureIdForm,
    "pause": PauseForm, "resume": ResumeForm, "extend": ExtendForm, "recuse": RecuseForm, "escalate": EscalateForm,
    "end_investigation": EndInvestigationForm, "review_case": ReviewCaseForm, "collective_discussion": MinutesForm,
    "request_review": RequestReviewForm, "complete_review": CompleteReviewForm, "notify": NotifyForm,
    "record_defence": DefenceForm, "waive_defence": NoInputForm, "request_hearing": HearingRequestForm,
    "waive_hearing": NoInputForm, "schedule_hearing": ScheduleHearingForm, "hold_hearing": HoldHearingForm,
    "decide": DecideForm, "decide_on_spot": OnSpotForm, "serve": ServeForm, "defer_payment": DeferForm, "pay": PayForm,
    "remind": NoInputForm, "apply_court": NoInputForm, "correct": CorrectForm, "close": CloseForm, "archive": NoInputForm,
    "show_credentials": ShowCredentialsForm, "inform_rights": InformRightsForm, "record_education": EducationForm,
    "approve_seizure": ApproveSeizureForm, "request_deferral": DeferralRequestForm, "collect_on_spot": CollectForm,
    "hand_over_collection": HandOverForm, "record_remedy": RemedyForm, "end_remedy": EndRemedyForm, "publish": PublishForm,
    "withdraw_publication": ReasonForm,
}
assert set(FORMS) == set(workflow.BY_CODE), set(FORMS) ^ set(workflow.BY_CODE)


def action_form(code: str, case: Case, data=None, files=None) -> ActionForm:
    return FORMS[code](data, files, case=case, prefix=code)
