"""Ground models that every app may use: the holiday table, API tokens and import jobs."""
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


class ImportJob(models.Model):
    """An import run from the page or the API (导入任务): the uploaded file (kept under the media
    storage, with its SHA-256), what was asked, the progress while it runs and the result.

    ``status``: queued → running → done (the import ran: the result says whether rows were
    refused, in which case nothing was written) or failed (the program failed or the run was
    lost: ``message`` says so in Chinese). ``heartbeat_at`` is touched while the job runs; a
    running job whose heartbeat is older than ``ZHIFA["IMPORT_STALE_MINUTES"]`` is marked failed
    (``zhifa.core.imports.fail_stale``). ``seconds`` is the wall time of the run so far."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("导入类型", max_length=40)
    label = models.CharField("导入内容", max_length=60, blank=True)
    filename = models.CharField("文件名", max_length=255)
    stored_name = models.CharField("存储路径", max_length=255, blank=True)
    size = models.BigIntegerField("文件大小（字节）", default=0)
    sha256 = models.CharField("文件 SHA-256", max_length=64, blank=True)
    body_code = models.CharField("所属主体编码", max_length=40, blank=True)
    dry_run = models.BooleanField("试运行", default=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    phase = models.CharField("阶段", max_length=10, blank=True)
    done_rows = models.PositiveIntegerField("已处理行数", default=0)
    total_rows = models.PositiveIntegerField("总行数", null=True, blank=True)
    seconds = models.FloatField("用时（秒）", default=0)
    result = models.JSONField("结果", null=True, blank=True)
    message = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="import_jobs")
    created_at = models.DateTimeField("提交时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="core_importjob_user_idx")]

    def __str__(self) -> str:
        return f"{self.label or self.kind} {self.filename}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """Rows done over the total, 0–100 (``None`` while the total is unknown)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return None
        return min(100, self.done_rows * 100 // self.total_rows)

    @property
    def ok(self) -> bool | None:
        """Whether the import went through without refused rows (``None`` before it is done)."""
        if self.status != self.Status.DONE or not self.result:
            return None
        return bool(self.result.get("ok"))


# The full-process record lives with its chain logic in ledger.py; imported here so Django sees it.
from zhifa.core.ledger import HashChained, RecordEntry  # noqa: E402,F401


class PasswordHistory(models.Model):
    """A password a user had (口令历史), as its hash: the policy refuses the last
    ``ZHIFA_PASSWORD_HISTORY`` again, and the newest row's time is when the password was last
    changed (its expiry, ``ZHIFA_PASSWORD_MAX_AGE_DAYS``). Written by ``core.security.passwords``
    whenever a user's password is set and saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("口令散列", max_length=256)
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "口令历史"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["user", "-changed_at"], name="core_pwhist_user_time")]


class SecurityEvent(HashChained):
    """One entry of the security audit log (安全审计记录, GB/T 22239-2019 8.1.4.3): logins,
    failures, lockouts, logouts, permission denials, changes of accounts, roles and settings,
    admin actions, exports of personal data — with time, user, address, outcome and object,
    chained by hash (``hash`` covers ``previous_hash`` and the entry's content, in ``seq`` order).
    Written only by ``core.security.audit.record``; never changed or deleted through the
    application (the admin is read-only), except by the retention sweep, which drops only entries
    older than ``ZHIFA["AUDIT_RETENTION_DAYS"]`` and records that it did."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("事件", max_length=32)
    outcome = models.CharField("结果", max_length=16)
    user_id_value = models.BigIntegerField("用户编号", null=True, blank=True)
    username = models.CharField("用户", max_length=150, blank=True)
    address = models.CharField("地址", max_length=45, blank=True)
    object = models.CharField("对象", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict)

    class Meta:
        verbose_name = "安全审计记录"
        verbose_name_plural = verbose_name
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["kind", "-seq"], name="core_secevent_kind"),
            models.Index(fields=["username", "-seq"], name="core_secevent_user"),
            models.Index(fields=["address", "-seq"], name="core_secevent_addr"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.username} {self.outcome}"


from django.contrib.sessions.base_session import AbstractBaseSession  # noqa: E402


class UserSession(AbstractBaseSession):
    """A signed-in session (登录会话) of the pages: Django's database session with the user it
    belongs to in an indexed column (``core.security.sessions`` fills it on every save from the
    session's ``_auth_user_id``), so that 我的账号 lists and ends a user's sessions by the index
    instead of decoding every unexpired session of the site."""

    user_ref = models.BigIntegerField("用户编号", null=True, blank=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["user_ref", "expire_date"], name="core_session_user")]

    @classmethod
    def get_session_store_class(cls):
        from zhifa.core.security.sessions import SessionStore

        return SessionStore


class TotpDevice(models.Model):
    """A user's authenticator (动态口令, TOTP of RFC 6238: 6 digits, 30 s, SHA-1 — what every
    authenticator app reads from the QR code): the second factor of a login once ``confirmed_at``
    is set (core/security/totp.py). ``last_step`` is the time step of the last code accepted: a
    code is never accepted twice."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField("密钥", max_length=64)
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_step = models.BigIntegerField("最近使用的时间步", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.user} ({'已启用' if self.confirmed_at else '未确认'})"


class RecoveryCode(models.Model):
    """A one-time recovery code (备用验证码) of a user with a TOTP device, stored as its SHA-256
    digest; ``used_at`` once spent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField("摘要", max_length=64)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "备用验证码"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["user", "digest"], name="core_recovery_user_digest")]
class WorkJob(models.Model):
    """Long work run off the request (后台任务: a congress report's PDF, a case file's PDF …,
    ``core/work.py``): what was asked, the phase while it runs — the page polls it (htmx) instead
    of freezing — and the result (the file made). ``kind`` names the work function; only its
    submitter reads the job."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("任务类型", max_length=100)
    label = models.CharField("任务内容", max_length=120)
    params = models.JSONField("参数", default=dict)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField("阶段", max_length=40, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    message = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.CASCADE, related_name="work_jobs")
    created_at = models.DateTimeField("提交时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["created_by", "-created_at"], name="core_workjob_user_idx")]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        return min(100, round(100 * self.done / self.total)) if self.total else None
