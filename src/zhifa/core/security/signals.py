"""The receivers that feed the security audit log (core/security/audit.py), connected once by
``CoreConfig.ready``."""
from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import audit

_ACCOUNT_FIELDS = ("is_active", "is_staff", "is_superuser")


def _channel(request) -> str:
    path = getattr(request, "path", "") or ""
    return "token" if path.startswith("/api/") else "page"


def on_login(sender, request, user, **kwargs):
    audit.record("login", user=user, request=request, object=f"user:{user.pk}", detail={"channel": _channel(request)})


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    audit.record("login_failed", audit.FAILURE, username=username, request=request or False,
                 detail={"channel": _channel(request)})


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.record("lockout", audit.FAILURE, username=str(username or ""), request=request or False,
                 detail={"channel": _channel(request)})


def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    audit.record("logout", user=user, request=request, object=f"user:{user.pk}",
                 detail={"channel": _channel(request), "reason": getattr(request, "_zhifa_logout_reason", "user")})


def on_user_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login's timestamp; a password is recorded as password_changed
    audit.record("account_changed", object=f"user:{instance.pk}", detail={
        "created": created, "account": instance.get_username(),
        **{name: getattr(instance, name) for name in _ACCOUNT_FIELDS},
    })


def on_user_deleted(sender, instance, **kwargs):
    audit.record("account_changed", object=f"user:{instance.pk}", detail={"deleted": True, "account": instance.get_username()})


def on_roles_changed(sender, instance, action, pk_set=None, model=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    label = f"{instance._meta.model_name}:{instance.pk}"
    audit.record("role_changed", object=label, detail={
        "action": action[5:], "of": model._meta.label_lower if model else "", "ids": sorted(pk_set or []),
    })


_ADMIN_ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def on_admin_action(sender, instance, created, **kwargs):
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    label = model._meta.label_lower if model else "?"
    audit.record("admin_action", user=instance.user, object=f"{label}:{instance.object_id or ''}", detail={
        "action": _ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
        "repr": instance.object_repr[:200], "message": instance.get_change_message()[:500],
    })


def connect() -> None:
    user_model = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid="zhifa-audit-login")
    user_login_failed.connect(on_login_failed, dispatch_uid="zhifa-audit-login-failed")
    user_logged_out.connect(on_logout, dispatch_uid="zhifa-audit-logout")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="zhifa-audit-user-saved")
    post_delete.connect(on_user_deleted, sender=user_model, dispatch_uid="zhifa-audit-user-deleted")
    m2m_changed.connect(on_roles_changed, sender=user_model.groups.through, dispatch_uid="zhifa-audit-groups")
    m2m_changed.connect(on_roles_changed, sender=user_model.user_permissions.through, dispatch_uid="zhifa-audit-perms")
    m2m_changed.connect(on_roles_changed, sender=Group.permissions.through, dispatch_uid="zhifa-audit-group-perms")
    post_save.connect(on_admin_action, sender=LogEntry, dispatch_uid="zhifa-audit-admin")
    from axes.signals import user_locked_out

    user_locked_out.connect(on_locked_out, dispatch_uid="zhifa-audit-lockout")
