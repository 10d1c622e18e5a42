"""Alerts (预警, R33): one row per cause found by a rule of the published catalogue
(``alert_rules.toml``), with its evidence, its links (case, transfer, officer, item) and its state;
every change of state is an ``AlertStep`` and an entry on ``alert:<id>``. Also the marks that an
item of a power list is not expected to occur (预计不发生), which exclude it from the zero-case rule.
Data and constraints only (imported at the end of ``models.py``)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.catalog.models import Item
from zhifa.registry.models import Body, Officer

from .rules import alerts as alert_rules


class Alert(models.Model):
    """预警: raised by a rule (code and version) for a cause (``key``, unique while live)."""

    rule = models.CharField("预警规则", max_length=40)
    rule_version = models.PositiveSmallIntegerField("规则版本")
    key = models.CharField("去重键", max_length=200)
    body = models.ForeignKey(Body, verbose_name="所涉主体", on_delete=models.PROTECT, related_name="alerts")
    case = models.ForeignKey(Case, verbose_name="所涉案件", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    transfer = models.ForeignKey("transfers.Transfer", verbose_name="所涉移送", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="alerts")
    officer = models.ForeignKey(Officer, verbose_name="所涉执法人员", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="alerts")
    item = models.ForeignKey(Item, verbose_name="所涉执法事项", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    message = models.TextField("预警内容")
    evidence = models.JSONField("依据数据（数字与同类案件）", default=dict)
    state = models.CharField("状态", max_length=10, default=alert_rules.OPEN, choices=list(alert_rules.STATE_LABELS.items()))
    raised_on = models.DateField("预警日期")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    notice = models.ForeignKey("supervision.SupervisionNotice", verbose_name="转成的监督通知书", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="alerts")

    class Meta:
        verbose_name = "执法监督预警"
        verbose_name_plural = verbose_name
        ordering = ["-raised_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["key"], condition=Q(state__in=alert_rules.LIVE),
                                               name="supervision_alert_key_live_unique")]
        indexes = [models.Index(fields=["body", "state", "raised_on"]), models.Index(fields=["rule", "state"]),
                   models.Index(fields=["state", "raised_on"]), models.Index(fields=["case", "state"]),
                   models.Index(fields=["raised_on"]), models.Index(fields=["closed_on"]),
                   models.Index(fields=["key", "state"])]  # a converted or dismissed cause is not raised again

    def __str__(self) -> str:
        return f"{self.rule} {self.message[:30]}"

    @property
    def stream(self) -> str:
        return f"alert:{self.pk}"


class AlertStep(models.Model):
    """One step of an alert: raised, closed (cause gone), converted, contested, upheld, dismissed."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("环节", max_length=12)
    on = models.DateField("日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("经办人", max_length=80, blank=True)
    text = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "预警办理环节"
        verbose_name_plural = verbose_name
        ordering = ["alert_id", "id"]


class NoOccurrenceMark(models.Model):
    """预计不发生: an item of a body's power list marked as not expected to occur (with the reason
    and the approving head), so the zero-case rule does not flag it; withdrawn by a later act."""

    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="no_occurrence_marks")
    body = models.ForeignKey(Body, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("理由")
    approver = models.CharField("批准人", max_length=80)
    marked_on = models.DateField("标注日期")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)

    class Meta:
        verbose_name = "预计不发生的执法事项"
        verbose_name_plural = verbose_name
        ordering = ["-marked_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["item"], condition=Q(withdrawn_on__isnull=True),
                                               name="supervision_no_occurrence_item_unique")]

    @property
    def stream(self) -> str:
        return f"nooccurrence:{self.pk}"
