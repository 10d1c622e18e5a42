"""Annual assessment data (年度执法考核, R36): the stored snapshots of a computation and the
manual items entered by the supervision office. Data and constraints only."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.registry.models import Body, Jurisdiction


class AssessmentSnapshot(models.Model):
    """One computation of a year's assessment (考核快照) over the bodies of a jurisdiction subtree
    (all bodies when ``jurisdiction`` is empty): the configuration it used (with its version), the
    hash of every input and of the results. Never changed: a recomputation is a new snapshot, and
    recomputing over unchanged data gives the same ``inputs_sha256`` and ``results_sha256``."""

    year = models.PositiveSmallIntegerField("考核年度")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="考核范围（区划）", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    config_version = models.CharField("指标版本", max_length=20)
    config = models.JSONField("指标配置")
    inputs_sha256 = models.CharField("输入摘要", max_length=64)
    results_sha256 = models.CharField("结果摘要", max_length=64)
    computed_at = models.DateTimeField("计算时间")
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="计算人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    body_count = models.PositiveIntegerField("主体数", default=0)

    class Meta:
        verbose_name = "年度考核快照"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-computed_at", "-id"]
        indexes = [models.Index(fields=["year", "-computed_at"], name="sup_assess_snap_year")]

    @property
    def stream(self) -> str:
        return f"assessment:{self.year}"


class AssessmentScore(models.Model):
    """One body's line of a snapshot: each component's value, points and source link, the manual
    points, the total, the rank and last year's total (year-on-year)."""

    snapshot = models.ForeignKey(AssessmentSnapshot, on_delete=models.CASCADE, related_name="scores")
    body = models.ForeignKey(Body, verbose_name="主体", on_delete=models.PROTECT, related_name="+")
    components = models.JSONField("各项指标")
    manual = models.DecimalField("人工加减分", max_digits=7, decimal_places=2, default=0)
    total = models.DecimalField("总分", max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField("排名")
    previous_total = models.DecimalField("上年总分", max_digits=7, decimal_places=2, null=True, blank=True)
    previous_rank = models.PositiveIntegerField("上年排名", null=True, blank=True)

    class Meta:
        verbose_name = "年度考核得分"
        verbose_name_plural = verbose_name
        ordering = ["snapshot_id", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "body"], name="sup_assess_score_unique")]
        indexes = [models.Index(fields=["body", "snapshot"], name="sup_assess_score_body")]


class ManualAssessmentItem(models.Model):
    """A manual item (人工考核项) the office enters for a body and a year: points added or
    deducted, with the reason and the evidence it rests on; recorded on ``assessment-manual:<id>``.
    Never edited: a correction is a new item with the opposite points and its own reason."""

    body = models.ForeignKey(Body, verbose_name="主体", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("考核年度")
    title = models.CharField("事项", max_length=100)
    points = models.DecimalField("加减分", max_digits=5, decimal_places=2)
    reason = models.TextField("理由")
    evidence = models.CharField("依据材料", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_by_name = models.CharField("录入人姓名", max_length=80, blank=True)
    entered_on = models.DateField("录入日期")

    class Meta:
        verbose_name = "人工考核项"
        verbose_name_plural = verbose_name
        ordering = ["year", "body_id", "id"]
        indexes = [models.Index(fields=["year", "body"], name="sup_assess_manual_year")]

    @property
    def stream(self) -> str:
        return f"assessment-manual:{self.pk}"
