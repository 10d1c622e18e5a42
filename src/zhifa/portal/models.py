"""The portal's own data: complaints and reports by the public (投诉举报, R35) and the case
guidance library (执法案例指导, R41). Everything else the portal shows is read from the other
apps' ``public.py``."""
from __future__ import annotations

from django.db import models

from zhifa.registry.models import Body

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
