"""Fixtures of the off-site tests: the world's market bureau, a penalty item, the Road Traffic
Safety Law (a law providing for monitoring devices), a lawful device with a complete file, the
clock frozen on the world's day, and helpers to upload captures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.catalog.models import Law
from zhifa.core import clock, workdays
from zhifa.offsite import inputs, services
from zhifa.registry import access


@pytest.fixture(autouse=True)
def frozen_clock(settings):
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "deferred"}
    workdays.clear_cache()
    with clock.frozen(TODAY):
        yield


@dataclass
class OffsiteWorld:
    world: object
    item: object
    law: object
    local_rule: object

    def actor(self, username: str) -> access.Actor:
        return access.actor_for(self.world.users[username])

    def device(self, by: str = "head1", **kw):
        data = dict(code="CAM-001", name="人民路与解放路路口摄像机", kind="camera", item_code=self.item.code,
                    location="示例市人民路与解放路交叉口东北角", basis_law_id=self.law.pk, basis_article="第一百一十四条",
                    legal_review_on=TODAY - dt.timedelta(days=200), legal_review_by="法制科",
                    technical_review_on=TODAY - dt.timedelta(days=200), technical_review_by="示例市计量检定所",
                    signage_on=TODAY - dt.timedelta(days=190), published_on=TODAY - dt.timedelta(days=180))
        data.update(kw)
        return services.register_device(**data, actor=self.actor(by))

    def upload(self, device, rows: list[dict], files: dict[str, bytes], by: str = "officer1"):
        parsed = inputs.parse_manifest("m.json", __import__("json").dumps(rows).encode())
        uploads = {name: SimpleUploadedFile(name, content, content_type="image/jpeg") for name, content in files.items()}
        return services.import_captures(device.pk, rows=parsed, files=uploads, actor=self.actor(by))


def row(n: int, *, day: dt.date | None = None, subject: str | None = None, file: str | None = None) -> dict:
    taken = dt.datetime.combine(day or TODAY - dt.timedelta(days=3), dt.time(8, 0)) + dt.timedelta(minutes=n)
    return {"taken_at": taken.isoformat(), "subject": subject or f"新A{n:05d}", "file": file or f"img{n}.jpg",
            "description": "机动车违反禁止标线指示", "party_name": f"车主{n}"}


@pytest.fixture
def ow(world, media_root) -> OffsiteWorld:
    item = ItemFactory(body=world.market, code="SJJ-FXC-001", name="对违反禁止标线指示的处罚")
    law = Law.objects.create(title="中华人民共和国道路交通安全法", short_title="道路交通安全法", level=Law.Level.LAW,
                             version_date=dt.date(2021, 4, 29), effective_from=dt.date(2021, 4, 29))
    rule = Law.objects.create(title="示例市电子监控管理办法", short_title="示例市电子监控管理办法", level=Law.Level.RULE,
                              version_date=dt.date(2020, 1, 1), effective_from=dt.date(2020, 1, 1))
    return OffsiteWorld(world, item, law, rule)
