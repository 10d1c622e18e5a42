"""Second factor (双因素认证, GB/T 22239-2019 8.1.4.1 d: 两种或两种以上组合的鉴别技术) for
administrators and supervisors: a time-based one-time password (TOTP, RFC 6238, through pyotp)
from an authenticator app enrolled with a QR code, and ten one-time recovery codes.

- A user with a confirmed device gives a code after the password on every login: the page login
  leaves the session *unverified* and ``SessionGuard`` serves nothing but the code page until a
  code is given (``/accounts/login/otp/``); ``POST /api/v1/auth/token`` wants it in ``otp``.
- The roles listed in ``ZHIFA["TOTP_REQUIRED_ROLES"]`` (``admin,supervisor`` outside the demo)
  must enrol: until they do, ``SessionGuard`` serves them only the enrolment page
  (``/account/otp/``) and the token endpoint refuses them.
- A wrong code counts as a failed login (``user_login_failed``: the lockout and the audit log);
  ``MAX_CODE_FAILURES`` wrong codes in one session end it. A code is accepted once (``last_step``).
- Enrolment, disabling, new recovery codes and the use of a recovery code are audit entries
  (``second_factor``). The administrator resets a user's device in the admin (动态口令设备,
  delete), itself an audit entry.
"""
from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from zhifa.core import clock
from zhifa.core.security import audit

ISSUER = "zhifa 行政执法平台"
VALID_WINDOW = 1  # one 30 s step either side: a phone's clock a little off still works
RECOVERY_CODES = 10
MAX_CODE_FAILURES = 5
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper

VERIFIED_KEY = "_zhifa_otp_verified"  # the session gave its second factor (or needs none)
FAILURES_KEY = "_zhifa_otp_failures"


def _totp(secret: str):
    import pyotp

    return pyotp.TOTP(secret)


def enrolled(user) -> bool:
    from zhifa.core.models import TotpDevice

    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def required_roles() -> set[str]:
    return {r.strip() for r in str(settings.ZHIFA.get("TOTP_REQUIRED_ROLES", "")).split(",") if r.strip()}


def required(user) -> bool:
    """The user's roles include one that must have a second factor."""
    wanted = required_roles()
    if not wanted or not getattr(user, "is_authenticated", False):
        return False
    roles_of = import_string(settings.ZHIFA.get("ROLES_OF", "zhifa.core.security.totp.superuser_roles"))
    return bool(wanted & set(roles_of(user)))


def superuser_roles(user) -> set[str]:
    """The roles core knows of without the registry: the administrator."""
    return {"admin"} if user.is_superuser else set()


def _digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def normalise(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:32]


def provisioning(user, device) -> tuple[str, str]:
    """The ``otpauth://`` URI of the device and its QR code as SVG markup (segno)."""
    import io

    import segno

    uri = _totp(device.secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True,
                                    title="动态口令二维码")
    return uri, out.getvalue().decode()


@transaction.atomic
def start_enrolment(user):
    """The user's device: an existing one (confirmed or still waiting for its first code, so that
    reloading the page keeps the QR code already scanned), else a new one with a fresh secret."""
    import pyotp

    from zhifa.core.models import TotpDevice

    device, _ = TotpDevice.objects.select_for_update().get_or_create(user=user, defaults={"secret": pyotp.random_base32(32)})
    return device


def _accept(device, code: str) -> bool:
    """The code is right for now (± ``VALID_WINDOW``) and newer than the last one accepted."""
    code = normalise(code)
    if len(code) != 6 or not code.isdigit():
        return False
    totp, now = _totp(device.secret), time.time()
    step = int(now // totp.interval)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        candidate = step + offset
        if candidate > device.last_step and secrets.compare_digest(totp.at(candidate * totp.interval), code):
            device.last_step = candidate
            device.save(update_fields=["last_step"])
            return True
    return False


def new_recovery_codes(user) -> list[str]:
    """Ten fresh codes (the old ones end), shown once; only their digests are kept."""
    from zhifa.core.models import RecoveryCode

    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    codes = [f"{c[:5]}-{c[5:]}" for c in codes]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=_digest(c)) for c in codes])
    return codes


def _proven(user, code: str, *, confirmed: bool):
    """The user's device (locked), confirmed or not as asked, if ``code`` is right for it."""
    from zhifa.core.models import TotpDevice

    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=not confirmed).first()
    return device if device is not None and _accept(device, code) else None


@transaction.atomic
def confirm(user, code: str) -> list[str] | None:
    """Confirm the unconfirmed device with a first code: the recovery codes, or None (wrong code)."""
    device = _proven(user, code, confirmed=False)
    if device is None:
        return None
    device.confirmed_at = clock.now()
    device.save(update_fields=["confirmed_at"])
    codes = new_recovery_codes(user)
    audit.record("second_factor", user=user, object=f"user:{user.pk}", detail={"action": "enrolled"})
    return codes


@transaction.atomic
def verify(user, code: str) -> str | None:
    """Check a login's second factor: ``"totp"``, ``"recovery"`` (a recovery code, now spent), or
    None for a wrong code."""
    from zhifa.core.models import RecoveryCode, TotpDevice

    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return None
    if _accept(device, code):
        return "totp"
    if len(normalise(code)) == 10:
        spent = RecoveryCode.objects.filter(user=user, digest=_digest(code), used_at__isnull=True).update(used_at=clock.now())
        if spent:
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            audit.record("second_factor", user=user, object=f"user:{user.pk}", detail={"action": "recovery_code_used", "left": left})
            return "recovery"
    return None


@transaction.atomic
def disable(user, code: str) -> bool:
    """The user turns the second factor off, proving it with a current code."""
    from zhifa.core.models import RecoveryCode

    device = _proven(user, code, confirmed=True)
    if device is None:
        return False
    device.delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit.record("second_factor", user=user, object=f"user:{user.pk}", detail={"action": "disabled"})
    return True


@transaction.atomic
def regenerate(user, code: str) -> list[str] | None:
    """New recovery codes, proven with a current code."""
    if _proven(user, code, confirmed=True) is None:
        return None
    codes = new_recovery_codes(user)
    audit.record("second_factor", user=user, object=f"user:{user.pk}", detail={"action": "recovery_codes_renewed"})
    return codes


def unused_recovery_codes(user) -> int:
    from zhifa.core.models import RecoveryCode

    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def code_failed(request, user) -> None:
    """A wrong code: a failed login for the lockout (django-axes) and the audit log."""
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def token_refusal(request, user, code: str | None) -> tuple[int, str] | None:
    """``POST /api/v1/auth/token``: why a token is refused for the second factor, or None. A user
    with a device gives ``otp`` (a wrong one is a failed login); a user whose role must have one
    and has none enrols on the page first."""
    if enrolled(user):
        if not code:
            return 401, "该账号已启用双因素认证，请在 otp 字段提供验证器上的动态验证码。"
        if verify(user, code) is None:
            code_failed(request, user)
            return 401, "动态验证码不正确或已使用过。"
        return None
    if required(user):
        return 403, "您的角色须启用双因素认证，请先登录页面在“双因素认证”中绑定验证器后再申请令牌。"
    return None
