"""Double random, one public (双随机、一公开, R26–R30): one list, two databases, plans, tasks,
draws and inspection results."""
from __future__ import annotations

from django.db import models
from django.db.models import Lookup, Q

from zhifa.core.offline import OfflineReceiptFields
from zhifa.catalog.models import Item
from zhifa.registry.models import Body, Jurisdiction, Officer


# --- One list (一单): the inspection item list ------------------------------------------------

class InspectionItem(models.Model):
    """抽查事项清单: one item that may be spot-checked, with its legal basis, method, ratio,
    frequency and the checklist of points to inspect (R26)."""

    class Method(models.TextChoices):
        ON_SITE = "on_site", "现场检查"
        DOCUMENTS = "documents", "书面检查"
        ONLINE = "online", "网络监测"
        SAMPLING = "sampling", "抽样检测"

    class Category(models.TextChoices):
        KEY = "key", "重点检查事项"
        GENERAL = "general", "一般检查事项"

    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("抽查事项", max_length=200)
    item = models.ForeignKey(Item, verbose_name="对应行政检查事项", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspection_items", limit_choices_to={"kind": Item.Kind.INSPECTION})
    body = models.ForeignKey(Body, verbose_name="实施主体", on_delete=models.PROTECT, related_name="inspection_items")
    legal_basis = models.TextField("检查依据")
    method = models.CharField("检查方式", max_length=12, choices=Method.choices, default=Method.ON_SITE)
    category = models.CharField("事项类别", max_length=8, choices=Category.choices, default=Category.GENERAL)
    ratio_percent = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2, default=5)
    rounds_per_year = models.PositiveSmallIntegerField("每年抽查次数", default=1)
    checklist = models.JSONField("检查要点", default=list, blank=True, help_text="检查要点列表，每项一句话")
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "抽查事项"
        verbose_name_plural = "抽查事项清单"
        ordering = ["body_id", "code"]

    def __str__(self) -> str:
        return self.name


# --- Two databases (两库): entities and inspectors ----------------------------------------------

class BinaryCharField(models.CharField):
    """A ``CharField`` compared byte by byte: the ``"C"`` collation on PostgreSQL (SQLite's
    default ``BINARY`` already is). Codes sort the same in the database and in Python."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class Entity(models.Model):
    """检查对象名录库: a market entity that may be inspected, keyed by its unified social credit
    code (统一社会信用代码, GB 32100). Bulk-imported (``zhifa import entities``).

    Shaped for bulk loading (R26: an import at least half as fast as a plain ``COPY``): the credit
    code uses the binary ``"C"`` collation (memcmp comparisons, and the order in which the frozen
    list of a draw is published), it is unique through a constraint (no extra ``LIKE`` index), the
    township is not a database foreign key (the importer only writes townships it found in the
    registry; a per-row referential check would cost as much as the insert itself) and there is no
    other index: a B-tree over a column of twenty townships or ten industries costs a third of the
    load and saves nothing a scan of the table does not do in a few tens of milliseconds, and names
    are searched with ``icontains``, which no B-tree serves."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        INDIVIDUAL = "individual", "个体工商户"
        COOPERATIVE = "cooperative", "农民专业合作社"
        OTHER = "other", "其他组织"

    class Grade(models.TextChoices):
        A = "A", "A（低）"
        B = "B", "B（较低）"
        C = "C", "C（较高）"
        D = "D", "D（高）"

    credit_code = BinaryCharField("统一社会信用代码", max_length=18)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("主体类型", max_length=12, choices=Kind.choices, default=Kind.ENTERPRISE)
    industry = models.CharField("行业", max_length=60, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    township = models.ForeignKey(Jurisdiction, verbose_name="所属乡镇（街道）", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="entities", db_constraint=False, db_index=False)
    risk_grade = models.CharField("风险等级", max_length=1, choices=Grade.choices, default="B")
    credit_grade = models.CharField("信用等级", max_length=1, choices=Grade.choices, default="A")
    is_abnormal = models.BooleanField("列入经营异常名录", default=False)
    complaint_count = models.PositiveIntegerField("近一年投诉举报次数", default=0)
    violation_count = models.PositiveIntegerField("既往违法记录次数", default=0)

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象名录库"
        ordering = ["credit_code"]
        constraints = [models.UniqueConstraint(fields=["credit_code"], name="inspections_entity_credit_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def tags(self) -> list[str]:
        tags = []
        if self.is_abnormal:
            tags.append("经营异常")
        if self.complaint_count:
            tags.append(f"投诉{self.complaint_count}次")
        if self.violation_count:
            tags.append(f"违法记录{self.violation_count}次")
        return tags


class InspectorProfile(models.Model):
    """执法检查人员名录库: an officer's entry in the inspector database — expertise and whether
    available for draws. Officers without a profile are available with no stated expertise;
    only active officers with a valid certificate are ever drawn (R04)."""

    officer = models.OneToOneField(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="inspector_profile")
    expertise = models.CharField("专业领域", max_length=200, blank=True, help_text="如：食品安全、特种设备、计量")
    is_available = models.BooleanField("可参加抽取", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员名录库"

    def __str__(self) -> str:
        return str(self.officer)


class ConflictDeclaration(models.Model):
    """利益冲突申报: an inspector declares a relation with an entity for a period; a draw never
    sends them there (回避)."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="conflicts")
    entity = models.ForeignKey(Entity, verbose_name="检查对象", on_delete=models.CASCADE, related_name="conflicts")
    relation = models.CharField("利害关系", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    declared_on = models.DateField("申报日期")

    class Meta:
        verbose_name = "利益冲突申报"
        verbose_name_plural = verbose_name
        ordering = ["-declared_on", "id"]
        indexes = [models.Index(fields=["entity", "officer"])]

    def __str__(self) -> str:
        return f"{self.officer} — {self.entity}（{self.relation}）"

    STATES = {"in_force": "在效", "future": "未开始", "ended": "已结束"}

    def state_on(self, today) -> str:
        """``in_force`` (a draw on ``today`` recuses the officer), ``future`` or ``ended``."""
        if today < self.starts_on:
            return "future"
        if self.ends_on is not None and today > self.ends_on:
            return "ended"
        return "in_force"


# --- Plans and tasks (R27, R29) ------------------------------------------------------------------

class Plan(models.Model):
    """抽查计划: a body's annual plan of inspection tasks."""

    body = models.ForeignKey(Body, verbose_name="制定主体", on_delete=models.PROTECT, related_name="inspection_plans")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = verbose_name
        ordering = ["-year", "body_id", "id"]
        indexes = [models.Index(fields=["body", "year"])]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """抽查任务: what a plan inspects — items, scope, ratio or count, period, inspectors per
    entity — drawn once (R27). A joint task (联合抽查) involves partner bodies (R29); a surprise
    task (飞行检查) is unannounced."""

    class Kind(models.TextChoices):
        RANDOM = "random", "双随机抽查"
        TARGETED = "targeted", "重点检查"
        SURPRISE = "surprise", "飞行检查"

    class Tag(models.TextChoices):
        ANY = "", "不限"
        ABNORMAL = "abnormal", "列入经营异常名录"
        COMPLAINTS = "complaints", "有投诉举报"
        VIOLATIONS = "violations", "有违法记录"

    plan = models.ForeignKey(Plan, verbose_name="抽查计划", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("任务名称", max_length=200)
    kind = models.CharField("任务类型", max_length=10, choices=Kind.choices, default=Kind.RANDOM)
    items = models.ManyToManyField(InspectionItem, verbose_name="抽查事项", related_name="tasks")
    partners = models.ManyToManyField(Body, verbose_name="联合抽查部门", blank=True, related_name="joint_inspection_tasks")
    scope_industry = models.CharField("行业范围", max_length=60, blank=True)
    scope_jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="区域范围", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", help_text="含下级区划")
    scope_risk_grades = models.CharField("风险等级范围", max_length=8, blank=True, help_text="如 CD；空为不限")
    scope_tag = models.CharField("标签范围", max_length=12, choices=Tag.choices, blank=True, default="")
    ratio_percent = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    sample_count = models.PositiveIntegerField("抽取户数", null=True, blank=True, help_text="填写则按户数抽取，否则按比例")
    inspectors_per_entity = models.PositiveSmallIntegerField("每户检查人员数", default=2)
    flagged_weight = models.PositiveSmallIntegerField("异常/投诉对象权重", default=1, help_text="1 为不加权，最多 10")
    max_per_year = models.PositiveSmallIntegerField("每户每年最多检查次数", default=2)
    min_gap_days = models.PositiveSmallIntegerField("两次检查最短间隔（天）", default=90)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "抽查任务"
        verbose_name_plural = verbose_name
        ordering = ["plan_id", "starts_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_joint(self) -> bool:
        return bool(self.partners.all())


class OfficerIds(models.JSONField):
    """The inspectors of an inspection (检查人员): officer ids in the order the draw assigned
    them, stored in the inspection's own row (a JSON array; ``jsonb`` with a GIN index on
    PostgreSQL, migration 0006). A draw writes tens of thousands of inspections at once: one row
    each instead of one row per inspector halves the rows and index entries it writes.
    ``inspector_ids__includes=<officer id>`` finds an officer's inspections."""


@OfficerIds.register_lookup
class Includes(Lookup):
    """``inspector_ids__includes=officer_id`` (a number or an ``OuterRef``): the officer is one of
    the inspectors. ``@>`` on PostgreSQL (served by the GIN index), ``json_each`` elsewhere."""

    lookup_name = "includes"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [int(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} @> jsonb_build_array(({rhs})::bigint)", [*lhs_params, *rhs_params]
        return f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = {rhs})", [*lhs_params, *rhs_params]


class Inspection(models.Model):
    """一次检查: one drawn entity of a task, its inspectors, and the result recorded on site.
    Inspections exist only as the outcome of a draw (R30: no inspection outside a planned task)."""

    class Outcome(models.TextChoices):
        NO_PROBLEM = "no_problem", "未发现问题"
        CORRECTED = "corrected", "发现问题已当场整改"
        RECTIFY = "rectify", "责令限期整改"
        CASE = "case", "立案查处"
        NOT_FOUND = "not_found", "通过登记的住所（经营场所）无法联系"

    draw = models.ForeignKey("Draw", verbose_name="抽取", on_delete=models.PROTECT, related_name="inspections", db_constraint=False,
                             db_index=False)  # the unique (draw, entity) index serves it
    # no index by task: a task has one draw, so its inspections are found through the draw's index
    # (``draw__task``), and a draw then writes one index entry less per inspection
    task = models.ForeignKey(Task, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="inspections", db_constraint=False,
                             db_index=False)
    entity = models.ForeignKey(Entity, verbose_name="检查对象", on_delete=models.PROTECT, related_name="inspections", db_constraint=False,
                               db_index=False)  # the (entity, planned_on) index serves it
    rank = models.PositiveIntegerField("抽取序号")
    planned_on = models.DateField("抽取日期")
    inspector_ids = OfficerIds("检查人员", default=list, blank=True,
                               help_text="抽取选派的执法检查人员（执法人员编号，按选派顺序）")
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    answers = models.JSONField("检查要点结果", default=list, blank=True)
    findings = models.TextField("发现的问题", blank=True)
    outcome = models.CharField("检查结果", max_length=12, choices=Outcome.choices, blank=True)
    case_number = models.CharField("立案案号", max_length=60, blank=True)
    case_id = models.BigIntegerField("案件编号", null=True, blank=True, help_text="由检查发现转立案的案件")
    recorded_by = models.ForeignKey(Officer, verbose_name="录入人", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)  # a partial index below: empty when the draw writes the row
    publish_due = models.DateField("公示期限", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = verbose_name
        ordering = ["task_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["draw", "entity"], name="inspection_unique_entity_per_draw")]
        # A draw writes tens of thousands of rows at once: the indexes on what is filled in later
        # (recorder, publication) are partial, so that those rows add no entry to them.
        indexes = [
            models.Index(fields=["entity", "planned_on"]),
            models.Index(fields=["recorded_by"], condition=Q(recorded_by__isnull=False), name="inspection_recorded_by"),
            models.Index(fields=["publish_due"], condition=Q(published_on__isnull=True) & ~Q(outcome=""), name="inspection_publish_pending"),
            models.Index(fields=["published_on"], condition=Q(published_on__isnull=False), name="inspection_published"),
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.entity}"

    @property
    def is_recorded(self) -> bool:
        return bool(self.outcome)


def photo_path(instance, filename):
    return f"inspections/{instance.inspection_id}/{filename}"


class InspectionPhoto(models.Model):
    """现场照片: a photo taken on site by an assigned inspector, attached to the inspection before
    its result is published. Stored through Django storage (never a public media URL: served by
    a permission-checked view), with its SHA-256 in the draw's full-process record."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查记录", on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to=photo_path, max_length=255)
    thumbnail = models.FileField("缩略图", upload_to=photo_path, max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.BigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=40)
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(Officer, verbose_name="上传人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = verbose_name
        ordering = ["inspection_id", "uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "sha256"], name="inspection_photo_unique_sha256")]

    def __str__(self) -> str:
        return self.caption or f"现场照片 #{self.pk}"


class OnsiteRecord(models.Model):
    """现场笔录: what the inspector wrote down on site and the party's signature drawn on the
    phone's screen (当事人签名), kept as a PNG whose SHA-256 is in the draw's full-process record.
    Written on the phone, often without network: ``captured_at`` is when the phone saved it,
    ``received_at`` when the server learned of it (both in the record entry)."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查记录", on_delete=models.PROTECT, related_name="onsite_records")
    text = models.TextField("笔录内容")
    party_name = models.CharField("当事人（签名人）", max_length=80, blank=True)
    signature = models.FileField("当事人签名", upload_to=photo_path, max_length=255, blank=True)
    signature_sha256 = models.CharField("签名 SHA-256", max_length=64, blank=True)
    recorded_by = models.ForeignKey(Officer, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    captured_at = models.DateTimeField("现场记录时间")
    received_at = models.DateTimeField("服务器收到时间")

    class Meta:
        verbose_name = "现场笔录"
        verbose_name_plural = verbose_name
        ordering = ["inspection_id", "captured_at", "id"]

    def __str__(self) -> str:
        return f"现场笔录 #{self.pk}"


class OfflineReceipt(OfflineReceiptFields):
    """离线提交回执: one capture made on a phone without network (a result, a photo, an on-site
    record) and sent later, by the id the phone generated for it. The unique ``client_id`` makes
    the sending idempotent: sending the same capture again returns this receipt and changes
    nothing. ``captured_at`` (the phone's clock, 采集时间) and ``received_at`` (the server's clock,
    接收时间) are both kept, and both written to the record, so the chain says honestly when the
    server learned of an act done earlier."""

    class Kind(models.TextChoices):
        RESULT = "result", "检查结果"
        PHOTO = "photo", "现场照片"
        ONSITE = "onsite", "现场笔录"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    inspection = models.ForeignKey(Inspection, verbose_name="检查记录", on_delete=models.PROTECT, related_name="offline_receipts")
    officer = models.ForeignKey(Officer, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    photo = models.ForeignKey(InspectionPhoto, verbose_name="现场照片", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    onsite_record = models.ForeignKey(OnsiteRecord, verbose_name="现场笔录", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "离线提交回执"
        verbose_name_plural = verbose_name
        ordering = ["inspection_id", "received_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client_id}"


# The draw (抽取, R28) and its frozen list, register snapshot and exclusions.
from .models_draw import (  # noqa: E402,F401
    Draw, Exclusion, FrozenList, RegisterSnapshot, RegisterVersion, entity_ids_at, without_lines,
)

__all__ = [
    "ConflictDeclaration", "Draw", "Entity", "Exclusion", "FrozenList", "Inspection", "InspectionItem",
    "InspectionPhoto", "InspectorProfile", "OfflineReceipt", "OnsiteRecord", "Plan", "Task",
]
