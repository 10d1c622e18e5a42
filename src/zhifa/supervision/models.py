"""Supervision data (执法监督): case files (卷宗), evaluation sheets, plans, samples, evaluations,
supervision notices. Data and constraints only."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.cases.models import Case
from zhifa.registry.models import Body, Jurisdiction

from .rules import notices as notice_rules
from .rules import scoring


def _file_path(instance, filename):  # pragma: no cover - files are saved with explicit names
    return f"case_files/{filename}"


class CaseFile(models.Model):
    """One binding version of a closed case's file (卷宗装订版本): ordered contents, the evidence
    listed by hash, the binding hash (recorded on the case's chain), the PDF of the whole file.
    Never changed once bound, except the PDF and page numbers filled in when it is first made
    (deferred rendering); a correction binds a new version and the old one stays readable."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="case_files")
    version = models.PositiveSmallIntegerField("装订版本")
    bound_on = models.DateField("装订日期")
    bound_at = models.DateTimeField("装订时间")
    bound_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="装订人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    bound_by_name = models.CharField("装订人姓名", max_length=80, blank=True)
    reason = models.CharField("重新装订原因", max_length=200, blank=True)
    contents = models.JSONField("卷内文件", default=list)
    evidence = models.JSONField("证据清单（按摘要列明）", default=list)
    notes = models.JSONField("备考表", default=dict)
    binding_sha256 = models.CharField("装订摘要", max_length=64)
    page_count = models.PositiveIntegerField("页数", null=True, blank=True)
    pdf = models.FileField("卷宗 PDF", max_length=255, blank=True, upload_to=_file_path)
    pdf_sha256 = models.CharField("卷宗 PDF 的 SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = "卷宗"
        verbose_name_plural = verbose_name
        ordering = ["case_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="supervision_casefile_version_unique")]

    def __str__(self) -> str:
        return f"{self.case.number or self.case_id} 卷宗第{self.version}版"


class EvaluationSheet(models.Model):
    """An evaluation sheet version (评查表版本): its content as data (``rules.scoring``). A draft
    may be edited; a published version never changes (a change is a new version)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    code = models.CharField("评查表编号", max_length=40)
    version = models.PositiveSmallIntegerField("版本")
    name = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField("评查表内容")
    published_on = models.DateField("发布日期", null=True, blank=True)

    class Meta:
        verbose_name = "案卷评查表"
        verbose_name_plural = verbose_name
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="supervision_sheet_version_unique")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版，{self.get_status_display()}）"

    @property
    def stream(self) -> str:
        return f"sheet:{self.code}"


class EvaluationPlan(models.Model):
    """An evaluation plan (案卷评查计划) of the supervision office: the period of closing, the
    bodies, the number of files per body, the sheet version and the grade cut-offs."""

    name = models.CharField("计划名称", max_length=100)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="组织评查的区划", on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey(EvaluationSheet, verbose_name="评查表", on_delete=models.PROTECT, related_name="plans")
    period_start = models.DateField("结案起始日期")
    period_end = models.DateField("结案截止日期")
    bodies = models.ManyToManyField(Body, verbose_name="被评查主体", related_name="evaluation_plans")
    files_per_body = models.PositiveSmallIntegerField("每个主体抽取案卷数")
    excellent = models.DecimalField("优秀线", max_digits=5, decimal_places=1, default=scoring.DEFAULT_EXCELLENT)
    passing = models.DecimalField("合格线", max_digits=5, decimal_places=1, default=scoring.DEFAULT_PASS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_on = models.DateField("制定日期")
    double_blind = models.BooleanField("双盲评查", default=False,
                                       help_text="评查人看不到被评查主体和执法人员，被评查主体在结果公布前看不到评查人")
    results_published_on = models.DateField("评查结果公布日期", null=True, blank=True)

    class Meta:
        verbose_name = "案卷评查计划"
        verbose_name_plural = verbose_name
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def stream(self) -> str:
        return f"evalplan:{self.pk}"


class Sample(models.Model):
    """A verifiable random sample (随机抽取) of one plan's closed case files: the frozen pool and
    the commitment first, then the witness value, the revealed secret, the seed and the files."""

    class State(models.TextChoices):
        COMMITTED = "committed", "名单已冻结"
        DRAWN = "drawn", "已抽取"

    plan = models.ForeignKey(EvaluationPlan, verbose_name="评查计划", on_delete=models.PROTECT, related_name="samples")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.COMMITTED)
    pool = models.TextField("冻结名单")
    pool_sha256 = models.CharField("名单摘要", max_length=64)
    size = models.PositiveIntegerField("抽取数量")
    commitment = models.CharField("承诺值", max_length=64)
    secret = models.CharField("秘密值（抽取后公开）", max_length=64)
    witness = models.CharField("见证值", max_length=100, blank=True)
    seed = models.CharField("种子", max_length=64, blank=True)
    drawn = models.JSONField("抽中的案件", default=list)
    committed_at = models.DateTimeField("冻结时间")
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)

    class Meta:
        verbose_name = "案卷抽取"
        verbose_name_plural = verbose_name
        ordering = ["-committed_at", "-id"]

    @property
    def stream(self) -> str:
        return f"sample:{self.pk}"


class Evaluation(models.Model):
    """One evaluation (评查) of one bound case file against a published sheet version: the
    veto findings, the deductions per item with comments, the score and grade. ``self`` is the
    body's self-evaluation (自评), ``office`` the supervision office's (cross-)evaluation."""

    class Kind(models.TextChoices):
        SELF = "self", "自评"
        OFFICE = "office", "评查"

    class State(models.TextChoices):
        ASSIGNED = "assigned", "待评查"
        SUBMITTED = "submitted", "已提交"

    case_file = models.ForeignKey(CaseFile, verbose_name="卷宗", on_delete=models.PROTECT, related_name="evaluations")
    body = models.ForeignKey(Body, verbose_name="被评查主体", on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey(EvaluationSheet, verbose_name="评查表", on_delete=models.PROTECT, related_name="evaluations")
    plan = models.ForeignKey(EvaluationPlan, verbose_name="评查计划", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="evaluations")
    kind = models.CharField("类别", max_length=8, choices=Kind.choices, default=Kind.OFFICE)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评查人", on_delete=models.PROTECT, related_name="+")
    evaluator_name = models.CharField("评查人姓名", max_length=80, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.ASSIGNED)
    prechecks = models.JSONField("自动预检结果", default=dict)
    vetoes = models.JSONField("否决项", default=dict)
    items = models.JSONField("评查项", default=dict)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=10, blank=True, choices=list(scoring.GRADE_LABELS.items()))
    comments = models.TextField("总体评价", blank=True)
    created_on = models.DateField("指派日期")
    submitted_on = models.DateField("提交日期", null=True, blank=True)

    class Meta:
        verbose_name = "案卷评查"
        verbose_name_plural = verbose_name
        ordering = ["-created_on", "-id"]
        indexes = [models.Index(fields=["body", "state"]), models.Index(fields=["plan", "body"])]

    @property
    def stream(self) -> str:
        return f"evaluation:{self.pk}"


class SupervisionNotice(models.Model):
    """A supervision notice (行政执法监督通知书 / 意见书 / 案卷评查单) to a body and its
    rectification loop (``rules.notices``)."""

    kind = models.CharField("种类", max_length=30)
    title = models.CharField("名称", max_length=40)
    number = models.CharField("编号", max_length=40, db_index=True)
    body = models.ForeignKey(Body, verbose_name="被监督主体", on_delete=models.PROTECT, related_name="supervision_notices")
    issuer = models.ForeignKey(Jurisdiction, verbose_name="监督机构所在区划", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=20, choices=[("evaluation", "案卷评查"), ("alert", "预警"),
                                                            ("complaint", "投诉举报"), ("inspection", "监督检查")])
    evaluation = models.ForeignKey(Evaluation, verbose_name="所涉评查", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="notices")
    case = models.ForeignKey(Case, verbose_name="所涉案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField("发现的问题")
    basis = models.CharField("依据", max_length=300)
    rectify = models.TextField("整改要求")
    issued_on = models.DateField("下发日期")
    due = models.DateField("反馈期限")
    state = models.CharField("状态", max_length=10, default=notice_rules.ISSUED, choices=list(notice_rules.STATE_LABELS.items()))
    closed_on = models.DateField("办结日期", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    served_on = models.DateField("送达日期", null=True, blank=True)
    # The notice as a document of the set (notice_document.py): PDF and DOCX with their SHA-256.
    pdf = models.FileField("文书 PDF", max_length=255, blank=True, upload_to=_file_path)
    pdf_sha256 = models.CharField("PDF 的 SHA-256", max_length=64, blank=True)
    docx = models.FileField("文书 DOCX", max_length=255, blank=True, upload_to=_file_path)
    docx_sha256 = models.CharField("DOCX 的 SHA-256", max_length=64, blank=True)
    # Escalation of an overdue notice (逾期督办, rules.notices.escalation_step): reminded, then escalated.
    reminded_on = models.DateField("催办日期", null=True, blank=True)
    escalated_on = models.DateField("报请处理日期", null=True, blank=True)
    escalated_to = models.CharField("报请对象", max_length=200, blank=True)

    class Meta:
        verbose_name = "行政执法监督通知书"
        verbose_name_plural = verbose_name
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["body", "state"]), models.Index(fields=["state", "due"])]

    @property
    def stream(self) -> str:
        return f"notice:{self.pk}"


class NoticeStep(models.Model):
    """One step of a notice's loop: a response with its evidence, an acceptance, a send-back."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("环节", max_length=12)
    on = models.DateField("日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("经办人", max_length=80, blank=True)
    text = models.TextField("内容", blank=True)
    evidence = models.JSONField("整改证明材料", default=list)

    class Meta:
        verbose_name = "监督通知书办理环节"
        verbose_name_plural = verbose_name
        ordering = ["notice_id", "id"]


class AccountabilityRecord(models.Model):
    """An accountability record (问责记录, R39): its source, the persons concerned, the finding,
    the outcome (corrected, exempted, held accountable) and the exemption decision."""

    body = models.ForeignKey(Body, verbose_name="所涉主体", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=20, choices=[("evaluation", "案卷评查"), ("alert", "预警"),
                                                            ("complaint", "投诉举报"), ("notice", "监督通知书")])
    evaluation = models.ForeignKey(Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(SupervisionNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_ref = models.CharField("来源说明", max_length=100, blank=True)
    persons = models.ManyToManyField("registry.Officer", verbose_name="涉及人员", related_name="accountability_records")
    finding = models.TextField("认定的问题")
    state = models.CharField("状态", max_length=20, default="open")
    ground = models.CharField("免责（容错）情形", max_length=40, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome_text = models.TextField("处理结果", blank=True)
    opened_on = models.DateField("立项日期")
    decided_on = models.DateField("决定日期", null=True, blank=True)

    class Meta:
        verbose_name = "问责与免责记录"
        verbose_name_plural = verbose_name
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["body", "state"])]

    @property
    def stream(self) -> str:
        return f"accountability:{self.pk}"


from .models_assessment import AssessmentScore, AssessmentSnapshot, ManualAssessmentItem  # noqa: E402,F401
from .models_alerts import Alert, AlertStep, NoOccurrenceMark  # noqa: E402,F401  (alerts, R33)
# Statistics aggregates (R34) live in their own module; imported here so Django sees them.
from .models_statistics import StatBodyMonthly, StatDaily, StatFact, StatMonthly, StatState  # noqa: E402,F401
