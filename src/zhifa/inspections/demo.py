"""Demo data of double random, one public (R26–R30), for ``zhifa demo``.

``load_inspections_demo(seed=2026, entities=12000, today=None, log=None) -> dict[str, int]``
creates, idempotently and fast (bulk inserts, ``COPY`` on PostgreSQL):

- ≥ 10,000 market entities (检查对象), deterministic from ``seed``, spread over the townships;
- an inspection item list for the city bodies that run draws;
- a plan for the current year for several bodies, with tasks (one joint, one surprise);
- revealed draws that verify (the secret is random, the draw verifiable), results recorded and
  published, and a second draw in which the entities just inspected are excluded with their reason.

Call it after the registry demo (jurisdictions, bodies, officers with certificates exist).
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.db import transaction
from django.db.models import Count

from zhifa.core import clock, ledger
from zhifa.registry.access import Actor, Role
from zhifa.registry.models import Body, Jurisdiction

from . import importers, rules, services
from .models import Draw, Entity, Inspection, InspectionItem, Plan, Task

INDUSTRIES = ("餐饮", "食品销售", "药品零售", "商超", "加油站", "特种设备使用", "化妆品经营", "农资销售", "住宿", "网络交易")
KIND_WEIGHTS = (("enterprise", 55), ("individual", 40), ("cooperative", 3), ("other", 2))
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"
WORDS = ("金", "华", "兴", "盛", "鑫", "源", "达", "顺", "佳", "和", "美", "新", "天", "丰", "宏", "福", "安", "康")
SUFFIX = {"餐饮": "餐厅", "食品销售": "食品店", "药品零售": "大药房", "商超": "超市", "加油站": "加油站", "特种设备使用": "机械厂",
          "化妆品经营": "化妆品店", "农资销售": "农资店", "住宿": "宾馆", "网络交易": "电子商务有限公司"}

SYSTEM = Actor(user=None, roles=frozenset({Role.ADMIN}))


def credit_code_for(region: str, n: int) -> str:
    """A valid unified social credit code: ``91`` + 6-digit region + 9-digit sequence + check."""
    first = f"91{region[:6]}{n:09d}"
    return first + rules.credit_check_char(first)


def entity_rows(n: int, townships: list[tuple[int, str]], seed: int = 2026, start: int = 1) -> Iterator[tuple]:
    """``n`` entity rows in ``importers.FIELDS`` order, deterministic from ``seed``."""
    rng = random.Random(seed)
    kinds = [k for k, w in KIND_WEIGHTS for _ in range(w)]
    for i in range(start, start + n):
        township_id, code = townships[rng.randrange(len(townships))] if townships else (None, "650200")
        industry = INDUSTRIES[rng.randrange(len(INDUSTRIES))]
        kind = kinds[rng.randrange(len(kinds))]
        owner = SURNAMES[rng.randrange(len(SURNAMES))]
        brand = WORDS[rng.randrange(len(WORDS))] + WORDS[rng.randrange(len(WORDS))]
        name = f"示例市{brand}{SUFFIX[industry]}" if kind == "enterprise" else f"{owner}记{brand}{SUFFIX[industry]}"
        name = f"{name}（{i}）"
        roll = rng.random()
        risk = "A" if roll < 0.35 else "B" if roll < 0.75 else "C" if roll < 0.93 else "D"
        credit = "A" if rng.random() < 0.7 else "B" if rng.random() < 0.8 else "C"
        abnormal = rng.random() < 0.04
        complaints = rng.choice((1, 1, 2, 3)) if rng.random() < 0.08 else 0
        violations = 1 if rng.random() < 0.05 else 0
        yield (credit_code_for(code, i), name, kind, industry, f"示例市{brand}路{rng.randrange(1, 400)}号",
               township_id, risk, credit, abnormal, complaints, violations)


def ensure_entities(n: int, seed: int = 2026) -> int:
    """Create the first ``n`` demo entities that do not exist yet; returns how many were created."""
    have = Entity.objects.count()
    if have >= n:
        return 0
    townships = list(Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWNSHIP).order_by("code").values_list("pk", "code"))
    rows = list(entity_rows(n, townships, seed))
    existing = set(Entity.objects.values_list("credit_code", flat=True)) if have else set()
    new = [r for r in rows if r[0] not in existing]
    importers.write_entities(new, [])
    if new:  # a loader outside ``run_import``: one record entry for the run (not one per row)
        ledger.append("import:entities", "load_demo", {"source": "demo", "seed": seed, "requested": n, "created": len(new),
                                                       "dry_run": False})
    return len(new)


ITEMS = {
    "market": [
        ("食品经营者落实食品安全主体责任情况检查", "key", "《中华人民共和国食品安全法》第一百一十条", ["许可证在有效期内并悬挂", "从业人员健康证明", "进货查验记录", "食品贮存条件"]),
        ("特种设备使用单位监督检查", "key", "《中华人民共和国特种设备安全法》第五十七条", ["使用登记", "定期检验", "作业人员持证"]),
        ("明码标价情况检查", "general", "《中华人民共和国价格法》第十三条", ["标价签内容完整", "无价格欺诈"]),
        ("企业公示信息情况检查", "general", "《企业信息公示暂行条例》第十四条", ["年报按时公示", "公示信息真实"]),
    ],
    "health": [("公共场所卫生监督检查", "general", "《公共场所卫生管理条例》第十三条", ["卫生许可证", "从业人员健康合格证明", "空气质量检测"])],
    "culture": [("旅游经营者经营行为检查", "general", "《中华人民共和国旅游法》第八十三条", ["经营许可", "合同规范"])],
    "ecology": [("排污单位排污许可执行情况检查", "key", "《排污许可管理条例》第二十八条", ["持证排污", "自行监测", "台账记录"])],
}


def _city_body(sector: str) -> Body | None:
    """The city-level body of a sector with the most officers (the demo city has one)."""
    return (
        Body.objects.filter(sector=sector, jurisdiction__level=Jurisdiction.Level.CITY, is_active=True)
        .annotate(n=Count("officers")).order_by("-n", "code").first()
    )


def load_inspections_demo(*, seed: int = 2026, entities: int = 12000, today: dt.date | None = None,
                          log: Callable[[str], None] | None = None) -> dict[str, int]:
    """Load the double-random demo (see the module docstring). Idempotent."""
    with clock.as_of(today):
        return _load(seed, entities, today, log)


def _load(seed: int, entities: int, today: dt.date | None, log: Callable[[str], None] | None) -> dict[str, int]:
    say = log or (lambda _m: None)
    today = today or clock.today()
    created = {"检查对象": 0, "抽查事项": 0, "抽查计划": 0, "抽查任务": 0, "抽取": 0}
    with transaction.atomic():
        created["检查对象"] = ensure_entities(entities, seed)
        bodies = {sector: _city_body(sector) for sector in ITEMS}
        bodies = {s: b for s, b in bodies.items() if b is not None}
        added: list[str] = []
        for sector, body in bodies.items():
            for n, (name, category, basis, checklist) in enumerate(ITEMS[sector], 1):
                _, new = InspectionItem.objects.get_or_create(
                    code=f"{body.code}-CC-{n:03d}",
                    defaults=dict(name=name, body=body, legal_basis=basis, category=category, checklist=checklist,
                                  ratio_percent=Decimal("5") if category == "general" else Decimal("10"),
                                  rounds_per_year=1 if category == "general" else 2),
                )
                created["抽查事项"] += new
                if new:
                    added.append(f"{body.code}-CC-{n:03d}")
        if added:  # one record entry for the demo's item list
            ledger.append("list:inspection_items", "load_demo", {"source": "demo", "created": added})
        if Plan.objects.filter(year=today.year).exists() or "market" not in bodies:
            return created
    market = bodies["market"]
    _plans_and_tasks(bodies, today, created)
    # Draws: the first market task, then the re-check in the same township (its entities just
    # inspected are excluded with their reason), then the joint task.
    tasks = list(Task.objects.filter(plan__body=market, plan__year=today.year).order_by("id"))
    for n, task in enumerate(tasks[:3]):
        try:
            draw = services.commit_draw(task_id=task.pk, actor=SYSTEM)
            draw = services.reveal_draw(draw_id=draw.pk, witness=str(48213 + 977 * n), witness_name="示例市人大代表 王建国", actor=SYSTEM)
        except Exception as exc:  # demo data must load even on a thin city; say why
            say(f"演示抽取「{task.title}」未完成：{exc}")
            continue
        created["抽取"] += 1
        if n == 0:
            _record_demo_results(draw, today)
    return created


def _plans_and_tasks(bodies: dict[str, Body], today: dt.date, created: dict[str, int]) -> None:
    """A plan of the year for each body with items, and its tasks: for the market bureau a scoped
    task, its re-check, a joint task with health, a surprise inspection and a city-wide one."""
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    township = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWNSHIP).order_by("code").first()
    with transaction.atomic():
        for sector, body in bodies.items():
            plan = services.create_plan(body_id=body.pk, year=today.year, title=f"{body.name}{today.year}年度“双随机、一公开”抽查计划", actor=SYSTEM)
            created["抽查计划"] += 1
            items = list(InspectionItem.objects.filter(body=body).values_list("pk", flat=True))
            specs = [("全市" + ITEMS[sector][0][0][:10] + "随机抽查", dict(ratio_percent=Decimal("1")))]
            if sector == "market":
                partner = bodies.get("health")
                specs = [
                    ("餐饮服务单位食品安全随机抽查（示范镇）", dict(scope_industry="餐饮", scope_jurisdiction_id=township.pk if township else None, sample_count=20, flagged_weight=3)),
                    ("餐饮服务单位食品安全复查（示范镇）", dict(scope_industry="餐饮", scope_jurisdiction_id=township.pk if township else None, ratio_percent=Decimal("50"))),
                    ("住宿业市场监管与卫生联合抽查", dict(scope_industry="住宿", sample_count=15, partner_ids=[partner.pk] if partner else [])),
                    ("特种设备使用单位飞行检查", dict(scope_industry="特种设备使用", kind=Task.Kind.SURPRISE, sample_count=5, scope_risk_grades="CD")),
                    ("全市企业公示信息随机抽查", dict(ratio_percent=Decimal("0.5"))),
                ]
                items = items + [i for i in InspectionItem.objects.filter(body=partner).values_list("pk", flat=True)] if partner else items
            for title, extra in specs:
                own_items = [i for i in items if InspectionItem.objects.filter(pk=i, body__in=[body.pk, *extra.get("partner_ids", [])]).exists()]
                services.create_task(plan_id=plan.pk, data=services.TaskInput(
                    title=title, starts_on=start, ends_on=end, item_ids=own_items, **extra), actor=SYSTEM)
                created["抽查任务"] += 1


def _answers(task, outcome: str, note: str) -> list[dict]:
    """An answer to every check point of the task (a result answers them all, finding 5): all 符合
    when nothing was found, else the first point 不符合 with ``note``."""
    points = [p for item in task.items.all() for p in item.checklist]
    problem = outcome != Inspection.Outcome.NO_PROBLEM
    return [{"point": p, "ok": not (problem and i == 0), "note": note if problem and i == 0 else ""} for i, p in enumerate(points)]


def _record_demo_results(draw: Draw, today: dt.date) -> None:
    outcomes = [Inspection.Outcome.NO_PROBLEM] * 6 + [Inspection.Outcome.CORRECTED, Inspection.Outcome.RECTIFY, Inspection.Outcome.CASE]
    for n, inspection in enumerate(Inspection.objects.filter(draw=draw).order_by("rank")[:12]):
        outcome = outcomes[n % len(outcomes)]
        services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
            inspected_on=today, outcome=outcome,
            answers=_answers(draw.task, outcome, "进货查验记录不全"),
            findings="" if outcome == Inspection.Outcome.NO_PROBLEM else "进货查验记录不全",
            case_number=f"示市监立字〔{today.year}〕{n + 1}号" if outcome == Inspection.Outcome.CASE else "",
        ), actor=SYSTEM)
    services.publish_results(task_id=draw.task_id, actor=SYSTEM)
    # leave a few results unpublished so the overdue flag has something to show later
    pending = Inspection.objects.filter(draw=draw, outcome="").order_by("rank").first()
    if pending is not None:
        services.record_result(inspection_id=pending.pk, data=services.ResultInput(
            inspected_on=today, outcome=Inspection.Outcome.RECTIFY, findings="后厨防蝇设施破损，责令限期整改",
            answers=_answers(draw.task, Inspection.Outcome.RECTIFY, "后厨防蝇设施破损")), actor=SYSTEM)
        services.add_photos(inspection_id=pending.pk, uploads=[_demo_photo("后厨防蝇纱网破损", 0), _demo_photo("责令整改通知送达", 1)],
                            caption="现场检查照片（演示）", actor=SYSTEM)


def _demo_photo(text: str, n: int):
    """A generated JPEG standing in for a site photo (现场照片) in the demo."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (960, 720), (92 + 40 * n, 110, 128))
    draw = ImageDraw.Draw(image)
    for y in range(0, 720, 48):  # a little texture, so the thumbnail is not a flat square
        draw.line([(0, y), (960, y + 120)], fill=(120 + 30 * n, 140, 150), width=10)
    try:
        font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 56)
    except OSError:  # fonts-noto-cjk missing: the photo goes without its caption
        font = None
    if font is not None:
        draw.rectangle([(40, 560), (920, 680)], fill=(255, 255, 255))
        draw.text((70, 585), f"演示照片：{text}", font=font, fill=(30, 41, 59))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{n + 1}.jpg", data.getvalue(), content_type="image/jpeg")
