"""Helpers of the inspections page tests: a signed-in client, a revealed draw with its
inspections, an inspection with a finding, and small images."""
from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.inspections import services
from zhifa.inspections.models import Draw, Inspection
from zhifa.registry.access import actor_for
from zhifa.registry.models import Officer

from .conftest import make_entities


def login(username: str) -> Client:
    """A test client signed in as a demo user (password ``zhifa-demo``)."""
    client = Client()
    assert client.login(username=username, password="zhifa-demo")
    return client


def revealed_draw(world, head, item, *, entities: int = 10, sample: int = 3) -> Draw:
    """A plan, a task of ``sample`` entities, committed and revealed by the market bureau's head."""
    make_entities(entities)
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="2026年度双随机抽查计划", actor=head)
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="餐饮服务单位抽查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk],
        sample_count=sample,
    ), actor=head)
    draw = services.commit_draw(task_id=task.pk, actor=head)
    return services.reveal_draw(draw_id=draw.pk, witness="31415", witness_name="见证人", actor=head)


def surprise_draw(world, head, item) -> Draw:
    """A surprise inspection (飞行检查) of 2 of 10 entities, drawn and revealed by the market bureau's
    head: its seed and list are withheld from outsiders until the task ends (2026-12-31)."""
    make_entities(10)
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="飞行检查计划", actor=head)
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="特种设备飞行检查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), kind="surprise",
        item_ids=[item.pk], sample_count=2), actor=head)
    return services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="3", actor=head)


def first_inspection(draw: Draw) -> tuple[Inspection, list]:
    """The first inspection of a draw and its assigned officers."""
    inspection = Inspection.objects.filter(draw=draw).order_by("rank").first()
    return inspection, sorted(Officer.objects.filter(pk__in=inspection.inspector_ids).select_related("user"), key=lambda o: inspection.inspector_ids.index(o.pk))


def answers_for(inspection: Inspection, outcome: str = "no_problem", note: str = "进货查验记录不全") -> list[dict]:
    """An answer to every check point of the inspection's task (nothing is pre-filled, finding 5):
    all 符合 for 未发现问题, the last point 不符合 with ``note`` for a finding, none for 无法联系."""
    points = [p for item in inspection.task.items.all() for p in item.checklist]
    if outcome == "not_found":
        return []
    problem = outcome not in ("no_problem", "")
    return [{"point": p, "ok": not (problem and n == len(points) - 1), "note": note if problem and n == len(points) - 1 else ""}
            for n, p in enumerate(points)]


def inspection_with_finding(world, head, item) -> tuple[Inspection, Officer]:
    """The first inspection of a revealed draw of 2 out of 10 entities, its result recorded by its
    first inspector as 责令限期整改 with a finding (ready to open a case from, R30)."""
    make_entities(10)
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="2026年度双随机抽查计划", actor=head)
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="餐饮服务单位抽查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk],
        sample_count=2,
    ), actor=head)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="4242", actor=head)
    inspection = Inspection.objects.filter(draw=draw).order_by("rank").first()
    inspector = Officer.objects.get(pk=inspection.inspector_ids[0])
    services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
        inspected_on=dt.date(2026, 11, 23), outcome="rectify", findings="销售超过保质期的食品 3 件",
        answers=answers_for(inspection, "rectify")), actor=actor_for(inspector.user))
    inspection.refresh_from_db()
    return inspection, inspector


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 60, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


HEIC_HEAD = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
