"""A user's own account (我的账号, issue 20 point 5): their signed-in sessions and API tokens, and
revoking them. Reads and the two writes live here; every revocation leaves a security audit entry
(``audit.record``), as a password change does.

Sessions are stored by ``core.security.sessions`` with the user in an indexed column: the page
reads the user's unexpired sessions with one indexed query (at most ``SESSION_LIMIT``, newest
first). A session is named on the page by a digest of its key, never the key itself.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhifa.core.models import ApiToken, UserSession
from zhifa.core.security import audit

SESSION_LIMIT = 200  # a person has a few devices; more rows than this are not listed
SEEN_KEY = "_zhifa_seen"  # core.security.middleware.SEEN_KEY: when the session last made a request


@dataclass(frozen=True)
class SessionRow:
    ref: str  # digest of the key: what the page posts to revoke it
    expires: dt.datetime
    last_seen: dt.datetime | None
    current: bool


def _ref(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:20]


def _user_sessions(user):
    rows = UserSession.objects.filter(user_ref=user.pk, expire_date__gt=timezone.now()).order_by("-expire_date")
    wanted = str(user.pk)
    for session in rows[:SESSION_LIMIT]:
        data = session.get_decoded()
        if data.get("_auth_user_id") == wanted:  # the column follows the data on every save
            yield session, data


def sessions_of(user, current_key: str | None) -> list[SessionRow]:
    """The user's unexpired sessions, the current one first."""
    rows = []
    for session, data in _user_sessions(user):
        seen = data.get(SEEN_KEY)
        rows.append(SessionRow(_ref(session.session_key), session.expire_date,
                               dt.datetime.fromtimestamp(seen, tz=dt.UTC) if seen else None,
                               session.session_key == current_key))
    return sorted(rows, key=lambda r: (not r.current, -(r.last_seen or r.expires).timestamp()))


def tokens_of(user):
    """The user's API tokens (only their digests are stored), newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@transaction.atomic
def revoke_session(user, ref: str, current_key: str | None) -> bool:
    """End one of the user's other sessions (not the one in use: that is 退出登录)."""
    for session, _ in _user_sessions(user):
        if _ref(session.session_key) == ref and session.session_key != current_key:
            session.delete()
            audit.record("logout", object=f"user:{user.pk}", detail={"account": user.get_username(), "session": ref, "by": "self"})
            return True
    return False


@transaction.atomic
def revoke_token(user, token_id: int) -> bool:
    """Revoke one of the user's API tokens (吊销令牌); another user's token is not found."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if deleted:
        audit.record("token_revoked", object=f"user:{user.pk}", detail={"account": user.get_username(), "token": token_id, "by": "self"})
    return bool(deleted)
