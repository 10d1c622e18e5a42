"""Ground models that every app may use: the holiday table and API tokens."""
from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models


class Holiday(models.Model):
    """One day of the official schedule that differs from the plain week (法定节假日 / 调休).

    ``is_working_day`` is False for a holiday on a weekday and True for a make-up working day
    (调休) on a weekend. Seeded from the ``chinese-calendar`` package, editable in the admin,
    importable for a new year (legal-rules §0).
    """

    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日", help_text="调休上班的周末为“是”，放假的工作日为“否”")
    name = models.CharField("名称", max_length=40, blank=True)
    source = models.CharField("来源", max_length=80, blank=True, default="chinese-calendar")
    # Part of the calendar cache's version stamp (zhifa.core.workdays): any edit moves it.
    updated_at = models.DateTimeField("修改时间", auto_now=True, db_index=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = verbose_name
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'调休上班' if self.is_working_day else '放假'} {self.name}"


class HolidayYear(models.Model):
    """A year whose complete official schedule has been loaded; beyond it results are provisional."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    loaded_at = models.DateTimeField("载入时间", auto_now=True)
    source = models.CharField("来源", max_length=80, blank=True)

    class Meta:
        verbose_name = "已载入节假日安排的年度"
        verbose_name_plural = verbose_name
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = verbose_name

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


# The full-process record lives with its chain logic in ledger.py; imported here so Django sees it.
from zhifa.core.ledger import RecordEntry  # noqa: E402,F401
