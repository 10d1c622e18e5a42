"""Off-site enforcement (非现场执法, R22): data and constraints only.

``Device`` is a monitoring device with its legality file (APL art.41 ¶1); ``CaptureBatch`` one
import (a CSV/JSON manifest with its files, or one pushed record); ``Capture`` one record of a
device, reviewed by a person (art.41 ¶2) before it may become evidence of a case. ``services`` is
the only writer; a device's changes and imports are recorded on ``device:<id>``, each review and
each case opened from a capture on ``capture:<id>``.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.catalog.models import Item, Law
from zhifa.registry.models import Body


class Device(models.Model):
    """电子技术监控设备 with its legality file (设备合法性档案)."""

    class Kind(models.TextChoices):
        CAMERA = "camera", "视频图像采集（摄像）"
        SPEED = "speed", "测速"
        NOISE = "noise", "噪声监测"
        EMISSION = "emission", "排放监测"
        WEIGHT = "weight", "称重检测"
        OTHER = "other", "其他"

    class State(models.TextChoices):
        IN_SERVICE = "in_service", "在用"
        RETIRED = "retired", "停用"

    body = models.ForeignKey(Body, verbose_name="设置主体", on_delete=models.PROTECT, related_name="devices")
    code = models.CharField("设备编号", max_length=40)
    name = models.CharField("设备名称", max_length=120)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    measuring = models.BooleanField("计量器具（须检定）", default=False)
    item = models.ForeignKey(Item, verbose_name="监控的执法事项", on_delete=models.PROTECT, related_name="devices")
    basis_law = models.ForeignKey(Law, verbose_name="设置依据（法律、行政法规）", on_delete=models.PROTECT, related_name="devices")
    basis_article = models.CharField("依据条款", max_length=80)
    legal_review_on = models.DateField("法制审核日期", null=True, blank=True)
    legal_review_by = models.CharField("法制审核人员或者机构", max_length=80, blank=True)
    technical_review_on = models.DateField("技术审核日期", null=True, blank=True)
    technical_review_by = models.CharField("技术审核（检测）机构", max_length=120, blank=True)
    standards = models.CharField("符合的标准", max_length=200, blank=True)
    calibration_certificate = models.CharField("检定证书编号", max_length=60, blank=True)
    calibration_valid_from = models.DateField("检定日期", null=True, blank=True)
    calibration_expires_on = models.DateField("检定有效期至", null=True, blank=True)
    signage_on = models.DateField("设置标志日期", null=True, blank=True)
    location = models.CharField("设置地点", max_length=200)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    published_on = models.DateField("设置地点公布日期", null=True, blank=True)
    published_where = models.CharField("公布途径", max_length=200, blank=True)
    wait_days = models.PositiveSmallIntegerField("公布后方可使用的天数", default=0)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.IN_SERVICE)
    registered_on = models.DateField("登记日期")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "电子技术监控设备"
        verbose_name_plural = verbose_name
        ordering = ["body_id", "code"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="offsite_device_unique_code")]
        indexes = [models.Index(fields=["body", "state"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def stream(self) -> str:
        return f"device:{self.pk}"


class CaptureBatch(models.Model):
    """One import of captures (批量导入): a manifest and its files, or one pushed record."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "批量上传"
        PUSH = "push", "设备推送"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="batches")
    source = models.CharField("方式", max_length=8, choices=Source.choices, default=Source.UPLOAD)
    manifest_name = models.CharField("清单文件", max_length=200, blank=True)
    manifest_sha256 = models.CharField("清单 SHA-256", max_length=64, blank=True)
    rows = models.PositiveIntegerField("行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    duplicates = models.PositiveIntegerField("重复（已导入）", default=0)
    refused = models.PositiveIntegerField("拒收", default=0)
    refusals = models.JSONField("拒收明细", default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField("导入时间")

    class Meta:
        verbose_name = "采集批次"
        verbose_name_plural = verbose_name
        ordering = ["-id"]


def capture_path(instance, filename):  # pragma: no cover - services name the file themselves
    return f"captures/{instance.device_id}/{filename}"


class Capture(models.Model):
    """一条电子监控记录: who or what (``subject``: a plate, a name), when, where, the file and its
    SHA-256; reviewed by a person (accepted / rejected with a reason) before any use."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "审核通过"
        REJECTED = "rejected", "审核不通过"

    # No database check of the device and batch keys: PostgreSQL would run one per imported row at
    # the commit (a third of an import's database time, bench_offsite). The only writer is
    # ``import_captures``, which holds the device's row locked and creates the batch in the same
    # transaction; a device is never deleted (retired instead; Django's PROTECT guards the rest).
    # No index of the batch either (one entry less per row).
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="captures", db_constraint=False,
                               db_index=False)  # the unique key and (device, state) lead with it
    batch = models.ForeignKey(CaptureBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="captures",
                              db_constraint=False, db_index=False)  # nothing lists a batch's captures; a batch is never deleted
    taken_at = models.DateTimeField("采集时间")
    subject = models.CharField("对象（号牌、名称）", max_length=60)
    description = models.CharField("违法行为描述", max_length=300, blank=True)
    measured_value = models.CharField("测量值", max_length=40, blank=True)
    party_name = models.CharField("当事人", max_length=120, blank=True)
    party_id_code = models.CharField("身份证号码或统一社会信用代码", max_length=18, blank=True)
    file = models.FileField("文件", upload_to=capture_path, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.BigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("类型", max_length=100, blank=True)
    state = models.CharField("审核状态", max_length=10, choices=State.choices, default=State.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False)  # a partial index below: empty when imported
    reviewer_name = models.CharField("审核人", max_length=80, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reject_code = models.CharField("不通过原因", max_length=16, blank=True)
    reject_reason = models.CharField("不通过理由", max_length=300, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="captures",
                             db_index=False)  # a partial index below: empty when imported
    lookup_code = models.CharField("查询码", max_length=10, null=True, blank=True)  # unique where set (below)
    notified_at = models.DateTimeField("告知时间", null=True, blank=True)
    regions = models.JSONField("第三方区域（当事人查看时模糊处理）", default=list, blank=True)

    class Meta:
        verbose_name = "电子监控记录"
        verbose_name_plural = verbose_name
        ordering = ["taken_at", "id"]
        # An import writes thousands of rows at once: what is filled in later (review, case, lookup
        # code) is indexed only where set, so that an imported row adds no entry to those indexes.
        # The duplicates of an import are looked up on the unique key's (device, taken_at) prefix.
        constraints = [
            models.UniqueConstraint(fields=["device", "taken_at", "subject", "sha256"], name="offsite_capture_unique"),
            models.UniqueConstraint(fields=["lookup_code"], condition=Q(lookup_code__isnull=False), name="offsite_capture_lookup_code"),
        ]
        indexes = [
            models.Index(fields=["device", "state"]),
            models.Index(fields=["state", "taken_at"]),
            models.Index(fields=["case"], condition=Q(case__isnull=False), name="offsite_capture_case"),
            models.Index(fields=["reviewed_by"], condition=Q(reviewed_by__isnull=False), name="offsite_capture_reviewed_by"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def stream(self) -> str:
        return f"capture:{self.pk}"


class PartyStatement(models.Model):
    """当事人在线陈述申辩: what the party holding a capture's lookup code stated on the portal, and
    when (APL art.41 ¶3, arts.44–45). One per capture; the case's record holds it too. The sender's
    address is kept only as a keyed digest, to count submissions for the rate limit."""

    capture = models.OneToOneField(Capture, on_delete=models.PROTECT, related_name="party_statement")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    statement = models.TextField("陈述申辩内容")
    submitted_at = models.DateTimeField("提交时间")
    source_hash = models.CharField("来源摘要", max_length=64)

    class Meta:
        verbose_name = "当事人在线陈述申辩"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["source_hash", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.capture_id} {self.submitted_at:%Y-%m-%d %H:%M}"
