"""Fixtures of the double-random tests: entities, inspection items, a plan and a task."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zhifa.core import clock
from zhifa.inspections import rules
from zhifa.inspections.models import Entity, InspectionItem
from zhifa.registry.access import actor_for

TODAY = dt.date(2026, 11, 23)


def credit_code(n: int, region: str = "650203") -> str:
    """A valid unified social credit code numbered ``n`` (GB 32100 check character)."""
    body = f"91{region}{n:09d}"
    body = body[:17]
    return body + rules.credit_check_char(body)


def make_entities(n: int, township=None, **extra) -> list[Entity]:
    return Entity.objects.bulk_create([
        Entity(credit_code=credit_code(i), name=f"示例商贸有限公司{i}", industry="餐饮", township=township, **extra)
        for i in range(1, n + 1)
    ])


@pytest.fixture
def frozen_clock():
    with clock.frozen(dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.SHANGHAI)):
        yield


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def item(world):
    return InspectionItem.objects.create(
        code="SJ-001", name="食品经营者落实主体责任情况检查", body=world.market,
        legal_basis="《中华人民共和国食品安全法》第一百一十条", checklist=["持证经营", "从业人员健康证明", "进货查验记录"],
    )


@pytest.fixture
def head(world):
    return actor_for(world.users["head1"])


@pytest.fixture
def admin(world):
    return actor_for(world.users["admin"])
