"""Settings of double random, one public (双随机、一公开) that an operator may change
(``settings.ZHIFA``): publication period, photo limits, the joint-inspection floor."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def setting(name: str, default):
    return getattr(settings, "ZHIFA", {}).get(name, default)


def publish_working_days() -> int:
    """Results are published within this many working days of the check (legal-rules §D,
    *unconfirmed nationally*, configurable: ``ZHIFA["INSPECTION_PUBLISH_WORKING_DAYS"]``)."""
    return int(setting("INSPECTION_PUBLISH_WORKING_DAYS", 20))


def photo_max_bytes() -> int:
    """Size limit of one photo (``ZHIFA["INSPECTION_PHOTO_MAX_BYTES"]``, default 15 MB)."""
    return int(setting("INSPECTION_PHOTO_MAX_BYTES", 15 * 1024 * 1024))


def photo_max_count() -> int:
    """Photos per inspection (``ZHIFA["INSPECTION_PHOTO_MAX_COUNT"]``, default 30)."""
    return int(setting("INSPECTION_PHOTO_MAX_COUNT", 30))


def joint_floor_percent() -> Decimal:
    """The share of a body's yearly tasks that must be joint (跨部门联合抽查, R29), in percent:
    ``ZHIFA["INSPECTION_JOINT_FLOOR_PERCENT"]``, default 10 — 国发〔2019〕5号 and seed G §十 set
    10% as the floor, so a setting may raise it (a local rule) but never lower it."""
    return max(Decimal(10), Decimal(str(setting("INSPECTION_JOINT_FLOOR_PERCENT", 10))))
