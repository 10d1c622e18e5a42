"""The lists as data per body (R11–R13): their default content from the law. The use cases that
write them and record the run are in ``services.loading``:

- ``services.seed_default_lists(body)`` writes the default 重大执法决定法制审核清单 (R12) and 音像记录事项目录
  (R13) of a body: the situations named by 《行政处罚法》第五十八条 (always applied by the engine in
  any case) and by 国办发〔2018〕118号, which tells each body to make its own list “结合本机关行政执法
  行为的类别、执法层级、所属领域、涉案金额等因素”. The body adjusts them in the admin. Idempotent.
- ``services.load_demo_lists()`` gives every body those defaults and the ecology bureau of the demo city
  (code ``SHJ``) the real no-penalty list of 江门市生态环境局 (江环〔2021〕231号) through
  ``exemption_import``. Idempotent.

The pure queries over these rows are in ``rules.py`` (``exemption_for``, ``needs_legal_review``,
``must_record``); the services that read them in ``discretion.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from django.db import transaction

from zhifa.registry.models import Body

from zhifa.core import citations
from . import rules as r
from .exemption_import import LoadResult
from .models import LegalReviewRule, RecordingRule

GUOBAN_REVIEW = f"{r.GUOBAN_2018_118}（重大执法决定法制审核制度：明确审核范围）"
GUOBAN_RECORDING = f"{r.GUOBAN_2018_118}（执法全过程记录制度：规范音像记录）"
ART63 = citations.APL_ART63_1_FULL

# Hearing thresholds (较大数额, APL art.63 ¶1(1)). Market regulation: 《市场监督管理行政处罚听证办法》
# 第五条 — 10,000 yuan for a natural person, 100,000 for an organisation (legal-rules.md). Other
# sectors use the same defaults until the body sets its own: the citation says so.
SAMR_HEARING = citations.SAMR_HEARING_ART5
DEFAULT_THRESHOLD_PERSON = Decimal("10000")
DEFAULT_THRESHOLD_ORGANISATION = Decimal("100000")

DEMO_EXEMPTION_BODY = "SHJ"


@dataclass(frozen=True)
class ReviewDefault:
    description: str
    citation: str
    penalty_kinds: tuple[str, ...] = ()
    threshold_person: Decimal | None = None
    threshold_organisation: Decimal | None = None
    trigger: str = ""


def review_defaults(body: Body) -> list[ReviewDefault]:
    """The default legal-review list of ``body`` (beyond the four situations of APL art.58 ¶1,
    which the engine always applies)."""
    if body.sector == Body.Sector.MARKET:
        amount_basis = f"{ART63}第（一）项；{SAMR_HEARING}"
    else:
        amount_basis = f"{ART63}第（一）项（较大数额暂按市场监管领域标准，应按本领域、本地规定调整）；{GUOBAN_REVIEW}"
    return [
        ReviewDefault(
            "拟作出降低资质等级、吊销许可证件的行政处罚（直接关系当事人重大权益）",
            f"{GUOBAN_REVIEW}；{ART63}第（二）项",
            penalty_kinds=(r.PenaltyKind.DOWNGRADE.value, r.PenaltyKind.PERMIT_REVOCATION.value),
        ),
        ReviewDefault(
            "拟作出责令停产停业、责令关闭、限制从业或者限制开展生产经营活动的行政处罚（直接关系当事人重大权益）",
            f"{GUOBAN_REVIEW}；{ART63}第（三）项、第（四）项",
            penalty_kinds=(r.PenaltyKind.SUSPENSION.value, r.PenaltyKind.CLOSURE.value,
                           r.PenaltyKind.OCCUPATIONAL_BAR.value, r.PenaltyKind.RESTRICT_OPERATION.value),
        ),
        ReviewDefault(
            "拟对自然人处1万元以上、对法人或者其他组织处10万元以上罚款或者没收违法所得、非法财物（较大数额）",
            amount_basis,
            threshold_person=DEFAULT_THRESHOLD_PERSON, threshold_organisation=DEFAULT_THRESHOLD_ORGANISATION,
        ),
        ReviewDefault(
            r.ReviewTrigger.MAJOR_SOCIAL_IMPACT.label,
            GUOBAN_REVIEW,
            trigger=r.ReviewTrigger.MAJOR_SOCIAL_IMPACT.value,
        ),
    ]


# R13 and 3S: full recording of seizure, detention, forced demolition, handling sites and other
# on-site acts touching personal freedom, life, health or major property; recording according to
# the circumstances of on-site enforcement (现场检查, 当场处罚), evidence collection, hearings and
# service by leaving or by public notice.
RECORDING_DEFAULTS: tuple[tuple[str, str], ...] = (
    ("seizure", RecordingRule.Level.MUST),
    ("detention", RecordingRule.Level.MUST),
    ("forced_demolition", RecordingRule.Level.MUST),
    ("handling_site", RecordingRule.Level.MUST),
    ("personal_freedom", RecordingRule.Level.MUST),
    ("on_site", RecordingRule.Level.SHOULD),
    ("inspection", RecordingRule.Level.SHOULD),
    ("spot_penalty", RecordingRule.Level.SHOULD),
    ("evidence", RecordingRule.Level.SHOULD),
    ("hearing", RecordingRule.Level.SHOULD),
    ("service_leaving", RecordingRule.Level.SHOULD),
    ("service_notice", RecordingRule.Level.SHOULD),
)


@dataclass
class SeedResult:
    review_rules: int = 0
    recording_rules: int = 0

    def __iadd__(self, other: "SeedResult") -> "SeedResult":
        self.review_rules += other.review_rules
        self.recording_rules += other.recording_rules
        return self


def seed_bodies(bodies: Iterable[Body]) -> SeedResult:
    """Write the default legal-review list and recording catalogue of each body; rows already
    there (same description, same act kind) are kept as the body edited them. Idempotent. A step
    of ``services.seed_default_lists`` / ``services.load_demo_lists``, which record the run."""
    bodies = list(bodies)
    ids = [b.pk for b in bodies]
    have_review = set(LegalReviewRule.objects.filter(body_id__in=ids).values_list("body_id", "description"))
    have_recording = set(RecordingRule.objects.filter(body_id__in=ids).values_list("body_id", "act_kind"))
    review_rows, recording_rows = [], []
    for body in bodies:
        for d in review_defaults(body):
            if (body.pk, d.description) in have_review:
                continue
            review_rows.append(LegalReviewRule(
                body=body, description=d.description, citation=d.citation[:300], penalty_kinds=list(d.penalty_kinds),
                threshold_person=d.threshold_person, threshold_organisation=d.threshold_organisation,
                trigger=d.trigger, is_published=True,
            ))
        for act_kind, level in RECORDING_DEFAULTS:
            if (body.pk, act_kind) in have_recording:
                continue
            recording_rows.append(RecordingRule(body=body, act_kind=act_kind, level=level, citation=GUOBAN_RECORDING))
    with transaction.atomic():
        LegalReviewRule.objects.bulk_create(review_rows)
        RecordingRule.objects.bulk_create(recording_rows)
    return SeedResult(len(review_rows), len(recording_rows))


@dataclass
class DemoListsResult:
    seeded: SeedResult = field(default_factory=SeedResult)
    exemptions: LoadResult | None = None
