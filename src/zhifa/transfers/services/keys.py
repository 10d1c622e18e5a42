"""The body's signing key for transfer packages (案卷包签名密钥, ``signing.py``): made at the body's
first dispatch, rotated by the head (or the administrator) with a reason. Each new key and each
retirement is recorded on ``signing-key:<body>`` with the key's fingerprint and public key, so the
record says which key was the body's on any day; retired keys are kept to verify older packages."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation, refuse_if_any
from zhifa.registry import access
from zhifa.registry.models import Body

from .. import permissions, signing
from ..models import SigningKey
from ._core import _actor_name


def _stream(body_id: int) -> str:
    return f"signing-key:{body_id}"


def _new_key(body: Body, reason: str, actor: access.Actor) -> SigningKey:
    """Retire the body's active key (if any) and make a new one; both recorded (one entry)."""
    now = clock.now()
    old = SigningKey.objects.select_for_update().filter(body=body, retired_at__isnull=True).first()
    if old is not None:
        old.retired_at = now
        old.save(update_fields=["retired_at"])
    kid, public, sealed = signing.new_key_pair()
    key = SigningKey.objects.create(body=body, algorithm=signing.ALGORITHM, key_id=kid, public_key=public, private_key=sealed,
                                    created_at=now, reason=reason[:200])
    ledger.append(_stream(body.pk), "rotate" if old else "create", {
        "label": "轮换案卷包签名密钥" if old else "生成案卷包签名密钥", "algorithm": key.algorithm, "key_id": kid, "public_key": public,
        "retired_key_id": old.key_id if old else "", "reason": reason,
    }, actor=actor.user, actor_name=_actor_name(actor))
    return key


@use_case
def ensure_key(body: Body, actor: access.Actor) -> SigningKey:
    """The body's active key, made (and recorded) when it has none; inside the caller's act."""
    key = SigningKey.objects.filter(body=body, retired_at__isnull=True).first()
    if key is not None:
        return key
    Body.objects.select_for_update().filter(pk=body.pk).first()  # two first dispatches make one key
    return (SigningKey.objects.filter(body=body, retired_at__isnull=True).first()
            or _new_key(body, "首次移送，生成签名密钥", actor))


@use_case
def rotate_signing_key(*, body_id: int | None = None, reason: str = "", actor: access.Actor) -> SigningKey:
    """轮换签名密钥: the body's head (own body) or the administrator (``body_id``), with a reason
    (a key suspected lost, a change of head, a scheduled rotation); the old key is retired, kept."""
    body_id = body_id if (actor.is_admin and body_id) else actor.body_id
    officer = actor.officer
    if not (actor.is_admin or (officer is not None and officer.is_head and not officer.is_auxiliary
                               and officer.status == "active" and officer.body_id == body_id)):
        raise PermissionDenied("只有本机关负责人或者系统管理员可以轮换签名密钥。")
    v: list[Violation] = [] if actor.is_admin else permissions.check_actor(actor, clock.today())
    if not (reason or "").strip():
        v.append(Violation(INVALID_INPUT, "请写明轮换签名密钥的理由。", ""))
    refuse_if_any(v)
    with transaction.atomic():
        body = Body.objects.select_for_update().filter(pk=body_id).first()
        if body is None:
            raise PermissionDenied("未找到该行政执法机关。")
        return _new_key(body, reason.strip(), actor)
