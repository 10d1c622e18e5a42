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
    # Item versions (R09): a revised item is a new row that ``supersedes`` the old one. ``code`` is
    # still unique, so a new version needs its own code until ``unique(code, version)`` lands.
    version = models.PositiveIntegerField("版本", default=1)
    supersedes = models.ForeignKey(
        "self",
        verbose_name="取代的旧版本",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
    )

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


# --------------------------------------------------------------------------------------------
# Legal provisions (R09) — laws, their versions and articles; items linked to the articles that
# found them. Owned by the legal-provisions work; benchmarks and lists go in their own section.
# --------------------------------------------------------------------------------------------


class Law(models.Model):
    """法律规范 (one version of a law, regulation or rule).

    Several versions of one law coexist, keyed by ``(title, version_date)``; a version is in force
    on day *d* when ``effective_from <= d`` and (``repealed_on`` is empty or ``d < repealed_on``).
    Which version a case applies is decided by APL art.37 (``catalog.laws.choose_version``).
    """

    class Level(models.TextChoices):
        LAW = "law", "法律"
        ADMIN_REGULATION = "admin_regulation", "行政法规"
        LOCAL_REGULATION = "local_regulation", "地方性法规"
        RULE = "rule", "规章"

    title = models.CharField("名称", max_length=200)
    short_title = models.CharField("简称", max_length=200, help_text="去掉“中华人民共和国”前缀的名称")
    level = models.CharField("效力层级", max_length=20, choices=Level.choices)
    issuing_organ = models.CharField("制定机关", max_length=200, blank=True)
    version_date = models.DateField("版本日期", help_text="最近一次通过、修订或修正的日期")
    effective_from = models.DateField("施行日期")
    repealed_on = models.DateField("失效日期", null=True, blank=True, help_text="自该日起不再施行")
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="被下列版本取代",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    history = models.TextField("制定与修改沿革", blank=True)
    source = models.CharField("来源文件", max_length=300, blank=True)

    class Meta:
        verbose_name = "法律规范"
        verbose_name_plural = verbose_name
        ordering = ["short_title", "-version_date"]
        constraints = [
            models.UniqueConstraint(fields=["title", "version_date"], name="law_unique_title_version"),
        ]
        indexes = [models.Index(fields=["short_title", "version_date"])]

    def __str__(self) -> str:
        return f"《{self.title}》（{self.version_date:%Y-%m-%d}）"

    def in_force_on(self, day) -> bool:
        return self.effective_from <= day and (self.repealed_on is None or day < self.repealed_on)


class Provision(models.Model):
    """法律依据 / 条款: one article (条) of one law version, with its text and dates.

    ``number`` is the article number (第一百零三条 → 103); ``sub_number`` is the 之N of an inserted
    article (第二十八条之一 → 28, 1). Dates are copied from the law version when it is loaded or
    superseded, so that provisions in force on a day can be queried directly.
    """

    law = models.ForeignKey(Law, verbose_name="法律规范", on_delete=models.CASCADE, related_name="provisions")
    number = models.PositiveIntegerField("条号")
    sub_number = models.PositiveSmallIntegerField("之几", default=0)
    label = models.CharField("条文序号", max_length=30, help_text="如“第二十八条之一”")
    chapter = models.CharField("章", max_length=100, blank=True)
    section = models.CharField("节", max_length=100, blank=True)
    text = models.TextField("条文")
    effective_from = models.DateField("施行日期")
    repealed_on = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        verbose_name = "法律条款"
        verbose_name_plural = verbose_name
        ordering = ["law_id", "number", "sub_number"]
        constraints = [
            models.UniqueConstraint(fields=["law", "number", "sub_number"], name="provision_unique_article"),
        ]

    def __str__(self) -> str:
        return f"《{self.law.short_title}》{self.label}"

    @property
    def citation(self) -> str:
        """The citation used in documents, e.g. 《中华人民共和国行政处罚法》第二十九条."""
        return f"《{self.law.title}》{self.label}"


class ItemProvision(models.Model):
    """An item's legal basis resolved to an article: the violated provision (违法条款), the penalty
    provision (处罚条款) or another basis (其他依据)."""

    class Role(models.TextChoices):
        VIOLATED = "violated", "违法条款"
        PENALTY = "penalty", "处罚条款"
        OTHER = "other", "其他依据"

    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.CASCADE, related_name="item_provisions")
    provision = models.ForeignKey(
        Provision, verbose_name="条款", on_delete=models.CASCADE, related_name="item_provisions"
    )
    role = models.CharField("作用", max_length=10, choices=Role.choices)
    paragraph = models.PositiveSmallIntegerField("款", default=0, help_text="0 表示整条")
    cited_as = models.CharField("原文引用", max_length=200, blank=True)

    class Meta:
        verbose_name = "事项依据条款"
        verbose_name_plural = verbose_name
        ordering = ["item_id", "role", "provision_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "provision", "paragraph", "role"], name="itemprovision_unique"
            ),
        ]
