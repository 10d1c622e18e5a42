"""The demo city's people, planned in memory (人员规划): every officer, reviewer, head and
auxiliary of every body, their certificates, training and assignments, drawn from
``random.Random`` streams seeded with the demo seed — no database access, so the same seed always
gives the same people, whatever is already stored (``generator`` then writes what is missing).

Each person draws from their own stream (seed, staff number), so that nothing drawn for one person
shifts what is drawn for the next; a body's people are planned in a fixed order of steps: the head,
the legal reviewers, the officers with demo accounts, the other officers, the auxiliaries.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from zhifa.core import clock
from zhifa.registry.models import Certificate, Officer

from . import city, people
from .city import BodySpec

DEFAULT_SEED = 2026
CERTIFICATE_YEARS = 5  # validity of a 行政执法证 in the demo province

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
#: The security auditor (安全审计员, 等保 2.0 three-role separation): reads the security audit log only.
AUDITOR = Account("auditor", "郑敏", False)


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
        reserved = {a.name for a in ACCOUNTS} | {SUPERVISOR.name, AUDITOR.name}
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
        """Everyone of one body, in a fixed order of steps (each step numbers its people on)."""
        body = _BodyPlan(self, body_index, spec)
        body.head()
        body.reviewers()
        body.officers()
        body.auxiliaries()
        return body.finish()

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


class _BodyPlan:
    """The people of one body being planned: the steps of ``Planner.body_people``. Staff numbers
    run on across the steps (``next_seq``); auxiliaries have their own series (SJJ-F0001) so that
    a larger ``--scale`` only appends people."""

    def __init__(self, planner: Planner, body_index: int, spec: BodySpec):
        self.planner, self.body_index, self.spec, self.today = planner, body_index, spec, planner.today
        self.certified = max(3, round(spec.base_officers * planner.scale))
        self.accounts = [a for a in ACCOUNTS if a.body_code == spec.code]
        self.account_by_role = {a.role: a for a in self.accounts}
        self.level = "city" if spec.jurisdiction_code == city.CITY_CODE else ("township" if spec.is_township_bureau else "county")
        self.plans: list[PersonPlan] = []
        self.seq = 0

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def number(self, seq: int, version: int = 1) -> str:
        return self.planner.certificate_number(self.body_index, self.spec, seq, version)

    def head(self) -> None:
        """1. The head (主体负责人); R07's inexperienced head in one township bureau."""
        planner, spec, today = self.planner, self.spec, self.today
        account = self.account_by_role.get("head")
        s = self.next_seq()
        head = planner.person(spec, s, male=account.male if account else None,
                              name=account.name if account else None, min_age=38, max_age=56)
        head.is_head = True
        head.position = account.position if account else _head_title(spec, self.level)
        cert = planner.valid_cert(head.rng, self.number(s), min_days_left=400)
        if spec.code == city.INEXPERIENCED_HEAD_BODY:
            # R07: appointed this year from the township's party office, no enforcement experience;
            # certified after the exam a few months ago.
            head.experience = 0
            head.position = "队长（由乡党政办公室调任）"
            head.joined_on = today - dt.timedelta(days=150)
            cert = planner.valid_cert(head.rng, cert.number, min_days_left=CERTIFICATE_YEARS * 365 - 120)
        else:
            head.experience = max(head.experience, head.rng.randint(8, 22))
        head.username = account.username if account else ""
        head.certificates.append(cert)
        self.plans.append(head)

    def reviewers(self) -> None:
        """2. Legal reviewers (法制审核人员, R06): none in one body, one unqualified in another."""
        spec = self.spec
        count = 0 if spec.code == city.NO_REVIEWER_BODY else (2 if self.certified >= 20 else 1)
        for r in range(count):
            account = self.account_by_role.get("reviewer") if r == 0 else None
            s = self.next_seq()
            p = self.planner.person(spec, s, male=account.male if account else None, name=account.name if account else None,
                                    min_age=28, max_age=52)
            p.is_reviewer = True
            p.qualified = spec.code != city.UNQUALIFIED_REVIEWER_BODY and (r == 0 or p.rng.random() < 0.5)
            p.position = account.position if account else ("法制审核员" if self.level == "township" else "法规科工作人员（法制审核人员）")
            p.username = account.username if account else ""
            p.certificates.append(self.planner.valid_cert(p.rng, self.number(s), min_days_left=400))
            self.plans.append(p)

    def officers(self) -> None:
        """3. The accounts that are plain officers (one with an expired certificate), then the rest."""
        planner, spec = self.planner, self.spec
        for account in self.accounts:
            if account.role not in ("officer", "expired"):
                continue
            s = self.next_seq()
            p = planner.person(spec, s, male=account.male, name=account.name, min_age=27, max_age=45)
            p.position, p.username = account.position, account.username
            if account.role == "expired":
                expires = self.today - dt.timedelta(days=20)
                p.certificates.append(CertPlan(self.number(s), expires - dt.timedelta(days=CERTIFICATE_YEARS * 365), expires,
                                               planner.score(p.rng)))
            else:
                p.certificates.append(planner.valid_cert(p.rng, self.number(s), min_days_left=400))
            self.plans.append(p)
        while sum(1 for p in self.plans if not p.is_auxiliary) < self.certified:
            s = self.next_seq()
            p = planner.person(spec, s)
            p.position = _officer_title(p.rng, self.level)
            planner.random_certificates(p, self.body_index, spec, s)
            self.plans.append(p)

    def auxiliaries(self) -> None:
        """4. Auxiliary staff (执法辅助人员, R05): no certificate, admission and removal recorded."""
        today, account0 = self.today, self.account_by_role.get("auxiliary")
        for a in range(max(round(self.spec.auxiliaries * self.planner.scale), 1 if account0 else 0)):
            account = account0 if a == 0 else None
            p = self.planner.person(self.spec, a + 1, male=account.male if account else None,
                                    name=account.name if account else None, min_age=21, max_age=45, series="F")
            p.is_auxiliary = True
            rng = p.rng
            p.experience = min(p.experience, rng.randint(0, 8))
            p.joined_on = today - dt.timedelta(days=p.experience * 365 + rng.randrange(300))
            p.position = account.position if account else rng.choice(("执法辅助人员", "协管员", "执法辅助人员（信息采集）"))
            p.username = account.username if account else ""
            if not account and rng.random() < 0.1:
                p.status, p.left_on, p.left_reason = Officer.Status.LEFT, today - dt.timedelta(days=rng.randint(20, 300)), "劳动合同期满不再续聘"
            self.plans.append(p)

    def finish(self) -> list[PersonPlan]:
        """Nobody is certified before joining; then everyone's training of the year (R07)."""
        for p in self.plans:
            if p.certificates:
                p.joined_on = min(p.joined_on, p.certificates[0].issued_on - dt.timedelta(days=90))
                p.experience = max(p.experience, (self.today - p.joined_on).days // 365)
            self.planner.trainings(p, self.spec)
        return self.plans


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
