"""Documents (文书) and their number counters (文号计数器). Data and constraints only."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.registry.models import Body


class DocumentCounter(models.Model):
    """The last number issued per body, document kind and year. Issuing locks this row
    (``select_for_update``), so numbers are gapless and unique under concurrency."""

    body = models.ForeignKey(Body, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("文书种类", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    last_seq = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "文号计数器"
        verbose_name_plural = "文号计数器"
        constraints = [models.UniqueConstraint(fields=["body", "kind", "year"], name="documents_counter_unique")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.kind}/{self.year}: {self.last_seq}"


def _upload_to(instance, filename):  # pragma: no cover - files are saved with explicit names
    return f"documents/{filename}"


class Document(models.Model):
    """An issued document (文书): its number, the data it was rendered from, and the rendered
    PDF and DOCX with their SHA-256. Never edited after issue: a correction is a new version
    (``previous`` points to the one it replaces), a withdrawal is a void that keeps the number."""

    class Status(models.TextChoices):
        ISSUED = "issued", "有效"
        SUPERSEDED = "superseded", "已更正（被新版本取代）"
        VOID = "void", "作废"

    body = models.ForeignKey(Body, verbose_name="制发主体", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("文书种类", max_length=40, db_index=True)
    title = models.CharField("文书名称", max_length=60)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=80, db_index=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self", verbose_name="更正前版本", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    subject = models.CharField(
        "所属对象", max_length=80, blank=True, db_index=True,
        help_text="调用方给出的不透明引用，如“case:123”；文书模块不解析它",
    )
    data = models.JSONField("文书数据", default=dict)
    issued_on = models.DateField("成文日期")
    issued_at = models.DateTimeField("签发时间")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pdf = models.FileField("PDF 文件", max_length=255, upload_to=_upload_to)
    pdf_sha256 = models.CharField("PDF 的 SHA-256", max_length=64)
    docx = models.FileField("Word 文件", max_length=255, upload_to=_upload_to)
    docx_sha256 = models.CharField("Word 文件的 SHA-256", max_length=64)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ISSUED)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="作废操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    void_pdf = models.FileField("作废标注的 PDF", max_length=255, blank=True, upload_to=_upload_to)
    void_pdf_sha256 = models.CharField("作废 PDF 的 SHA-256", max_length=64, blank=True)
    void_docx = models.FileField("作废标注的 Word 文件", max_length=255, blank=True, upload_to=_upload_to)
    void_docx_sha256 = models.CharField("作废 Word 文件的 SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "year", "seq", "version"], name="documents_number_version_unique"),
        ]
        indexes = [models.Index(fields=["body", "kind", "year", "seq"], name="documents_number_idx")]

    def __str__(self) -> str:
        suffix = f"（第{self.version}版）" if self.version > 1 else ""
        return f"{self.title} {self.number}{suffix}"

    @property
    def is_void(self) -> bool:
        return self.status == self.Status.VOID
