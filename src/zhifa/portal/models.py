"""The portal's own data: complaints and reports by the public (投诉举报, R35) and the case
guidance library (执法案例指导, R41). Everything else the portal shows is read from the other
apps' ``public.py``."""
from __future__ import annotations

from django.db import models

from zhifa.registry.models import Body, Jurisdiction, Officer

from . import rules
from .rules import ACTIONS, STATE_LABELS, Kind, State


class Complaint(models.Model):
    """A complaint or report about an enforcement act or a body, filed on the portal. The
    complainant's identity (``reporter_*``) is never shown to the body's staff (SAMR20 art.33);
    the public follows the complaint by its ``tracking_code``."""

    class Kinds(models.TextChoices):
        COMPLAINT = Kind.COMPLAINT.value, "投诉"
        REPORT = Kind.REPORT.value, "举报"

    class States(models.TextChoices):
        RECEIVED = State.RECEIVED.value, STATE_LABELS[State.RECEIVED]
        ACCEPTED = State.ACCEPTED.value, STATE_LABELS[State.ACCEPTED]
        REJECTED = State.REJECTED.value, STATE_LABELS[State.REJECTED]
        HANDLED = State.HANDLED.value, STATE_LABELS[State.HANDLED]
        ANSWERED = State.ANSWERED.value, STATE_LABELS[State.ANSWERED]
        ABUSIVE = State.ABUSIVE.value, STATE_LABELS[State.ABUSIVE]

    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    kind = models.CharField("类别", max_length=10, choices=Kinds.choices)
    body = models.ForeignKey(Body, verbose_name="被投诉举报的执法主体", on_delete=models.PROTECT, related_name="complaints")
    act_reference = models.CharField("执法行为（文书编号或行为码）", max_length=60, blank=True)
    subject = models.CharField("标题", max_length=100)
    facts = models.TextField("事实和理由")
    request = models.TextField("具体请求", blank=True)
    known_on = models.DateField("知道或者应当知道的日期", null=True, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    reporter_name = models.CharField("姓名", max_length=40, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=20, blank=True)
    reporter_address = models.CharField("通讯地址", max_length=120, blank=True)
    reporter_email = models.EmailField("电子邮箱", blank=True)
    source_hash = models.CharField("来源地址摘要", max_length=64, db_index=True)
    received_at = models.DateTimeField("登记时间")
    received_on = models.DateField("登记日期")
    accept_due = models.DateField("受理决定期限")
    state = models.CharField("状态", max_length=10, choices=States.choices, default=States.RECEIVED)
    decided_on = models.DateField("受理决定日期", null=True, blank=True)
    handling_note = models.TextField("处理情况", blank=True)
    answer = models.TextField("答复", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    state_reason = models.TextField("不予受理或标记滥用的理由", blank=True)
    finding = models.CharField("处理结论", max_length=16, blank=True, choices=list(rules.FINDINGS.items()))
    contact = models.ForeignKey("ContactPoint", verbose_name="联系点或特邀监督员渠道", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="complaints")

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = verbose_name
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["body", "state", "-received_at"]),
            models.Index(fields=["source_hash", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.subject}"

    @property
    def state_enum(self) -> State:
        return State(self.state)

    @property
    def allowed_actions(self) -> list[str]:
        return [name for name, action in ACTIONS.items() if self.state_enum in action.sources]


class GuidanceCase(models.Model):
    """A selected case of the guidance library (执法案例指导, R41): the case, its points of law
    and the provisions applied; edited by the administrator, shown on the portal once published."""

    number = models.CharField("指导案例编号", max_length=30, unique=True)
    title = models.CharField("标题", max_length=120)
    body = models.ForeignKey(Body, verbose_name="发布机关", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="guidance_cases")
    domain = models.CharField("执法领域", max_length=40)
    keywords = models.CharField("关键词", max_length=120, blank=True, help_text="以顿号或空格分隔")
    summary = models.TextField("基本案情")
    points_of_law = models.TextField("执法要点")
    legal_basis = models.TextField("相关法条")
    published_on = models.DateField("发布日期")
    is_published = models.BooleanField("已发布", default=True)

    class Meta:
        verbose_name = "执法指导案例"
        verbose_name_plural = verbose_name
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["is_published", "-published_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ActRating(models.Model):
    """The party's rating of an enforcement act (行政执法评议), once per act, given with the act's
    code (``core.act_codes``) printed on the documents served to it."""

    act_kind = models.CharField("执法行为类别", max_length=10, choices=[("case", "行政处罚"), ("inspection", "行政检查")])
    act_id = models.PositiveBigIntegerField("执法行为编号")
    body = models.ForeignKey(Body, verbose_name="执法主体", on_delete=models.PROTECT, related_name="act_ratings")
    level = models.CharField("评议结果", max_length=16, choices=list(rules.RATING_LEVELS.items()))
    aspects = models.JSONField("需要改进的方面", default=list, blank=True)
    reasons = models.TextField("理由", blank=True)
    source_hash = models.CharField("来源地址摘要", max_length=64, db_index=True)
    rated_at = models.DateTimeField("评议时间")
    rated_on = models.DateField("评议日期")

    class Meta:
        verbose_name = "执法评议"
        verbose_name_plural = verbose_name
        ordering = ["-rated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["act_kind", "act_id"], name="portal_one_rating_per_act")]
        indexes = [models.Index(fields=["body", "rated_on"])]

    def __str__(self) -> str:
        return f"{self.act_kind}:{self.act_id} {self.get_level_display()}"

    @property
    def aspect_labels(self) -> list[str]:
        return [rules.RATING_ASPECTS.get(a, a) for a in self.aspects or []]


class WorkPlan(models.Model):
    """A body's plan or procedure filed with the supervision office (执法计划备案, R42)."""

    body = models.ForeignKey(Body, verbose_name="执法主体", on_delete=models.PROTECT, related_name="work_plans")
    kind = models.CharField("类别", max_length=16, choices=list(rules.PLAN_KINDS.items()))
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=120)
    content = models.TextField("内容")
    state = models.CharField("状态", max_length=10, choices=list(rules.PLAN_STATES.items()), default="filed")
    filed_by = models.ForeignKey(Officer, verbose_name="报送人", on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField("报送日期")
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    review_reason = models.TextField("退回理由或审查意见", blank=True)

    class Meta:
        verbose_name = "执法计划备案"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-filed_on", "-id"]
        indexes = [models.Index(fields=["state", "body", "-year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Article(models.Model):
    """A law-popularisation article (普法文章, 谁执法谁普法): written by an officer, reviewed by the
    body's head or legal reviewer before it is published on the portal."""

    body = models.ForeignKey(Body, verbose_name="发布机关", on_delete=models.PROTECT, related_name="articles")
    title = models.CharField("标题", max_length=120)
    summary = models.CharField("摘要", max_length=300, blank=True)
    content = models.TextField("正文")
    state = models.CharField("状态", max_length=10, choices=list(rules.ARTICLE_STATES.items()), default="submitted")
    author = models.ForeignKey(Officer, verbose_name="作者", on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("提交日期")
    reviewer = models.ForeignKey(Officer, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    review_note = models.TextField("审核意见", blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)

    class Meta:
        verbose_name = "普法文章"
        verbose_name_plural = verbose_name
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["state", "-published_on"]), models.Index(fields=["body", "state"])]

    def __str__(self) -> str:
        return self.title


class ContactPoint(models.Model):
    """An enterprise contact point of a body (行政执法监督企业联系点) or a special supervisor of a
    jurisdiction (特邀行政执法监督员), with its term; it files through its own channel code."""

    kind = models.CharField("类别", max_length=12, choices=list(rules.CONTACT_KINDS.items()))
    body = models.ForeignKey(Body, verbose_name="联系的执法主体", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="contact_points")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称或姓名", max_length=80)
    organisation = models.CharField("单位或行业", max_length=120, blank=True)
    term_start = models.DateField("聘期起")
    term_end = models.DateField("聘期止")
    channel_code = models.CharField("专用渠道码", max_length=16, unique=True)
    ended_on = models.DateField("提前终止日期", null=True, blank=True)
    end_reason = models.TextField("终止理由", blank=True)

    class Meta:
        verbose_name = "企业联系点和特邀监督员"
        verbose_name_plural = verbose_name
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["kind", "term_end"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"
