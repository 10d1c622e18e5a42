"""Abuse resistance of the portal's public writes (complaints, ratings) without a captcha
service: the filer's network address kept only as a keyed digest, counted per hour."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings


class RateLimited(Exception):
    """Too many filings from one address within the hour (no record, nothing written)."""


def source_hash(address: str) -> str:
    """The filer's network address as a keyed digest: enough to count filings, not to find them."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def check_rate(model, digest: str, now: dt.datetime, limit: int, time_field: str, what: str) -> None:
    """``RateLimited`` when ``digest`` already made ``limit`` rows of ``model`` within the hour."""
    recent = model.objects.filter(source_hash=digest, **{f"{time_field}__gte": now - dt.timedelta(hours=1)}).count()
    if recent >= limit:
        raise RateLimited(f"同一网络地址一小时内至多提交 {limit} 件{what}，请稍后再试。")
