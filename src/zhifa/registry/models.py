"""The registry of who may enforce (R01–R08): jurisdictions, bodies, officers, certificates,
training, assignments, delegations, and the supervision posts that see a jurisdiction."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Jurisdiction(models.Model):
    """行政区划: a node of the tree city → county → township (R02).

    ``path`` is the materialized path of codes (``/650200/650203/650203001/``) so that a
    supervisor's subtree is one indexed prefix query on SQLite and PostgreSQL alike.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县（市、区）"
        TOWNSHIP = "township", "镇（街道）"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField("路径", max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = verbose_name
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Body(models.Model):
    """行政执法主体 (R01): an organ or organization with power to enforce, published by default."""

    class Kind(models.TextChoices):
        STATUTORY = "statutory", "法定行政机关"
        AUTHORIZED = "authorized", "法律法规授权组织"
        ENTRUSTED = "entrusted", "受委托组织"

    class Sector(models.TextChoices):
        MARKET = "market", "市场监管"
        URBAN = "urban", "城市管理"
        ECOLOGY = "ecology", "生态环境"
        TRANSPORT = "transport", "交通运输"
        EMERGENCY = "emergency", "应急管理"
        AGRICULTURE = "agriculture", "农业农村"
        CULTURE = "culture", "文化旅游"
        HEALTH = "health", "卫生健康"
        NATURAL_RESOURCES = "natural_resources", "自然资源"
        HOUSING = "housing", "住房城乡建设"
        WATER = "water", "水利"
        COMPREHENSIVE = "comprehensive", "综合行政执法"
        OTHER = "other", "其他"

    code = models.CharField("主体编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True, help_text="用于文号，如“示市监”")
    kind = models.CharField("主体类型", max_length=12, choices=Kind.choices, default=Kind.STATUTORY)
    sector = models.CharField("执法领域", max_length=20, choices=Sector.choices, default=Sector.OTHER)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="所属区划", on_delete=models.PROTECT, related_name="bodies")
    parent_department = models.ForeignKey(
        "self", verbose_name="上级业务主管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="subordinates",
        help_text="乡镇综合行政执法机构对应的县级部门，可提级审核、提级办理",
    )
    entrusted_by = models.ForeignKey(
        "self", verbose_name="委托机关", null=True, blank=True, on_delete=models.PROTECT, related_name="entrustees",
        help_text="受委托组织以委托机关名义实施，后果由委托机关承担",
    )
    legal_representative = models.CharField("法定代表人", max_length=40)
    powers = models.TextField("执法权限", blank=True)
    legal_basis = models.TextField("设立及执法依据", blank=True)
    responsibility_boundary = models.TextField("职能边界", blank=True, help_text="R02：与相关部门的职责分工，避免推诿或重复执法")
    address = models.CharField("办公地址", max_length=200)
    supervision_phone = models.CharField("监督电话", max_length=40)
    supervision_email = models.EmailField("监督邮箱", blank=True)
    is_township_bureau = models.BooleanField("乡镇（街道）综合行政执法机构", default=False)
    # What its decisions tell the party (APL art.59 (四)(五)): data per body; empty → derived from the
    # seat (the people's government and court there, ARL art.24, ALL art.18) and the general channel.
    reconsideration_body = models.CharField("行政复议机关", max_length=100, blank=True,
                                            help_text="决定书告知的复议机关全称；空则为所在地县级以上人民政府")
    litigation_court = models.CharField("管辖人民法院", max_length=100, blank=True,
                                        help_text="决定书告知的人民法院全称；空则为所在地人民法院")
    payment_account = models.CharField("罚没款缴纳渠道", max_length=200, blank=True,
                                       help_text="开户银行、账户名称和账号，或者非税收入缴款平台；空则为“指定银行或者非税收入电子缴款平台”")
    is_published = models.BooleanField("已公示", default=True)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "行政执法主体"
        verbose_name_plural = verbose_name
        ordering = ["jurisdiction__path", "code"]
        indexes = [models.Index(fields=["jurisdiction", "is_active"]), models.Index(fields=["sector"])]

    def __str__(self) -> str:
        return self.name


class Officer(models.Model):
    """执法人员: a person of a body — certified officer, auxiliary staff (执法辅助人员, R05),
    legal reviewer (法制审核人员, R06) or head. Staff users are linked to their officer record."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在岗"
        LEFT = "left", "离岗"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="officer")
    body = models.ForeignKey(Body, verbose_name="所属主体", on_delete=models.PROTECT, related_name="officers")
    name = models.CharField("姓名", max_length=40)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    staff_no = models.CharField("工号", max_length=32, blank=True)
    position = models.CharField("职务", max_length=60, blank=True)
    is_auxiliary = models.BooleanField("执法辅助人员", default=False)
    is_legal_reviewer = models.BooleanField("法制审核人员", default=False)
    has_legal_qualification = models.BooleanField("具有国家统一法律职业资格", default=False)
    is_head = models.BooleanField("主体负责人", default=False)
    enforcement_experience_years = models.PositiveSmallIntegerField("执法工作年限", default=0)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField("入职（录用）日期", null=True, blank=True)
    left_on = models.DateField("离岗（清退）日期", null=True, blank=True)
    left_reason = models.CharField("离岗原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = verbose_name
        ordering = ["body_id", "name", "id"]
        indexes = [
            models.Index(fields=["body", "status"]),
            models.Index(fields=["name"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["body", "staff_no"], condition=~Q(staff_no=""), name="officer_unique_staff_no"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        if self.is_head:
            return "负责人"
        if self.is_legal_reviewer:
            return "法制审核人员"
        if self.is_auxiliary:
            return "执法辅助人员"
        return "执法人员"


class Certificate(models.Model):
    """行政执法证 (R04). ``status`` records what an authority did (suspend, revoke); expiry is
    derived from ``expires_on`` by ``rules.certificate_state`` so it never goes stale."""

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        SUSPENDED = "suspended", "暂扣"
        REVOKED = "revoked", "注销/吊销"

    class RevocationReason(models.TextChoices):
        TRANSFER = "transfer", "调离执法岗位"
        DISMISSAL = "dismissal", "辞退或开除"
        RESIGNATION = "resignation", "辞职"
        RETIREMENT = "retirement", "退休"
        MISCONDUCT = "misconduct", "违法违纪吊销"
        OTHER = "other", "其他"

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField("证件编号", max_length=32, unique=True)
    issuer = models.CharField("发证机关", max_length=100, blank=True)
    exam_score = models.DecimalField("考试成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    exam_passed_on = models.DateField("考试通过日期", null=True, blank=True)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.VALID)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    revocation_reason = models.CharField("注销原因", max_length=12, choices=RevocationReason.choices, blank=True)
    status_note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "行政执法证"
        verbose_name_plural = verbose_name
        ordering = ["-issued_on", "id"]
        indexes = [models.Index(fields=["officer", "-issued_on"]), models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return self.number


class TrainingRecord(models.Model):
    """培训记录 (R07): hours count toward the yearly minimum of the year of ``held_on``."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField("培训名称", max_length=120)
    provider = models.CharField("组织单位", max_length=100, blank=True)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = verbose_name
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["officer", "held_on"])]

    def __str__(self) -> str:
        return f"{self.officer} {self.title}"


class Assignment(models.Model):
    """借调及从事非执法工作 (R08): officers are dedicated to enforcement; any other use is
    recorded here and flagged while it runs."""

    class Kind(models.TextChoices):
        SECONDMENT = "secondment", "借调"
        NON_ENFORCEMENT = "non_enforcement", "从事非执法工作"

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    organization = models.CharField("去向单位/工作", max_length=120)
    reason = models.CharField("事由", max_length=200, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    approved_by = models.CharField("批准机关", max_length=100, blank=True)

    class Meta:
        verbose_name = "借调与非执法岗位安排"
        verbose_name_plural = verbose_name
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["officer", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.officer} {self.get_kind_display()}"


class SupervisionPost(models.Model):
    """A supervision-office user (司法局行政执法监督科) and the jurisdiction they supervise:
    they see every body in its subtree."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.CASCADE, related_name="supervision_post")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="监督区划", on_delete=models.PROTECT, related_name="supervisors")
    office = models.CharField("所在机构", max_length=100)
    name = models.CharField("姓名", max_length=40)

    class Meta:
        verbose_name = "执法监督人员"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.office} {self.name}"
