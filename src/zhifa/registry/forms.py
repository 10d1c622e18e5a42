"""Forms of the registry pages: list filters (筛选), the health-view filter and the import form.

Forms only parse and validate input; querysets offered as choices are always already scoped
through ``access`` by the view that builds the form. Labels and messages are Chinese.
"""
from __future__ import annotations

from django import forms

from . import access
from .models import Body, Jurisdiction
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


IMPORT_KINDS = [("officers", "执法人员名册"), ("items", "执法事项清单（权责清单）")]
IMPORT_EXTENSIONS = (".xls", ".xlsx", ".ods", ".csv")
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    """导入执法人员名册或执法事项清单."""

    kind = forms.ChoiceField(label="导入内容", choices=IMPORT_KINDS, widget=forms.RadioSelect)
    body = BodyChoiceField(label="所属主体", queryset=Body.objects.none(), empty_label="请选择主体",
                           help_text="导入的人员或事项归属于该主体；只能选择您有权维护的主体。")
    file = forms.FileField(label="文件", help_text="支持 .xlsx、.xls、.ods、.csv，最大 20 MB；第一行为表头。")
    dry_run = forms.BooleanField(label="试运行：只检查，不写入", required=False, initial=True,
                                 help_text="建议先试运行，确认无错误后取消勾选再正式导入。")

    def __init__(self, *args, actor: access.Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = manageable_bodies(actor)
        self.fields["kind"].error_messages["required"] = "请选择导入内容。"
        self.fields["body"].error_messages.update(required="请选择所属主体。", invalid_choice="所选主体不存在或您无权维护。")
        self.fields["file"].error_messages.update(required="请选择要上传的文件。", empty="上传的文件是空的。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError("文件格式不支持：请上传 .xlsx、.xls、.ods 或 .csv 文件。")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件超过 20 MB，请拆分后分批导入。")
        return upload


def manageable_bodies(actor: access.Actor):
    """Bodies whose registry data the actor may change (``access.can_manage_body``)."""
    qs = Body.objects.select_related("jurisdiction").filter(is_active=True)
    if actor.is_admin:
        return qs
    if actor.has(access.Role.HEAD) and actor.body_id is not None:
        return qs.filter(pk=actor.body_id)
    return qs.none()


def officer_role_filter(role: str):
    """The queryset filter of a role choice of ``OfficerFilterForm``."""
    return {
        "officer": {"is_auxiliary": False, "is_head": False, "is_legal_reviewer": False},
        "auxiliary": {"is_auxiliary": True},
        "reviewer": {"is_legal_reviewer": True},
        "head": {"is_head": True},
    }.get(role, {})


__all__ = [
    "BodyFilterForm", "OfficerFilterForm", "HealthFilterForm", "ImportForm", "manageable_bodies",
    "officer_role_filter",
]
