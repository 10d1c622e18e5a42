"""The enforcement item catalogue (R09), basic level: what each body may enforce and on which
legal basis. Provisions, versions, benchmarks and lists build on it (legal-knowledge issue)."""
from __future__ import annotations

from django.db import models

from zhifa.registry.models import Body


class Item(models.Model):
    """行政执法事项: one power of a body — a penalty, a coercive measure, an inspection …"""

    class Kind(models.TextChoices):
        PENALTY = "penalty", "行政处罚"
        COERCION = "coercion", "行政强制"
        INSPECTION = "inspection", "行政检查"
        LICENSING = "licensing", "行政许可"
        LEVY = "levy", "行政征收"
        CHARGE = "charge", "行政收费"
        PAYMENT = "payment", "行政给付"
        CONFIRMATION = "confirmation", "行政确认"
        REWARD = "reward", "行政奖励"
        ADJUDICATION = "adjudication", "行政裁决"
        OTHER = "other", "其他行政权力"

    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=300)
    sub_name = models.CharField("子项名称", max_length=300, blank=True)
    kind = models.CharField("权力类型", max_length=14, choices=Kind.choices)
    legal_basis = models.TextField("实施依据")
    body = models.ForeignKey(Body, verbose_name="实施主体", on_delete=models.PROTECT, related_name="items")
    handling_unit = models.CharField("承办机构", max_length=120, blank=True)
    level = models.CharField("实施层级", max_length=60, blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    source = models.CharField("来源", max_length=200, blank=True, help_text="导入的清单文件及行号")
    source_seq = models.CharField("清单序号", max_length=20, blank=True)

    class Meta:
        verbose_name = "行政执法事项"
        verbose_name_plural = verbose_name
        ordering = ["body_id", "code"]
        indexes = [
            models.Index(fields=["body", "kind"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.name}（{self.sub_name}）" if self.sub_name else self.name
