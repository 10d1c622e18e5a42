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
    level = models.CharField("实施层级", max_length=300, blank=True, help_text="实施层级及权限，可有多级（市级、区级）")
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


class Delegation(models.Model):
    """赋权 / 委托 (R03): a township or park enforces an item of another body within a period.

    Delegation (赋权) transfers the power by decision of the province; the township acts in its
    own name. Entrustment (委托) keeps it with the entrusting body, in whose name the entrusted
    organization acts (APL arts.20–21). The model lived in ``registry`` until the registry↔catalog
    seam was healed: it keeps its table (``registry_delegation``) and its index name.
    """

    class Kind(models.TextChoices):
        DELEGATION = "delegation", "赋权"
        ENTRUSTMENT = "entrustment", "委托"

    kind = models.CharField("方式", max_length=12, choices=Kind.choices)
    from_body = models.ForeignKey(Body, verbose_name="原实施主体", on_delete=models.PROTECT, related_name="delegations_out")
    to_body = models.ForeignKey(Body, verbose_name="承接主体", on_delete=models.PROTECT, related_name="delegations_in")
    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="delegations")
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    document_ref = models.CharField("依据文件", max_length=200, blank=True)
    revoked_on = models.DateField("收回日期", null=True, blank=True)

    class Meta:
        db_table = "registry_delegation"
        verbose_name = "赋权与委托事项"
        verbose_name_plural = verbose_name
        ordering = ["to_body_id", "item_id"]
        indexes = [models.Index(fields=["to_body", "item", "valid_from"], name="registry_de_to_body_177548_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.from_body} → {self.to_body}"

    @property
    def stream(self) -> str:
        return f"delegation:{self.pk}"


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


# --------------------------------------------------------------------------------------------
# Discretion benchmarks (R10) and the three lists (R11–R13). The legal logic is in
# ``catalog/rules.py``; these tables hold its content as data with citations and dates.
# --------------------------------------------------------------------------------------------

from zhifa.catalog import rules as _rules  # noqa: E402

_PENALTY_KIND_CHOICES = [(k.value, k.label) for k in _rules.PenaltyKind]
_MONEY = {"max_digits": 16, "decimal_places": 4, "null": True, "blank": True}


class Benchmark(models.Model):
    """裁量基准: one version of the graded penalties of one item. Only published versions apply
    (APL art.34); a draft is visible to its own body only."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已公布"
        WITHDRAWN = "withdrawn", "已废止"

    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.CASCADE, related_name="benchmarks")
    body = models.ForeignKey(Body, verbose_name="制定主体", on_delete=models.PROTECT, related_name="benchmarks")
    version = models.CharField("版本", max_length=60)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField("公布日期", null=True, blank=True)
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="含当日")
    title = models.CharField("基准文件", max_length=300, blank=True, help_text="所依据的裁量基准文件名称及条目，用于说理引用")
    legal_basis = models.TextField("处罚依据", blank=True)
    statutory_min = models.DecimalField("法定最低罚款（元或倍数）", **_MONEY)
    statutory_max = models.DecimalField("法定最高罚款（元或倍数）", **_MONEY)
    lighter_fraction = models.DecimalField("从轻幅度比例", max_digits=4, decimal_places=3, default="0.300",
                                           help_text="从轻处罚在档次幅度较低的该比例部分内")
    lighter_citation = models.CharField("从轻依据", max_length=300, default=_rules.GUOBAN_2022_27)
    heavier_fraction = models.DecimalField("从重幅度比例", max_digits=4, decimal_places=3, default="0.300")
    heavier_citation = models.CharField("从重依据", max_length=300, default=_rules.GUOBAN_2022_27)
    mitigation_floor = models.DecimalField("减轻处罚下限比例", max_digits=4, decimal_places=3, default="0.000",
                                           help_text="减轻处罚罚款不低于法定最低额乘以该比例")
    mitigation_citation = models.CharField("减轻依据", max_length=300, default=_rules.GUOBAN_2022_27)
    multi_grade_citation = models.CharField("多档情节从重依据", max_length=300, blank=True)
    raise_grade_citation = models.CharField("上调档次依据", max_length=300, blank=True)
    source = models.CharField("来源", max_length=300, blank=True, help_text="导入的文件、工作表及行号")
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = verbose_name
        ordering = ["item_id", "-valid_from", "version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="benchmark_unique_item_version")]
        indexes = [models.Index(fields=["item", "status", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.item.name}（{self.version}）"


class BenchmarkGrade(models.Model):
    """裁量档次: circumstances (裁量情节) → penalty kinds and amount (裁量标准)."""

    class Basis(models.TextChoices):
        FIXED = "fixed", "固定金额（元）"
        ILLEGAL_GAINS = "illegal_gains", "违法所得的倍数"
        GOODS_VALUE = "goods_value", "货值金额的倍数"
        OTHER = "other", "其他基数的倍数"

    benchmark = models.ForeignKey(Benchmark, verbose_name="裁量基准", on_delete=models.CASCADE, related_name="grades")
    order = models.PositiveSmallIntegerField("档次序号")
    name = models.CharField("档次", max_length=40, help_text="如 轻微、一般、较重、严重，或“第1档”")
    conditions = models.TextField("裁量情节", blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, help_text="行政处罚法第九条所列种类的代码")
    amount_basis = models.CharField("罚款计算方式", max_length=14, choices=Basis.choices, default=Basis.FIXED)
    basis_label = models.CharField("计罚基数名称", max_length=60, blank=True, help_text="如 建设项目总投资额、所收费用")
    amount_min = models.DecimalField("罚款下限（元或倍数）", **_MONEY)
    amount_max = models.DecimalField("罚款上限（元或倍数）", **_MONEY)
    confiscate_gains = models.BooleanField("没收违法所得", default=False)
    confiscate_property = models.BooleanField("没收非法财物", default=False)
    other_penalties = models.TextField("其他处罚及措施", blank=True)
    standard_text = models.TextField("裁量标准（原文）", blank=True)

    class Meta:
        verbose_name = "裁量档次"
        verbose_name_plural = verbose_name
        ordering = ["benchmark_id", "order"]
        constraints = [models.UniqueConstraint(fields=["benchmark", "order"], name="grade_unique_order")]

    def __str__(self) -> str:
        return self.name


class Factor(models.Model):
    """裁量情节: a mitigating or aggravating circumstance of a benchmark, with its effect."""

    benchmark = models.ForeignKey(Benchmark, verbose_name="裁量基准", on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField("类别", max_length=12, choices=[(k.value, k.label) for k in _rules.FactorKind])
    code = models.CharField("代码", max_length=40)
    description = models.CharField("情节", max_length=300)
    effect = models.CharField("效果", max_length=22, choices=[(e.value, e.label) for e in _rules.Effect])
    citation = models.CharField("依据", max_length=300)
    mandatory = models.BooleanField("应当（否则为可以）", default=False)

    class Meta:
        verbose_name = "裁量情节"
        verbose_name_plural = verbose_name
        ordering = ["benchmark_id", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["benchmark", "code"], name="factor_unique_code")]

    def __str__(self) -> str:
        return self.description


class ExemptionEntry(models.Model):
    """免罚轻罚清单 (R11): an item that goes unpunished, or is punished less, under conditions."""

    body = models.ForeignKey(Body, verbose_name="制定主体", on_delete=models.PROTECT, related_name="exemption_entries")
    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="exemption_entries")
    act = models.CharField("违法行为", max_length=300, help_text="清单所列违法行为（原文）")
    kind = models.CharField("类别", max_length=14, choices=[(k.value, k.label) for k in _rules.ExemptionKind])
    conditions = models.TextField("适用情形")
    violated = models.TextField("违反条款", blank=True)
    citation = models.CharField("依据", max_length=300)
    requires_first_offence = models.BooleanField("须首次违法", default=False)
    requires_correction = models.BooleanField("须及时改正", default=True)
    max_harm = models.CharField("危害后果不超过", max_length=10, choices=[(h.value, h.label) for h in _rules.Harm],
                                default=_rules.Harm.SLIGHT.value)
    excluded_in_sensitive_area = models.BooleanField("生态环境敏感区不适用", default=False)
    valid_from = models.DateField("施行日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True)
    is_published = models.BooleanField("已公布", default=True)
    source = models.CharField("来源", max_length=300, blank=True)

    class Meta:
        verbose_name = "免罚轻罚清单事项"
        verbose_name_plural = "免罚轻罚清单"
        ordering = ["body_id", "id"]
        indexes = [models.Index(fields=["item", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.act}"


class LegalReviewRule(models.Model):
    """重大执法决定法制审核清单 (R12): which decisions of a body need legal review. A rule
    applies when every condition it sets holds (item, penalty kind, amount, hearing, trigger)."""

    body = models.ForeignKey(Body, verbose_name="制定主体", on_delete=models.PROTECT, related_name="legal_review_rules")
    item = models.ForeignKey(Item, verbose_name="执法事项（空为全部）", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="legal_review_rules")
    description = models.CharField("审核情形", max_length=300)
    penalty_kinds = models.JSONField("处罚种类（任一）", default=list, blank=True)
    threshold_person = models.DecimalField("自然人罚没金额达到（元）", **_MONEY)
    threshold_organisation = models.DecimalField("组织罚没金额达到（元）", **_MONEY)
    requires_hearing = models.BooleanField("经过听证", default=False)
    trigger = models.CharField("其他情形", max_length=24, blank=True,
                               choices=[(t.value, t.label) for t in _rules.ReviewTrigger])
    citation = models.CharField("依据", max_length=300)
    is_published = models.BooleanField("已公布", default=True)

    class Meta:
        verbose_name = "法制审核清单事项"
        verbose_name_plural = "重大执法决定法制审核清单"
        ordering = ["body_id", "id"]

    def __str__(self) -> str:
        return self.description


class RecordingRule(models.Model):
    """音像记录事项目录 (R13): acts that must, or should, be recorded on video. A rule without a
    body applies to every body (the national default of 国办发〔2018〕118号)."""

    class Level(models.TextChoices):
        MUST = "must", "应当全程音像记录"
        SHOULD = "should", "根据实际情况音像记录"

    body = models.ForeignKey(Body, verbose_name="制定主体（空为通用）", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="recording_rules")
    act_kind = models.CharField("执法行为", max_length=30, choices=list(_rules.ACT_KIND_LABELS.items()))
    level = models.CharField("要求", max_length=6, choices=Level.choices)
    citation = models.CharField("依据", max_length=300)

    class Meta:
        verbose_name = "音像记录事项"
        verbose_name_plural = "音像记录事项目录"
        ordering = ["body_id", "act_kind"]
        constraints = [models.UniqueConstraint(fields=["body", "act_kind"], name="recording_unique_act")]

    def __str__(self) -> str:
        return f"{self.get_act_kind_display()}：{self.get_level_display()}"
