"""The security audit log (安全审计, GB/T 22239-2019 8.1.4.3 a–d): one append-only, hash-chained
log (``core.models.SecurityEvent``) of what an assessor asks for — each entry with time, user,
client address, outcome and object — readable by the administrator and the auditor role
(``may_read``) at ``GET /api/v1/audit`` and on the page ``/security/audit/``, kept
``ZHIFA["AUDIT_RETENTION_DAYS"]`` (at least 180) by ``sweep`` (run by ``zhifa sweep``).

Where entries come from:

==================  ==========================================================================
``login``           ``user_logged_in`` (page login, token issue; ``detail.channel``)
``login_failed``    ``user_login_failed`` (page and token alike; the username tried)
``lockout``         django-axes' ``user_locked_out`` (account or address locked)
``logout``          ``user_logged_out`` (page logout, ``POST /api/v1/auth/logout``, idle timeout)
``password_changed`` a password set and saved (``passwords.HistoryValidator``); tokens revoked
``token_revoked``   the administrator deleting a token in the admin
``denied``          403 and 404 answered to a signed-in user (API handlers, page middleware)
``account_changed`` a user created, changed (active, staff, superuser) or deleted
``role_changed``    a user's groups or permissions changed
``admin_action``    every addition, change and deletion made in the admin (Django's ``LogEntry``)
``export``          an export of personal data (the audit log's own CSV export included)
``retention``       the sweep dropping entries past the retention period
``second_factor``   a TOTP device enrolled or disabled, recovery codes renewed or one used
``personal_data_viewed`` a staff member showing masked personal data in full (show full)
==================  ==========================================================================
"""
from __future__ import annotations

import contextvars
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from zhifa.core import clock
from zhifa.core.ledger import GENESIS, available_algorithm, canonical, entry_hash

SUCCESS, FAILURE, DENIED = "success", "failure", "denied"
OUTCOME_LABELS = {SUCCESS: "成功", FAILURE: "失败", DENIED: "拒绝"}
KIND_LABELS = {
    "login": "登录", "login_failed": "登录失败", "lockout": "账号锁定", "logout": "退出登录",
    "password_changed": "修改密码", "token_revoked": "吊销令牌", "denied": "越权访问被拒绝",
    "account_changed": "账号变更", "role_changed": "角色与权限变更", "admin_action": "管理操作",
    "export": "导出个人信息", "retention": "审计记录保留期清理",
    "second_factor": "双因素认证", "personal_data_viewed": "查看完整个人信息",
}
#: Members of this group (besides administrators) read the audit log: the security auditor of the
#: separation of duties (三员分立: 系统管理员、安全管理员、安全审计员).
AUDITOR_GROUP = "安全审计员"
MIN_RETENTION_DAYS = 180

_request: contextvars.ContextVar = contextvars.ContextVar("zhifa_audit_request", default=None)


def bind_request(request):
    """Make ``request`` the one entries are recorded for (by ``AuditContext``); returns a token."""
    return _request.set(request)


def unbind_request(token) -> None:
    _request.reset(token)


def may_read(user) -> bool:
    """The administrator and the members of ``AUDITOR_GROUP``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=AUDITOR_GROUP).exists()


def _who(request, user):
    from zhifa.core.security import client_address

    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if getattr(candidate, "is_authenticated", False) else None
    address = client_address(request) if request is not None else ""
    return user, address


def record(kind: str, outcome: str = SUCCESS, *, user=None, username: str = "", object: str = "",
           detail: dict | None = None, request=None):
    """Append one entry. ``user`` defaults to the request's signed-in user, ``request`` to the
    one being served (``AuditContext``); ``username`` names an account that is not signed in
    (a failed login). Concurrent writers: a taken ``seq`` is retried on the new last entry."""
    from zhifa.core.models import SecurityEvent

    request = None if request is False else (request if request is not None else _request.get())
    user, address = _who(request, user)
    username = (username or (user.get_username() if user is not None else ""))[:150].replace("\x00", "")
    algorithm = settings.ZHIFA.get("RECORD_HASH", "sm3")
    payload = canonical(detail or {})
    import json

    for _ in range(20):
        try:
            with transaction.atomic():
                last = SecurityEvent.objects.order_by("-seq").values("seq", "hash").first()
                event = SecurityEvent(
                    seq=(last["seq"] + 1) if last else 1,
                    at=clock.now(),
                    kind=kind,
                    outcome=outcome,
                    user_id_value=getattr(user, "pk", None),
                    username=username,
                    address=address,
                    object=str(object)[:200].replace("\x00", ""),
                    detail=json.loads(payload),
                    algorithm=algorithm,
                    previous_hash=last["hash"] if last else GENESIS,
                )
                event.hash = entry_hash(algorithm, event.previous_hash, content(event))
                event.save(force_insert=True)
                return event
        except IntegrityError:
            continue
    raise RuntimeError("安全审计记录写入失败：并发写入冲突")


def content(event) -> dict:
    """What an entry's hash covers (everything but the hashes)."""
    return {
        "seq": event.seq,
        "at": event.at.astimezone(clock.SHANGHAI).isoformat(timespec="microseconds"),
        "kind": event.kind,
        "outcome": event.outcome,
        "user_id": event.user_id_value,
        "username": event.username,
        "address": event.address,
        "object": event.object,
        "detail": event.detail,
    }


def verify() -> dict:
    """Check the chain from the first kept entry (earlier ones may have been swept: the sweep's
    ``retention`` entry names the hash the kept chain starts from). ``{"ok": True, "count": n}``
    or the first broken entry."""
    from zhifa.core.models import SecurityEvent

    previous, expected, count = None, None, 0
    for event in SecurityEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if expected is not None and event.seq != expected:
            return {"ok": False, "seq": expected, "reason": f"缺少第 {expected} 条记录（记录被删除）"}
        if previous is not None and event.previous_hash != previous:
            return {"ok": False, "seq": event.seq, "reason": "与上一条记录的摘要不衔接"}
        if not available_algorithm(event.algorithm) or entry_hash(event.algorithm, event.previous_hash, content(event)) != event.hash:
            return {"ok": False, "seq": event.seq, "reason": "记录内容与摘要不符（记录在系统之外被修改）"}
        previous, expected, count = event.hash, event.seq + 1, count + 1
    return {"ok": True, "count": count}


def retention_days() -> int:
    return max(MIN_RETENTION_DAYS, settings.ZHIFA.get("AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))


def sweep() -> str:
    """``zhifa sweep``: drop the entries older than the retention period — never a younger one —
    and record how many, up to which entry and its hash (where the kept chain starts)."""
    from zhifa.core.models import SecurityEvent

    cutoff = clock.now() - dt.timedelta(days=retention_days())
    with transaction.atomic():
        old = SecurityEvent.objects.filter(at__lt=cutoff)
        last = old.order_by("-seq").values("seq", "hash").first()
        if last is None:
            return ""
        # never break the chain in the middle: drop only the run of old entries at its start
        younger = SecurityEvent.objects.filter(at__gte=cutoff, seq__lt=last["seq"]).order_by("seq").values("seq").first()
        upto = (younger["seq"] - 1) if younger else last["seq"]
        boundary = SecurityEvent.objects.filter(seq=upto).values("seq", "hash").first()
        if boundary is None:
            return ""
        dropped, _ = SecurityEvent.objects.filter(seq__lte=upto, at__lt=cutoff).delete()
    record("retention", object=f"seq<={upto}", detail={
        "dropped": dropped, "through_seq": upto, "through_hash": boundary["hash"], "retention_days": retention_days(),
    }, request=False)
    return f"安全审计记录：清理超过 {retention_days()} 天的记录 {dropped} 条。"


def events(*, kind: str | None = None, outcome: str | None = None, username: str | None = None,
           address: str | None = None, object: str | None = None, since: dt.date | None = None,
           until: dt.date | None = None):
    """The entries matching the filters, newest first: what the API and the page both list."""
    from zhifa.core.models import SecurityEvent

    rows = SecurityEvent.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if username:
        rows = rows.filter(username=username)
    if address:
        rows = rows.filter(address=address)
    if object:
        rows = rows.filter(object__startswith=object)
    if since:
        rows = rows.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=clock.SHANGHAI))
    if until:
        rows = rows.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=clock.SHANGHAI))
    return rows.order_by("-seq")


EXPORT_MAX_ROWS = 100_000
CSV_HEADER = ["序号", "时间", "事件", "结果", "用户", "地址", "对象", "详情", "摘要算法", "上一条摘要", "本条摘要"]


def csv_rows(rows):
    """The CSV lines of an export (header first), at most ``EXPORT_MAX_ROWS`` entries."""
    import csv
    import io
    import json

    def line(values):
        out = io.StringIO()
        csv.writer(out).writerow(values)
        return out.getvalue()

    yield "\ufeff" + line(CSV_HEADER)  # BOM: Excel opens it as UTF-8
    for event in rows[:EXPORT_MAX_ROWS].iterator(chunk_size=2000):
        yield line([
            event.seq, event.at.astimezone(clock.SHANGHAI).isoformat(timespec="seconds"),
            KIND_LABELS.get(event.kind, event.kind), OUTCOME_LABELS.get(event.outcome, event.outcome),
            event.username, event.address, event.object, json.dumps(event.detail, ensure_ascii=False),
            event.algorithm, event.previous_hash, event.hash,
        ])
