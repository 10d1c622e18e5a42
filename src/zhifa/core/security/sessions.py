"""The session engine of the pages (``SESSION_ENGINE``): Django's database sessions, stored in
``core.UserSession`` with the signed-in user's id in an indexed column, so that a user's sessions
are found by one indexed query (我的账号, ``core.security.account``) — never by decoding the
sessions of every user. Expired rows are dropped by Django's ``clearsessions``."""
from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore


class SessionStore(DatabaseStore):
    @classmethod
    def get_model_class(cls):
        from zhifa.core.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_ref = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_ref = None
        return instance
