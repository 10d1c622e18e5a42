"""Forms of the registry pages: list filters (筛选), the health-view filter and the import form.

Forms only parse and validate input; querysets offered as choices are always already scoped
through ``access`` by the view that builds the form. Labels and messages are Chinese.
"""
from __future__ import annotations

from decimal import Decimal

from django import forms

from . import access
from .models import Assignment, Body, Certificate, Jurisdiction
from .rules import CertificateState, FlagKind

ANY = [("", "全部")]


def _mark(field: forms.Field, css: str) -> forms.Field:
    """A layout hint read by ``partials/field.html`` (``grow`` = a wide search box)."""
    field.css = css
    return field


class SearchInput(forms.TextInput):
    input_type = "search"


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Body) -> str:
        return obj.name


class JurisdictionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Jurisdiction) -> str:
        return "　" * max(obj.depth, 0) + obj.name


class BodyFilterForm(forms.Form):
    """筛选执法主体."""

    q = _mark(forms.CharField(label="关键词", required=False, max_length=100,
                              widget=SearchInput(attrs={"placeholder": "名称、简称或编码"})), "grow")
    jurisdiction = JurisdictionChoiceField(label="所属区划", queryset=Jurisdiction.objects.none(), required=False, empty_label="全部")
    sector = forms.ChoiceField(label="执法领域", choices=ANY + list(Body.Sector.choices), required=False)
    kind = forms.ChoiceField(label="主体类型", choices=ANY + list(Body.Kind.choices), required=False)

    def __init__(self, *args, jurisdictions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions if jurisdictions is not None else Jurisdiction.objects.all()


OFFICER_ROLE_CHOICES = [
    ("officer", "执法人员"),
    ("auxiliary", "执法辅助人员"),
    ("reviewer", "法制审核人员"),
    ("head", "主体负责人"),
]
CERT_STATE_CHOICES = [(s.value, s.label) for s in CertificateState]
STATUS_CHOICES = [("active", "在岗"), ("left", "离岗"), ("all", "全部")]


class OfficerFilterForm(forms.Form):
    """筛选执法人员."""

    q = _mark(forms.CharField(label="关键词", required=False, max_length=100,
                              widget=SearchInput(attrs={"placeholder": "姓名、工号或执法证号"})), "grow")
    body = BodyChoiceField(label="所属主体", queryset=Body.objects.none(), required=False, empty_label="全部")
    role = forms.ChoiceField(label="人员类别", choices=ANY + OFFICER_ROLE_CHOICES, required=False)
    cert = forms.ChoiceField(label="执法证状态", choices=ANY + CERT_STATE_CHOICES, required=False)
    status = forms.ChoiceField(label="在岗状态", choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Body.objects.none()


class HealthFilterForm(forms.Form):
    """筛选队伍健康度预警."""

    body = BodyChoiceField(label="执法主体", queryset=Body.objects.none(), required=False, empty_label="全部")
    jurisdiction = JurisdictionChoiceField(label="行政区划", queryset=Jurisdiction.objects.none(), required=False, empty_label="全部")
    kind = forms.ChoiceField(label="预警类型", choices=ANY + [(k.value, k.label) for k in FlagKind], required=False)

    def __init__(self, *args, bodies=None, jurisdictions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Body.objects.none()
        if jurisdictions is None:
            del self.fields["jurisdiction"]
        else:
            self.fields["jurisdiction"].queryset = jurisdictions


IMPORT_EXTENSIONS = (".xls", ".xlsx", ".ods", ".csv")


class ImportForm(forms.Form):
    """数据导入: every kind the actor may import (``import_jobs.kind_choices``); the body only for
    the kinds that use one (required for power lists and discretion tables, the default body of
    an officer list)."""

    kind = forms.ChoiceField(label="导入内容", choices=(), widget=forms.RadioSelect)
    body = BodyChoiceField(label="所属主体", queryset=Body.objects.none(), required=False, empty_label="请选择主体",
                           help_text="导入权责清单、裁量基准时必选；导入执法人员时，表中未写所属主体编码的行归入该主体。")
    file = forms.FileField(label="文件")
    dry_run = forms.BooleanField(label="试运行：只检查，不写入", required=False, initial=True,
                                 help_text="建议先试运行，确认无错误后再正式导入（任务页上可直接“正式导入”，无需重新上传）。")

    def __init__(self, *args, actor: access.Actor, **kwargs):
        from zhifa.core.imports import max_upload_bytes

        from .import_jobs import import_bodies, kind_choices

        super().__init__(*args, **kwargs)
        self.choices = {c.kind: c for c in kind_choices(actor)}
        self.fields["kind"].choices = [(c.kind, c.label) for c in self.choices.values()]
        self.fields["body"].queryset = import_bodies(actor)
        self.max_bytes = max_upload_bytes()
        self.fields["file"].help_text = f"支持 .xlsx、.xls、.ods、.csv，最大 {self.max_bytes // (1024 * 1024)} MB；表头上方可有标题行。"
        self.fields["kind"].error_messages.update(required="请选择导入内容。", invalid_choice="所选导入内容不存在或您无权导入。")
        self.fields["body"].error_messages.update(invalid_choice="所选主体不存在或您无权维护。")
        self.fields["file"].error_messages.update(required="请选择要上传的文件。", empty="上传的文件是空的。")

    @property
    def body_free_kinds(self) -> list[str]:
        """Kinds without a body (the page hides the body field for them)."""
        return [kind for kind, c in self.choices.items() if not c.uses_body]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError("文件格式不支持：请上传 .xlsx、.xls、.ods 或 .csv 文件。")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(f"文件超过 {self.max_bytes // (1024 * 1024)} MB，请拆分后分批导入。")
        return upload

    def clean(self):
        data = super().clean()
        choice = self.choices.get(data.get("kind") or "")
        if choice is not None:
            if choice.body == "required" and not data.get("body") and "body" not in self.errors:
                self.add_error("body", "请选择所属主体。")
            if not choice.uses_body:
                data["body"] = None
        return data


def manageable_bodies(actor: access.Actor):
    """Bodies whose registry data the actor may change (``access.can_manage_body``)."""
    qs = Body.objects.select_related("jurisdiction").filter(is_active=True)
    if actor.is_admin:
        return qs
    if actor.has(access.Role.HEAD) and actor.body_id is not None:
        return qs.filter(pk=actor.body_id)
    return qs.none()


# --- Write forms (heads and the administrator): they parse; the services decide ------------

class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text,
                           error_messages={"required": f"请填写{label}。", "invalid": "日期格式应为 YYYY-MM-DD。"})


def _text(label: str, max_length: int, *, required: bool = False, textarea: bool = False, **kwargs) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 2}) if textarea else None
    field = forms.CharField(label=label, max_length=max_length, required=required, widget=widget,
                            error_messages={"required": f"请填写{label}。", "max_length": f"{label}不超过{max_length}个字。"}, **kwargs)
    return _mark(field, "wide") if textarea else field


def _choice(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "请选择")] + list(choices),
                             error_messages={"required": f"请选择{label}。", "invalid_choice": f"请从列表中选择{label}。"})


class WriteForm(forms.Form):
    """A write form: ``service_kwargs()`` is what the service takes, besides the ids and ``actor``."""

    title = ""
    effect = ""
    confirm = ""

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, "不得包含空字符。")
        return data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class RevokeCertificateForm(WriteForm):
    title = "注销执法证"
    effect = "调离执法岗位、辞退、辞职、退休等情形，应注销其行政执法证（R04）。注销后不能恢复，只能重新发证。"
    confirm = "确定注销该执法证？注销后不能恢复。"
    reason = _choice("注销原因", Certificate.RevocationReason.choices)
    on = _date("注销日期", required=False, help_text="不填为今天。")
    note = _text("说明", 200, textarea=True)


class SuspendCertificateForm(WriteForm):
    title = "暂扣执法证"
    effect = "暂扣期间持证人不得从事行政执法活动（行政处罚法第四十二条）。"
    on = _date("暂扣日期", required=False, help_text="不填为今天。")
    note = _text("暂扣事由", 200, required=True, textarea=True)


class RestoreCertificateForm(WriteForm):
    title = "恢复执法证"
    effect = "解除暂扣，执法证在有效期内恢复有效。"
    note = _text("说明", 200, textarea=True)


class IssueCertificateForm(WriteForm):
    title = "发放（换发）执法证"
    effect = "执法资格考试合格后发放行政执法证；换发的新证自发证日起为当前执法证。执法辅助人员不发证（R05）。"
    number = _text("证件编号", 32, required=True)
    issuer = _text("发证机关", 100)
    exam_score = forms.DecimalField(label="考试成绩", required=False, max_digits=5, decimal_places=1, min_value=0, max_value=100,
                                    error_messages={"invalid": "请输入数字。", "min_value": "不得小于0。", "max_value": "不得大于100。",
                                                    "max_decimal_places": "最多1位小数。", "max_digits": "数值过大。"})
    exam_passed_on = _date("考试通过日期", required=False)
    issued_on = _date("发证日期")
    expires_on = _date("有效期至")

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] <= data["issued_on"]:
            self.add_error("expires_on", "有效期至应晚于发证日期。")
        return data


class TrainingForm(WriteForm):
    title = "登记培训"
    effect = "学时计入培训日期所在年度；每人每年不少于60学时（R07）。"
    name = _text("培训名称", 120, required=True)
    provider = _text("组织单位", 100)
    held_on = _date("培训日期")
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=Decimal("0.5"), max_value=200,
                               error_messages={"required": "请填写学时。", "invalid": "请输入数字。", "min_value": "学时应大于0。",
                                               "max_value": "单次培训不超过200学时。", "max_decimal_places": "最多1位小数。",
                                               "max_digits": "数值过大。"})

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["title"] = data.pop("name")
        return data


class AssignmentForm(WriteForm):
    title = "登记借调或非执法工作"
    effect = "执法人员应专职专用；借调或从事非执法工作期间列入队伍健康度预警（R08）。"
    kind = _choice("类型", Assignment.Kind.choices)
    organization = _text("去向单位/工作", 120, required=True)
    reason = _text("事由", 200)
    starts_on = _date("开始日期")
    ends_on = _date("结束日期", required=False, help_text="未定可不填。")
    approved_by = _text("批准机关", 100)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不得早于开始日期。")
        return data


class EndAssignmentForm(WriteForm):
    title = "结束安排"
    ends_on = _date("结束日期", required=False, help_text="不填为今天。")


class RegisterOfficerForm(WriteForm):
    title = "录用人员"
    effect = "录用执法人员或执法辅助人员，记录录用日期（R05）。执法证考试合格后在人员详情页发证。"
    name = _text("姓名", 40, required=True)
    is_auxiliary = forms.BooleanField(label="执法辅助人员（不发执法证，不得独立执法）", required=False)
    staff_no = _text("工号", 32)
    position = _text("职务", 60)
    id_number = _text("身份证号", 18)
    phone = _text("手机号", 20)
    joined_on = _date("录用日期")


class RemoveOfficerForm(WriteForm):
    title = "离岗 / 清退"
    effect = "记录离岗（辅助人员为清退）日期和原因；其有效或暂扣的执法证同时注销（R04、R05）。"
    confirm = "确定办理离岗？有效的执法证将同时注销。"
    reason = _choice("离岗原因", Certificate.RevocationReason.choices)
    left_on = _date("离岗日期", required=False, help_text="不填为今天。")
    note = _text("说明", 60)


__all__ = [
    "BodyFilterForm", "OfficerFilterForm", "HealthFilterForm", "ImportForm", "manageable_bodies",
    "RevokeCertificateForm", "SuspendCertificateForm", "RestoreCertificateForm",
    "IssueCertificateForm", "TrainingForm", "AssignmentForm", "EndAssignmentForm", "RegisterOfficerForm",
    "RemoveOfficerForm",
]
