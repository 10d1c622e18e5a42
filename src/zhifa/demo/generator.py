"""Build the demo city (示例市) in the database: deterministic and idempotent.

``load_demo(seed=…, scale=…)`` first plans everything in memory from ``random.Random(seed)``
(so the same seed always gives the same people, whatever is already stored), then writes only
what is missing, keyed by natural keys: jurisdiction and body codes, (body, staff number),
certificate numbers, item codes, usernames, (from body, to body, item) of delegations. Certificates,
training records and assignments are written only for officers created in the same run. Running it twice
therefore never duplicates anything and never overwrites what users changed.

Everything is bulk-written; the demo password is hashed once and the hash reused.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.hashers import make_password
from django.db import transaction

from zhifa.catalog import services as catalog_services
from zhifa.catalog.models import Benchmark, Delegation, Item, ItemProvision, Law, Provision
from zhifa.cases.demo import build_demo_cases
from zhifa.cases.models import Case
from zhifa.core import clock, ledger
from zhifa.core.security.audit import AUDITOR_GROUP
from zhifa.inspections.demo import load_inspections_demo
from zhifa.transfers.demo import build_demo_transfers
from zhifa.inspections.models import Entity
from zhifa.portal.demo import load_portal_demo
from zhifa.core.importing import run_import
from zhifa.registry.models import (
    Assignment,
    Body,
    Certificate,
    Jurisdiction,
    Officer,
    SupervisionPost,
    TrainingRecord,
)

from . import city
from .city import BodySpec
from .items import DELEGATED_TEMPLATE_INDEXES, KIND_CODES, TEMPLATES

from .plans import (  # noqa: F401 — the plans' names stay importable from here (the command, the tests)
    ACCOUNTS,
    ADMIN,
    CERTIFICATE_YEARS,
    DEFAULT_SEED,
    SUPERVISOR,
    AUDITOR,
    Account,
    CertPlan,
    PersonPlan,
    Planner,
    plan_city,
)

DEMO_PASSWORD = "zhifa-demo"  # contract.md: demo data only — a production install has no default account
DATA_DIR = Path(__file__).resolve().parent / "demo_data"
ITEM_VALID_FROM = dt.date(2024, 1, 1)


# --- Writing ---------------------------------------------------------------------------------

@dataclass
class DemoResult:
    created: dict[str, int]
    totals: dict[str, int]
    seconds: float
    messages: list[str]


def load_demo(*, seed: int = DEFAULT_SEED, scale: float = 1.0, real_lists: bool = True, cases: bool = True,
              inspections: bool = True, today: dt.date | None = None,
              log: Callable[[str], None] | None = None) -> DemoResult:
    """Load (or complete) the demo city. Idempotent; returns what it created and the totals.

    ``cases`` and ``inspections`` can be turned off where only the registry matters (fast tests)."""
    with clock.as_of(today):
        return _load_demo(seed, scale, real_lists, cases, inspections, today, log)


def _load_demo(seed, scale, real_lists, cases, inspections, today, log) -> DemoResult:
    started = time.monotonic()
    today = today or clock.today()
    messages: list[str] = []
    say = log or messages.append
    created: dict[str, int] = {}
    plans = plan_city(seed, scale, today)
    specs = city.all_bodies()
    with transaction.atomic():
        jurisdictions = _ensure_jurisdictions(created)
        bodies = _ensure_bodies(specs, plans, jurisdictions, created)
        users = _ensure_users(created, jurisdictions)
        new_officers = _ensure_officers(plans, bodies, users, created)
        _ensure_certificates(plans, bodies, new_officers, created)
        _ensure_trainings_and_assignments(plans, bodies, new_officers, created)
        _ensure_items(specs, bodies, real_lists, created, say)
        _ensure_delegations(specs, bodies, today, created)
        _ensure_laws(created)
        _ensure_benchmarks(created, say)
        catalog_services.load_demo_lists()
        if cases:
            _ensure_cases(seed, today, created, say)
    if inspections:
        for label, n in load_inspections_demo(seed=seed, entities=int(12000 * scale), today=today, log=say).items():
            _add(created, label, n)
    if cases:
        _ensure_flexible_and_offsite(today, created, say)
    for label, n in load_portal_demo(today).items():
        _add(created, label, n)
    if cases:
        _ensure_case_files(created)  # last: the flexible and portal demos close cases too
        _ensure_alerts(today, created)  # after everything: a sweep of the alert rules (R33)
    _record_run(seed, scale, real_lists, cases, inspections, created)
    return DemoResult(created, _totals(), time.monotonic() - started, messages)


#: The record stream of the demo's runs (one entry per run, like an import: ``import:<kind>``).
DEMO_STREAM = "import:demo"


def _record_run(seed, scale, real_lists, cases, inspections, created) -> None:
    """One record entry per run of the demo (a loader outside ``run_import`` records itself):
    its choices and what it created."""
    with transaction.atomic():
        ledger.append(DEMO_STREAM, "load_demo", {"seed": seed, "scale": scale, "real_lists": real_lists, "cases": cases,
                                                 "inspections": inspections, "created": dict(created)})


def _totals() -> dict[str, int]:
    """What the database holds after the run, by kind."""
    return {
        "行政区划": Jurisdiction.objects.count(),
        "执法主体": Body.objects.count(),
        "执法人员": Officer.objects.filter(is_auxiliary=False).count(),
        "执法辅助人员": Officer.objects.filter(is_auxiliary=True).count(),
        "行政执法证": Certificate.objects.count(),
        "培训记录": TrainingRecord.objects.count(),
        "借调与非执法岗位安排": Assignment.objects.count(),
        "执法事项": Item.objects.count(),
        "法律法规": Law.objects.count(),
        "法律条款": Provision.objects.count(),
        "裁量基准": Benchmark.objects.count(),
        "案件": Case.objects.count(),
        "检查对象": Entity.objects.count(),
        "事项关联条款": ItemProvision.objects.count(),
        "赋权与委托事项": Delegation.objects.count(),
        "登录账号": get_user_model().objects.count(),
    }


# Bodies with demo cases in every state, and how many each (R14–R24).
CASE_BODIES = {"SJJ": 36, "CGJ": 14, "SHJ": 12, "JTJ": 10}


def _ensure_cases(seed: int, today: dt.date, created, say) -> None:
    """Cases made through the case services, so each carries its full-process record."""
    for code, count in CASE_BODIES.items():
        body = Body.objects.filter(code=code).first()
        if body is None or Case.objects.filter(body=body).exists():
            continue
        if not build_demo_cases(random.Random(f"{seed}-cases-{code}"), body, count, today):
            say(f"提示：{body.name}不具备办案条件（持证人员、负责人或处罚事项不足），未生成演示案件。")
        _add(created, "案件", Case.objects.filter(body=body).count())
    # Transfers of suspected crimes in every state (R25), for the market bureau.
    market = Body.objects.filter(code="SJJ").first()
    if market is not None:
        _add(created, "移送涉嫌犯罪案件", build_demo_transfers(market, today))


def _ensure_flexible_and_offsite(today: dt.date, created, say) -> None:
    """Flexible acts of each form at the market bureau (R21) and the off-site demo (R22): two
    devices (one refused without a basis), a batch of captures half reviewed."""
    from zhifa.cases.demo_flexible import build_demo_flexible_acts
    from zhifa.offsite.demo import load_offsite_demo

    market = Body.objects.filter(code="SJJ").first()
    if market is not None:
        with transaction.atomic():
            _add(created, "柔性执法", build_demo_flexible_acts(market, today))
    for label, n in load_offsite_demo(today=today, log=say).items():
        _add(created, label, n)


def _ensure_case_files(created) -> None:
    """R31: the default evaluation sheet, and the files of the closed cases bound (the archived
    ones were bound by their archiving) — by the head of the case's body, through the service."""
    from zhifa.registry import access
    from zhifa.supervision import services as supervision

    supervision.load_default_sheet()
    for case in Case.objects.filter(state="closed").exclude(case_files__isnull=False).select_related("body").order_by("pk"):
        # The body's head (the demo's officers of some bodies have no login: the actor is the officer).
        officer = (Officer.objects.filter(body=case.body, status=Officer.Status.ACTIVE, is_auxiliary=False)
                   .order_by("-is_head", "pk").first())
        if officer is None:
            continue
        with clock.frozen(case.closed_on):
            roles = frozenset({access.Role.OFFICER, *([access.Role.HEAD] if officer.is_head else [])})
            actor = access.Actor(user=officer.user, roles=roles, officer=officer, body_id=officer.body_id)
            supervision.bind_case_file(case.pk, actor=actor)
        _add(created, "装订卷宗", 1)


def _ensure_alerts(today: dt.date, created) -> None:
    """R33: the alerts a sweep of the published rules raises over the demo data — on the first run
    only (a later run adds nothing; the nightly ``zhifa sweep`` keeps them current)."""
    from zhifa.core.ledger import RecordEntry
    from zhifa.supervision.services import alerts

    if RecordEntry.objects.filter(stream=DEMO_STREAM).exists():
        return
    _add(created, "执法监督预警", alerts.run_alerts(today=today)["raised"])


BENCHMARK_TABLE = "jiangmen-ecology-environment-discretion-2020.xls"
BENCHMARK_BODY = "SHJ"


def _ensure_benchmarks(created, say) -> None:
    """A real published discretion table (R10) for the ecology bureau, through the user's importer."""
    if Benchmark.objects.filter(body__code=BENCHMARK_BODY).exists():
        return
    result = run_import("benchmarks", (DATA_DIR / BENCHMARK_TABLE).read_bytes(), BENCHMARK_TABLE, body_code=BENCHMARK_BODY)
    if not result.ok:
        say(f"提示：{BENCHMARK_TABLE}未能导入：{result.errors[0]}")
        return
    _add(created, "裁量基准", result.created)


def _ensure_laws(created) -> None:
    """The bundled laws and their articles (R09), and the items' legal basis linked to them
    (``catalog.services.load_laws``, which records its run on ``import:laws``)."""
    report = catalog_services.load_laws().loaded
    _add(created, "法律法规", report.laws_created)
    _add(created, "法律条款", report.provisions_created)


def _add(created: dict[str, int], key: str, n: int) -> None:
    created[key] = created.get(key, 0) + n


def _ensure_jurisdictions(created) -> dict[str, Jurisdiction]:
    wanted: list[tuple[str, str, str, str | None]] = [(city.CITY_CODE, city.CITY_NAME, Jurisdiction.Level.CITY, None)]
    for county in city.COUNTIES:
        wanted.append((county.code, county.name, Jurisdiction.Level.COUNTY, city.CITY_CODE))
        wanted.extend((code, name, Jurisdiction.Level.TOWNSHIP, county.code) for code, name, _ in county.townships)
    existing = {j.code: j for j in Jurisdiction.objects.filter(code__in=[w[0] for w in wanted])}
    new = []
    for code, name, level, parent in wanted:
        if code in existing:
            continue
        parent_obj = existing[parent] if parent else None
        j = Jurisdiction(code=code, name=name, level=level, parent=parent_obj)
        j.path = (parent_obj.path if parent_obj else "/") + f"{code}/"  # what save() computes
        existing[code] = j
        new.append(j)
    # Parents come before children in ``wanted``; one bulk insert per level keeps the FKs set.
    for level in (Jurisdiction.Level.CITY, Jurisdiction.Level.COUNTY, Jurisdiction.Level.TOWNSHIP):
        batch = [j for j in new if j.level == level]
        for j in batch:
            j.parent_id = j.parent.pk if j.parent else None
        Jurisdiction.objects.bulk_create(batch)
    _add(created, "行政区划", len(new))
    return existing


def _ensure_bodies(specs, plans, jurisdictions, created) -> dict[str, Body]:
    existing = {b.code: b for b in Body.objects.filter(code__in=[s.code for s in specs])}
    new = []
    for spec in specs:
        if spec.code in existing:
            continue
        powers, basis, boundary = city.SECTOR_TEXT[spec.text_key or spec.sector]
        head = next(p for p in plans[spec.code] if p.is_head)
        phone_tail = random.Random(spec.code).randrange(6_200_000, 6_899_999)  # stable per body
        body = Body(
            code=spec.code, name=spec.name, short_name=spec.short_name, kind=spec.kind, sector=spec.sector,
            jurisdiction=jurisdictions[spec.jurisdiction_code], legal_representative=head.name,
            powers=powers, legal_basis=basis, responsibility_boundary=boundary, address=spec.address,
            supervision_phone=f"{city.PHONE_AREA}-{phone_tail}",
            supervision_email=f"jd.{spec.code.lower().replace('-', '.')}@{city.MAIL_DOMAIN}",
            is_township_bureau=spec.is_township_bureau,
        )
        existing[spec.code] = body
        new.append(body)
    Body.objects.bulk_create(new)
    # Second pass: links between bodies (parent department, entrusting body) of the new ones.
    linked = []
    for spec in specs:
        body = existing[spec.code]
        if body in new and (spec.parent_code or spec.entrusted_by_code):
            body.parent_department = existing.get(spec.parent_code) if spec.parent_code else None
            body.entrusted_by = existing.get(spec.entrusted_by_code) if spec.entrusted_by_code else None
            linked.append(body)
    Body.objects.bulk_update(linked, ["parent_department", "entrusted_by"])
    _add(created, "执法主体", len(new))
    return existing


def _ensure_users(created, jurisdictions) -> dict[str, object]:
    User = get_user_model()
    wanted = [ADMIN, SUPERVISOR, AUDITOR, *ACCOUNTS]
    existing = {u.username: u for u in User.objects.filter(username__in=[a.username for a in wanted])}
    password = make_password(DEMO_PASSWORD)  # hashed once (argon2 is slow on purpose), reused for all
    new = [
        User(username=a.username, password=password, first_name=a.name,
             is_superuser=a is ADMIN, is_staff=a is ADMIN, email=f"{a.username}@{city.MAIL_DOMAIN}")
        for a in wanted if a.username not in existing
    ]
    User.objects.bulk_create(new)
    if new:  # re-read for primary keys on every backend
        existing = {u.username: u for u in User.objects.filter(username__in=[a.username for a in wanted])}
    _add(created, "登录账号", len(new))
    supervisor = existing[SUPERVISOR.username]
    if not SupervisionPost.objects.filter(user=supervisor).exists():
        SupervisionPost.objects.create(user=supervisor, jurisdiction=jurisdictions[city.CITY_CODE],
                                       office=city.SUPERVISION_OFFICE, name=SUPERVISOR.name)
    Group.objects.get_or_create(name=AUDITOR_GROUP)[0].user_set.add(existing[AUDITOR.username])
    return existing


def _ensure_officers(plans, bodies, users, created) -> set[int]:
    """Insert the officers not yet stored; returns the ids of those created now."""
    body_ids = [b.pk for b in bodies.values()]
    existing = {(b, s): (pk, uid) for pk, b, s, uid in Officer.objects.filter(body_id__in=body_ids).values_list("pk", "body_id", "staff_no", "user_id")}
    linked_users = set(Officer.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    new = []
    for code, people_ in plans.items():
        body = bodies[code]
        for p in people_:
            key = (body.pk, p.staff_no)
            if key in existing:
                pk, uid = existing[key]
                user = users.get(p.username) if p.username else None
                if user is not None and uid is None and user.pk not in linked_users:
                    Officer.objects.filter(pk=pk).update(user=user)
                continue
            user = users.get(p.username) if p.username else None
            if user is not None and user.pk in linked_users:
                user = None
            new.append(Officer(
                user=user, body=body, name=p.name, id_number=p.id_number, phone=p.phone, staff_no=p.staff_no,
                position=p.position, is_auxiliary=p.is_auxiliary, is_legal_reviewer=p.is_reviewer,
                has_legal_qualification=p.qualified, is_head=p.is_head, enforcement_experience_years=p.experience,
                status=p.status, joined_on=p.joined_on, left_on=p.left_on, left_reason=p.left_reason,
            ))
    Officer.objects.bulk_create(new, batch_size=500)
    _add(created, "执法人员（含辅助人员）", len(new))
    return {o.pk for o in new}


def _officer_ids(bodies) -> dict[tuple[str, str], int]:
    code_of = {b.pk: code for code, b in bodies.items()}
    return {
        (code_of[b], s): pk
        for pk, b, s in Officer.objects.filter(body_id__in=list(code_of)).values_list("pk", "body_id", "staff_no")
    }


def _ensure_certificates(plans, bodies, new_officer_ids, created) -> None:
    """Certificates of the officers created now (an officer already stored keeps the ones they
    have: an administrator may have revoked or renewed them since)."""
    ids = _officer_ids(bodies)
    numbers = [c.number for ps in plans.values() for p in ps for c in p.certificates]
    existing = set(Certificate.objects.filter(number__in=numbers).values_list("number", flat=True)) if numbers else set()
    new = []
    for code, people_ in plans.items():
        issuer = "示例市人民政府"
        for p in people_:
            officer_id = ids[(code, p.staff_no)]
            for c in p.certificates:
                if c.number in existing or officer_id not in new_officer_ids:
                    continue
                new.append(Certificate(
                    officer_id=officer_id, number=c.number, issuer=issuer, exam_score=c.exam_score,
                    exam_passed_on=c.issued_on - dt.timedelta(days=45), issued_on=c.issued_on, expires_on=c.expires_on,
                    status=c.status, status_changed_on=c.status_changed_on, revocation_reason=c.revocation_reason,
                    status_note=c.status_note,
                ))
    Certificate.objects.bulk_create(new, batch_size=500)
    _add(created, "行政执法证", len(new))


def _ensure_trainings_and_assignments(plans, bodies, new_officer_ids, created) -> None:
    ids = _officer_ids(bodies)
    trainings, assignments = [], []
    for code, people_ in plans.items():
        for p in people_:
            officer_id = ids[(code, p.staff_no)]
            if officer_id not in new_officer_ids:
                continue
            trainings.extend(TrainingRecord(officer_id=officer_id, title=t, provider=pr, held_on=d, hours=h) for t, pr, d, h in p.trainings)
            assignments.extend(Assignment(officer_id=officer_id, **a) for a in p.assignments)
    TrainingRecord.objects.bulk_create(trainings, batch_size=1000)
    Assignment.objects.bulk_create(assignments)
    _add(created, "培训记录", len(trainings))
    _add(created, "借调与非执法岗位安排", len(assignments))


def _level_label(spec: BodySpec) -> str:
    if spec.is_township_bureau:
        return "乡级"
    return "市级" if spec.jurisdiction_code == city.CITY_CODE else "县级"


def _unit_label(spec: BodySpec) -> str:
    if spec.is_township_bureau:
        return "综合行政执法队"
    return "执法支队" if spec.jurisdiction_code == city.CITY_CODE else "执法大队"


def generated_item_code(body_code: str, kind: str, index: int) -> str:
    return f"{body_code}-{KIND_CODES[kind]}-{index + 1:03d}"


def _ensure_items(specs, bodies, real_lists, created, say) -> None:
    with_items = set(Item.objects.filter(body__in=list(bodies.values())).values_list("body__code", flat=True).distinct())
    generate: list[BodySpec] = []
    for spec in specs:
        if spec.real_list and real_lists:
            if spec.code not in with_items:
                if _import_real_list(spec, created, say):
                    continue
                generate.append(spec)  # importer missing or list refused: generated items instead
            continue
        if spec.item_templates:
            generate.append(spec)
    wanted = []
    for spec in generate:
        for index, (kind, name, basis) in enumerate(TEMPLATES[spec.item_templates]):
            wanted.append(Item(
                code=generated_item_code(spec.code, kind, index), name=name, kind=kind, legal_basis=basis,
                body=bodies[spec.code], handling_unit=_unit_label(spec), level=_level_label(spec),
                valid_from=ITEM_VALID_FROM, source="示例市演示数据（生成）", source_seq=str(index + 1),
            ))
    existing = set(Item.objects.filter(code__in=[i.code for i in wanted]).values_list("code", flat=True))
    new = [i for i in wanted if i.code not in existing]
    Item.objects.bulk_create(new, batch_size=500)
    _add(created, "执法事项（生成）", len(new))


def _import_real_list(spec: BodySpec, created, say) -> bool:
    """Load a real published power list through the importer users use (R09)."""
    path = DATA_DIR / spec.real_list
    before = Item.objects.filter(body__code=spec.code).count()
    result = run_import("items", path.read_bytes(), path.name, body_code=spec.code)
    after = Item.objects.filter(body__code=spec.code).count()
    errors = getattr(result, "errors", None)
    if after == before:
        detail = f"（{len(errors)}处错误，如：{errors[0]}）" if errors else ""
        say(f"提示：{path.name}未能导入{detail}，{spec.name}使用生成的执法事项。")
        return False
    _add(created, "执法事项（导入真实清单）", after - before)
    return True


def _ensure_delegations(specs, bodies, today, created) -> None:
    """R03: county departments delegate (赋权) or entrust (委托) items to their township bureaus;
    the city culture bureau entrusts its penalties to the culture market enforcement detachment."""
    items = {code: pk for code, pk in Item.objects.filter(body__in=list(bodies.values())).values_list("code", "pk")}
    start = dt.date(today.year - 2, 1, 1)
    end = dt.date(today.year + 1, 12, 31)
    decision = f"《示例市人民政府关于向乡镇（街道）赋予部分县级行政执法权限的决定》（示政发〔{today.year - 2}〕18号）"
    wanted: list[Delegation] = []
    for county in city.COUNTIES:
        townships = [s for s in specs if s.is_township_bureau and s.parent_code == f"{county.abbr}-ZHZF"]
        for t_index, township in enumerate(townships):
            rural = township.name.endswith(("镇综合行政执法队", "乡综合行政执法队"))
            for suffix, templates in (("ZHZF", "urban"), ("SJJ", "market"), ("NYJ", "agriculture"), ("YJJ", "emergency")):
                if templates == "agriculture" and not rural:
                    continue  # streets have no farms
                for n, index in enumerate(DELEGATED_TEMPLATE_INDEXES[templates]):
                    kind, *_ = TEMPLATES[templates][index]
                    code = generated_item_code(f"{county.abbr}-{suffix}", kind, index)
                    if code not in items:
                        continue
                    entrusted = township.kind == "entrusted"
                    d = Delegation(
                        kind=Delegation.Kind.ENTRUSTMENT if entrusted else Delegation.Kind.DELEGATION,
                        from_body=bodies[f"{county.abbr}-{suffix}"], to_body=bodies[township.code], item_id=items[code],
                        valid_from=start, valid_to=end,
                        document_ref=f"{county.name}综合行政执法局行政执法委托书（{today.year - 2}年第{t_index + 1}号）" if entrusted else decision,
                    )
                    # A trial delegation that has ended, and one the county took back (收回).
                    if county.abbr == "HD" and suffix == "SJJ" and n == 1:
                        d.valid_from, d.valid_to = dt.date(today.year - 3, 1, 1), dt.date(today.year - 1, 12, 31)
                    if county.abbr == "QS" and suffix == "ZHZF" and index == 7 and t_index == 0:
                        d.revoked_on = today - dt.timedelta(days=60)
                    wanted.append(d)
    culture, detachment = bodies["WLJ"], bodies["WLZD"]
    for index, (kind, *_rest) in enumerate(TEMPLATES["culture"]):
        code = generated_item_code("WLJ", kind, index)
        if code in items:
            wanted.append(Delegation(
                kind=Delegation.Kind.ENTRUSTMENT, from_body=culture, to_body=detachment, item_id=items[code],
                valid_from=start, valid_to=end, document_ref=f"示例市文化体育广电和旅游局行政执法委托书（示文旅委〔{today.year - 2}〕1号）",
            ))
    existing = set(Delegation.objects.filter(to_body__in=list(bodies.values())).values_list("from_body_id", "to_body_id", "item_id"))
    new = [d for d in wanted if (d.from_body.pk, d.to_body.pk, d.item_id) not in existing]
    Delegation.objects.bulk_create(new)
    _add(created, "赋权与委托事项", len(new))
