"""Security controls of the application (安全控制, GB/T 22239-2019 level 3, docs/security.md):
the login lockout (``lockout``), the password policy (``passwords``), the request guards and
headers (``middleware``). In ``core``: they depend on Django and libraries only."""
from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """The client's address (客户端地址) for the lockout and the audit log: the socket's, unless
    zhifa runs behind ``ZHIFA_TRUSTED_PROXIES`` reverse proxies, each appending the address it saw
    to ``X-Forwarded-For``; the entry the outermost trusted proxy appended is then the client's.
    A header the client wrote itself is never believed when no proxy is declared."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45]
    return remote[:45]
