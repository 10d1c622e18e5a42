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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from zhifa.catalog.models import Benchmark, Item, ItemProvision, Law, Provision
from zhifa.catalog.lists import load_demo_lists
from zhifa.catalog.provisions import link_items, load_all_laws
from zhifa.cases.demo import build_demo_cases
from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.inspections.demo import load_inspections_demo
from zhifa.inspections.models import Entity
from zhifa.core.importing import run_import
from zhifa.registry.models import (
    Assignment,
    Body,
    Certificate,
    Delegation,
    Jurisdiction,
    Officer,
    SupervisionPost,
    TrainingRecord,
)

from . import city, people
from .city import BodySpec
from .items import DELEGATED_TEMPLATE_INDEXES, KIND_CODES, TEMPLATES

DEMO_PASSWORD = "zhifa-demo"  # contract.md: demo data only — a production install has no default account
DEFAULT_SEED = 2026
DATA_DIR = Path(__file__).resolve().parent / "demo_data"
CERTIFICATE_YEARS = 5  # validity of a 行政执法证 in the demo province
ITEM_VALID_FROM = dt.date(2024, 1, 1)


# --- The fixed demo accounts (contract.md "Demo data and accounts") -------------------------

@dataclass(frozen=True)
class Account:
    username: str
    name: str
    male: bool
    body_code: str = ""
    role: str = "officer"  # head | reviewer | officer | expired | auxiliary
    position: str = ""


ACCOUNTS = (
    Account("head1", "陈建国", True, city.MARKET_BODY, "head", "局长"),
    Account("reviewer1", "周静", False, city.MARKET_BODY, "reviewer", "法规科科长（法制审核人员）"),
    Account("officer1", "李明", True, city.MARKET_BODY, "officer", "执法稽查支队一大队副大队长"),
    Account("officer2", "王芳", False, city.MARKET_BODY, "officer", "执法稽查支队一大队执法队员"),
    Account("officer3", "赵强", True, city.MARKET_BODY, "expired", "执法稽查支队二大队执法队员"),
    Account("aux1", "孙丽", False, city.MARKET_BODY, "auxiliary", "执法辅助人员"),
    Account("officer_other", "吴涛", True, city.URBAN_BODY, "officer", "执法支队三大队中队长"),
)
SUPERVISOR = Account("supervisor", "刘洋", True)
ADMIN = Account("admin", "系统管理员", True)


# --- Plans (pure data, drawn before anything is written) -----------------------------------

@dataclass
class CertPlan:
    number: str
    issued_on: dt.date
    expires_on: dt.date
    exam_score: Decimal
    status: str = Certificate.Status.VALID
    status_changed_on: dt.date | None = None
    revocation_reason: str = ""
    status_note: str = ""


@dataclass
class PersonPlan:
    body_code: str
    staff_no: str
    name: str
    male: bool
    id_number: str
    phone: str
    position: str
    joined_on: dt.date
    experience: int
    is_head: bool = False
    is_reviewer: bool = False
    qualified: bool = False
    is_auxiliary: bool = False
    status: str = Officer.Status.ACTIVE
    left_on: dt.date | None = None
    left_reason: str = ""
    username: str = ""
    certificates: list[CertPlan] = field(default_factory=list)
    trainings: list[tuple[str, str, dt.date, Decimal]] = field(default_factory=list)
    assignments: list[dict] = field(default_factory=list)
    rng: random.Random | None = field(default=None, repr=False, compare=False)


GENERAL_COURSES = (
    ("《中华人民共和国行政处罚法》专题培训", 8),
    ("行政执法人员公共法律知识培训", 16),
    ("行政执法案卷制作与评查实务培训", 6),
    ("行政执法“三项制度”专题培训", 8),
    ("行政执法人员网上学法考法", 12),
    ("依法行政能力提升培训班", 24),
    ("执法记录仪使用与全过程记录培训", 4),
    ("行政复议与行政诉讼典型案例研讨", 6),
    ("说理式执法与文书说理专题讲座", 4),
    ("包容审慎监管与柔性执法专题培训", 6),
    ("行政强制法专题培训", 8),
)
SECTOR_COURSES = {
    "market": (("食品安全监管业务培训", 12), ("特种设备安全监察业务培训", 8), ("价格与广告监管执法培训", 8)),
    "urban": (("违法建设查处业务培训", 8), ("城市管理文明执法规范培训", 6), ("市容环境卫生执法实务", 8)),
    "ecology": (("生态环境执法大练兵集中培训", 16), ("排污许可执法检查实务", 8)),
    "transport": (("交通运输综合执法业务培训", 12), ("治超执法实务培训", 8)),
    "emergency": (("安全生产执法检查实务培训", 12), ("危险化学品监管业务培训", 8)),
    "agriculture": (("农资打假执法业务培训", 8), ("动物卫生监督执法培训", 8)),
    "culture": (("文化市场综合执法业务培训", 12),),
    "health": (("卫生监督执法业务培训", 12), ("职业卫生监督执法培训", 8)),
    "natural_resources": (("自然资源执法监察业务培训", 12),),
    "housing": (("建筑市场与工程质量执法培训", 12),),
    "water": (("水行政执法业务培训", 12),),
    "comprehensive": (("乡镇综合行政执法业务培训", 16), ("赋权事项执法实务培训", 8)),
}
AUXILIARY_COURSES = (("执法辅助人员岗前培训", 16), ("文明执法规范与职业道德培训", 8), ("执法辅助人员业务轮训", 12))

REVOCATIONS = (
    (Certificate.RevocationReason.TRANSFER, "调离行政执法岗位", 4),
    (Certificate.RevocationReason.RETIREMENT, "达到法定退休年龄", 3),
    (Certificate.RevocationReason.RESIGNATION, "本人申请辞去公职", 1),
    (Certificate.RevocationReason.DISMISSAL, "被依法辞退", 1),
    (Certificate.RevocationReason.MISCONDUCT, "违规执法，经调查属实，吊销行政执法证", 1),
)
SECONDMENTS = (
    ("secondment", "示例市委巡察工作领导小组办公室", "参加市委第三轮巡察"),
    ("secondment", "示例市创建全国文明城市工作指挥部", "创文迎检专班"),
    ("secondment", "示例市乡村振兴驻村工作队（青山县枫林乡石门村）", "驻村工作"),
    ("non_enforcement", "本单位办公室", "从事公文处理、综合文字工作"),
    ("secondment", "示例市信访局", "信访接待专班"),
)


class Planner:
    """Draws every person of the demo city: each from a ``random.Random`` seeded with the demo
    seed, the body code and the person's staff number."""

    def __init__(self, seed: int, scale: float, today: dt.date):
        self.seed = seed
        self.scale = scale
        self.today = today
        reserved = {a.name for a in ACCOUNTS} | {SUPERVISOR.name}
        self.names = people.NameDrawer(reserved)
        self.county_codes = [c.code for c in city.COUNTIES]

    # one person ------------------------------------------------------------------------
    def person(self, spec: BodySpec, seq: int, *, male: bool | None = None, name: str | None = None,
               min_age: int = 25, max_age: int = 57, series: str = "") -> PersonPlan:
        # Each person draws from their own stream, so that nothing drawn for one person (dates that
        # depend on today, the number of training records …) shifts what is drawn for the next.
        staff_no = f"{spec.code}-{series}{seq:04d}"
        rng = random.Random(f"{self.seed}/{staff_no}")
        if male is None:
            male = rng.random() < 0.62
        name = name or self.names.draw(rng, male)
        birth = people.birth_date(rng, self.today, min_age, max_age)
        area = rng.choice(self.county_codes) if rng.random() < 0.7 else rng.choice(people.OTHER_AREA_CODES)
        age = self.today.year - birth.year
        experience = max(0, min(age - 23, rng.randint(1, 30)))
        joined = self.today - dt.timedelta(days=experience * 365 + rng.randrange(300))
        return PersonPlan(
            body_code=spec.code, staff_no=staff_no, name=name, male=male,
            id_number=people.id_number(rng, area, birth, male), phone=people.mobile(rng),
            position="", joined_on=joined, experience=experience, rng=rng,
        )

    def certificate_number(self, body_index: int, spec: BodySpec, seq: int, version: int) -> str:
        # jurisdiction (county level, 6 digits) + body index + version + sequence: unique and stable.
        return f"{spec.jurisdiction_code[:6]}{body_index:02d}{version}{seq:05d}"

    def valid_cert(self, rng: random.Random, number: str, *, min_days_left: int = 200) -> CertPlan:
        expires = self.today + dt.timedelta(days=rng.randint(min_days_left, CERTIFICATE_YEARS * 365 - 30))
        return CertPlan(number, expires - dt.timedelta(days=CERTIFICATE_YEARS * 365), expires, self.score(rng))

    @staticmethod
    def score(rng: random.Random) -> Decimal:
        return Decimal(rng.randint(620, 985)) / 10

    # a body ----------------------------------------------------------------------------
    def body_people(self, body_index: int, spec: BodySpec) -> list[PersonPlan]:
        today = self.today
        certified = max(3, round(spec.base_officers * self.scale))
        auxiliaries = round(spec.auxiliaries * self.scale)
        accounts = [a for a in ACCOUNTS if a.body_code == spec.code]
        plans: list[PersonPlan] = []
        seq = 0

        def next_seq() -> int:
            nonlocal seq
            seq += 1
            return seq

        account_by_role = {a.role: a for a in accounts}
        level = "city" if spec.jurisdiction_code == city.CITY_CODE else ("township" if spec.is_township_bureau else "county")

        # 1. The head (主体负责人).
        head_account = account_by_role.get("head")
        s = next_seq()
        head = self.person(spec, s, male=head_account.male if head_account else None,
                           name=head_account.name if head_account else None, min_age=38, max_age=56)
        head.is_head = True
        head.position = head_account.position if head_account else _head_title(spec, level)
        head_cert = self.valid_cert(head.rng, self.certificate_number(body_index, spec, s, 1), min_days_left=400)
        if spec.code == city.INEXPERIENCED_HEAD_BODY:
            # R07: appointed this year from the township's party office, no enforcement experience;
            # certified after the exam a few months ago.
            head.experience = 0
            head.position = "队长（由乡党政办公室调任）"
            head.joined_on = today - dt.timedelta(days=150)
            head_cert = self.valid_cert(head.rng, head_cert.number, min_days_left=CERTIFICATE_YEARS * 365 - 120)
        else:
            head.experience = max(head.experience, head.rng.randint(8, 22))
        head.username = head_account.username if head_account else ""
        head.certificates.append(head_cert)
        plans.append(head)

        # 2. Legal reviewers (法制审核人员, R06).
        reviewers = 0 if spec.code == city.NO_REVIEWER_BODY else (2 if certified >= 20 else 1)
        for r in range(reviewers):
            account = account_by_role.get("reviewer") if r == 0 else None
            s = next_seq()
            p = self.person(spec, s, male=account.male if account else None, name=account.name if account else None, min_age=28, max_age=52)
            p.is_reviewer = True
            p.qualified = spec.code != city.UNQUALIFIED_REVIEWER_BODY and (r == 0 or p.rng.random() < 0.5)
            p.position = account.position if account else ("法制审核员" if level == "township" else "法规科工作人员（法制审核人员）")
            p.username = account.username if account else ""
            p.certificates.append(self.valid_cert(p.rng, self.certificate_number(body_index, spec, s, 1), min_days_left=400))
            plans.append(p)

        # 3. The accounts that are plain officers, then the rest.
        for account in accounts:
            if account.role not in ("officer", "expired"):
                continue
            s = next_seq()
            p = self.person(spec, s, male=account.male, name=account.name, min_age=27, max_age=45)
            p.position, p.username = account.position, account.username
            number = self.certificate_number(body_index, spec, s, 1)
            if account.role == "expired":
                expires = today - dt.timedelta(days=20)
                p.certificates.append(CertPlan(number, expires - dt.timedelta(days=CERTIFICATE_YEARS * 365), expires, self.score(p.rng)))
            else:
                p.certificates.append(self.valid_cert(p.rng, number, min_days_left=400))
            plans.append(p)
        while sum(1 for p in plans if not p.is_auxiliary) < certified:
            s = next_seq()
            p = self.person(spec, s)
            p.position = _officer_title(p.rng, level)
            self.random_certificates(p, body_index, spec, s)
            plans.append(p)

        # 4. Auxiliary staff (执法辅助人员, R05): no certificate, admission and removal recorded.
        # Numbered in their own series (SJJ-F0001) so that a larger --scale only appends people.
        aux_account = account_by_role.get("auxiliary")
        for a in range(max(auxiliaries, 1 if aux_account else 0)):
            account = aux_account if a == 0 else None
            p = self.person(spec, a + 1, male=account.male if account else None, name=account.name if account else None,
                            min_age=21, max_age=45, series="F")
            p.is_auxiliary = True
            rng = p.rng
            p.experience = min(p.experience, rng.randint(0, 8))
            p.joined_on = today - dt.timedelta(days=p.experience * 365 + rng.randrange(300))
            p.position = account.position if account else rng.choice(("执法辅助人员", "协管员", "执法辅助人员（信息采集）"))
            p.username = account.username if account else ""
            if not account and rng.random() < 0.1:
                p.status, p.left_on, p.left_reason = Officer.Status.LEFT, today - dt.timedelta(days=rng.randint(20, 300)), "劳动合同期满不再续聘"
            plans.append(p)

        for p in plans:
            if p.certificates:  # nobody is certified before joining
                p.joined_on = min(p.joined_on, p.certificates[0].issued_on - dt.timedelta(days=90))
                p.experience = max(p.experience, (today - p.joined_on).days // 365)
            self.trainings(p, spec)
        return plans

    def random_certificates(self, p: PersonPlan, body_index: int, spec: BodySpec, s: int) -> None:
        """Most certificates are valid; a few expired, revoked, suspended, expiring soon, missing
        (new recruits waiting for the exam) or renewed (an old expired one plus the current one)."""
        rng, today = p.rng, self.today
        number = self.certificate_number(body_index, spec, s, 1)
        r = rng.random()
        if r < 0.035:  # expired, not renewed (R04 flag)
            expires = today - dt.timedelta(days=rng.randint(3, 300))
            p.certificates.append(CertPlan(number, expires - dt.timedelta(days=CERTIFICATE_YEARS * 365), expires, self.score(rng)))
        elif r < 0.065:  # revoked (注销/吊销) with reason and date
            cert = self.valid_cert(rng, number)
            reason, note, _ = rng.choices(REVOCATIONS, weights=[w for *_, w in REVOCATIONS])[0]
            changed = today - dt.timedelta(days=rng.randint(10, 420))
            cert.issued_on = min(cert.issued_on, changed - dt.timedelta(days=200))
            cert.status, cert.status_changed_on, cert.revocation_reason, cert.status_note = Certificate.Status.REVOKED, changed, reason, note
            p.certificates.append(cert)
            if reason != Certificate.RevocationReason.MISCONDUCT:
                p.status, p.left_on, p.left_reason = Officer.Status.LEFT, changed, Certificate.RevocationReason(reason).label
                if reason == Certificate.RevocationReason.RETIREMENT:
                    p.experience = max(p.experience, 25)
        elif r < 0.075:  # suspended (暂扣) during an investigation
            cert = self.valid_cert(rng, number)
            cert.status, cert.status_changed_on = Certificate.Status.SUSPENDED, today - dt.timedelta(days=rng.randint(5, 60))
            cert.status_note = "涉嫌违规执法，调查期间暂扣行政执法证"
            p.certificates.append(cert)
        elif r < 0.125:  # expiring within 90 days (R04 warning)
            expires = today + dt.timedelta(days=rng.randint(3, 85))
            p.certificates.append(CertPlan(number, expires - dt.timedelta(days=CERTIFICATE_YEARS * 365), expires, self.score(rng)))
        elif r < 0.14:  # newly recruited, exam not yet passed
            p.position = "新录用人员（待参加执法资格考试）"
            p.experience = 0
            p.joined_on = today - dt.timedelta(days=rng.randint(30, 200))
        elif r < 0.20:  # renewed: the old certificate expired, a new one was issued
            new = self.valid_cert(rng, number, min_days_left=CERTIFICATE_YEARS * 365 - 700)
            old_expires = new.issued_on - dt.timedelta(days=rng.randint(1, 20))
            old = CertPlan(self.certificate_number(body_index, spec, s, 0),
                           old_expires - dt.timedelta(days=CERTIFICATE_YEARS * 365), old_expires, self.score(rng))
            p.certificates.extend([old, new])
        else:
            p.certificates.append(self.valid_cert(rng, number))

    def trainings(self, p: PersonPlan, spec: BodySpec) -> None:
        """R07: most officers reach 60 hours this year; some fall short."""
        if p.status != Officer.Status.ACTIVE:
            return
        rng, today = p.rng, self.today
        year_start = dt.date(today.year, 1, 1)
        span = max((today - year_start).days, 0)
        if p.is_auxiliary:
            pool, target, short = AUXILIARY_COURSES, rng.choice((16, 24, 28, 36)), True
        else:
            pool = GENERAL_COURSES + SECTOR_COURSES.get(spec.sector if not spec.is_township_bureau else "comprehensive", ())
            short = not p.username and rng.random() < 0.15
            target = rng.randint(12, 54) if short else rng.randint(60, 96)
        total, used = 0, set()
        for _ in range(30):
            title, hours = rng.choice(pool)
            if (title in used and len(used) < len(pool)) or (short and total + hours > target):
                if short and total + hours > target and total > 0:
                    break
                continue
            used.add(title)
            provider = rng.choice(("示例市司法局", "中共示例市委党校", spec.name))
            held = year_start + dt.timedelta(days=rng.randint(0, span))
            p.trainings.append((title, provider, held, Decimal(hours)))
            total += hours
            if total >= target:
                break
        if not p.is_auxiliary and rng.random() < 0.5:
            title, hours = rng.choice(GENERAL_COURSES)
            p.trainings.append((title, "示例市司法局", dt.date(today.year - 1, rng.randint(3, 11), rng.randint(1, 28)), Decimal(hours)))


def _head_title(spec: BodySpec, level: str) -> str:
    if spec.kind == "authorized":
        return "主任"
    if spec.code == "WLZD":
        return "支队长"
    if spec.code == "WJW":
        return "主任"
    return "队长" if level == "township" else "局长"


def _officer_title(rng: random.Random, level: str) -> str:
    if level == "township":
        return rng.choice(("执法队员", "执法队员", "副队长", "中队长"))
    return rng.choice(("执法队员", "执法队员", "执法队员", "一级主任科员", "四级主任科员", "一级科员", "科长", "副科长", "大队长", "中队长"))


def plan_city(seed: int = DEFAULT_SEED, scale: float = 1.0, today: dt.date | None = None) -> dict[str, list[PersonPlan]]:
    """Every person of the demo city, by body code, drawn from ``seed`` (no database access)."""
    today = today or clock.today()
    planner = Planner(seed, scale, today)
    result = {spec.code: planner.body_people(index, spec) for index, spec in enumerate(city.all_bodies(), start=1)}
    _plan_assignments(random.Random(f"{seed}/assignments"), result, today)
    return result


def _plan_assignments(rng: random.Random, plans: dict[str, list[PersonPlan]], today: dt.date) -> None:
    """R08: a few officers seconded away or put on non-enforcement work, one of them already back."""
    candidates = [
        p for people_ in plans.values() for p in people_
        if not (p.username or p.is_head or p.is_reviewer or p.is_auxiliary) and p.status == Officer.Status.ACTIVE and p.certificates
    ]
    chosen = rng.sample(candidates, k=min(len(SECONDMENTS) + 1, len(candidates)))
    for n, p in enumerate(chosen):
        kind, organization, reason = SECONDMENTS[n % len(SECONDMENTS)]
        if n == len(SECONDMENTS):  # a finished secondment: recorded, no longer flagged
            starts, ends = today - dt.timedelta(days=420), today - dt.timedelta(days=120)
        else:
            starts = today - dt.timedelta(days=rng.randint(30, 200))
            ends = None if kind == "non_enforcement" else today + dt.timedelta(days=rng.randint(30, 180))
        approver = "示例市委组织部" if kind == "secondment" else "本单位党组"
        p.assignments.append(dict(kind=kind, organization=organization, reason=reason, starts_on=starts, ends_on=ends, approved_by=approver))


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
        load_demo_lists()
        if cases:
            _ensure_cases(seed, today, created, say)
    if inspections:
        for label, n in load_inspections_demo(seed=seed, entities=int(12000 * scale), today=today, log=say).items():
            _add(created, label, n)
    totals = {
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
    return DemoResult(created, totals, time.monotonic() - started, messages)


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
    """The bundled laws and their articles (R09), and the items' legal basis linked to them."""
    report = load_all_laws()
    _add(created, "法律法规", report.laws_created)
    _add(created, "法律条款", report.provisions_created)
    link_items()


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
    wanted = [ADMIN, SUPERVISOR, *ACCOUNTS]
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
