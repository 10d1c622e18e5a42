"""Demo flexible enforcement acts (柔性执法, R21) for ``zhifa demo``: one of each form at the market
bureau, made through the service (each recorded, the guidance and the interview with their
documents), one first offence not punished, and a follow-up that has come due.

    build_demo_flexible_acts(body, today) -> int   (how many acts were made; 0 when the body has some)
"""
from __future__ import annotations

import datetime as dt

from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import Item
from zhifa.core import clock
from zhifa.core.violations import Refused
from zhifa.documents import services as documents
from zhifa.registry.models import Body

from . import services as s
from .demo import _actor, _staff
from .models import FlexibleAct

ACTS = [
    ("guidance", "东方食品超市", "91650200MA0000101A", 40, "讲解《食品安全法》关于临期食品的规定，指导建立临期食品台账和下架制度。",
     "当事人表示将于一周内建立台账。", 20),
    ("persuasion", "华兴五金店", "91650200MA0000102B", 30, "当事人店外堆放货物，经说服教育当场清理。", "已当场改正。", None),
    ("demonstration", "百味餐饮店", "91650200MA0000103C", 25, "现场示范后厨生熟分开、留样规范操作。", "后厨按示范整改。", 10),
    ("warning", "安康药房", "91650200MA0000104D", 12, "警示告诫：未按规定公示药学技术人员信息，再次发现将依法处罚。", "当事人签收警示告诫书。", 10),
    ("interview", "顺达物流有限公司", "91650200MA0000105E", 8, "就近三个月两次被投诉的情况约谈企业负责人，告知法定义务和违法后果。",
     "企业承诺两周内完成自查整改。", 14),
]


def build_demo_flexible_acts(body: Body, today: dt.date | None = None) -> int:
    today = today or clock.today()
    if FlexibleAct.objects.filter(body=body).exists():
        return 0
    heads, _reviewers, investigators = _staff(body, today)
    competence = catalog_selectors.competence_of(body.pk)
    item = Item.objects.filter(kind=Item.Kind.PENALTY, pk__in=list(competence.own_item_ids)[:500]).order_by("code").first()
    if len(investigators) < 2 or item is None:
        return 0
    o1, o2 = investigators[0], investigators[1]
    made = 0
    with documents.render_mode(documents.DEFERRED):
        for kind, party, code, days_ago, content, outcome, follow_days in ACTS:
            acted_on = today - dt.timedelta(days=days_ago)
            try:
                with clock.frozen(acted_on):
                    s.record_flexible_act(
                        kind=kind, item_code=item.code, party_name=party, party_id_code=code, content=content, outcome=outcome,
                        officer_ids=[o1.pk, o2.pk] if kind == "interview" else [o1.pk], acted_on=acted_on,
                        place=f"{party}经营场所" if kind != "interview" else body.name,
                        minutes="问：你单位近三个月两次被投诉，是否知悉？答：知悉，已开始自查。" if kind == "interview" else "",
                        follow_up_on=acted_on + dt.timedelta(days=follow_days) if follow_days else None,
                        first_offence=kind == "persuasion", actor=_actor(o1))
                made += 1
            except Refused:
                continue  # e.g. an officer's certificate not yet valid on the back-dated day
    return made
