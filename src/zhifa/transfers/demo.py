"""Demo transfers (演示移送) for ``zhifa demo``: transfers in every state of Order 310, made through
the services with the clock set back, so each has its record and its clocks fall in the past, the
present and the future — one overdue at the head, one refused by the police and reconsidered (the
police then filed), one reverse transfer and one procuratorate's opinion — and the criminal
thresholds of the body's items (data with their source).

    build_demo_transfers(body, today=None) -> int      # how many transfers were made
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhifa.cases import services as cs
from zhifa.cases.demo import _actor, _address, _staff
from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import Item
from zhifa.core import clock
from zhifa.core.violations import Refused
from zhifa.documents import services as documents
from zhifa.registry.models import Body

from . import services as ts
from .models import CriminalThreshold, Transfer

SOURCE = "《最高人民检察院 公安部关于公安机关管辖的刑事案件立案追诉标准的规定（一）》（2022年）第十六条"
OFFENCE = "生产、销售伪劣产品罪"
PARTIES = ["鑫源食品经营部", "丰泰食品批发部", "金利达商贸有限公司", "红星副食品店", "佳美日化商行", "远航建材有限公司", "富康粮油店", "瑞丰农资经营部",
           "天成电器商行", "美家家居店", "顺通汽配店", "华润百货店", "康宁药械有限公司", "恒信五金店"]
# (where each demo transfer stops, days back when it was reported)
PLAN = [("reported_overdue", 7), ("reported", 0), ("approved", 1), ("refused", 12), ("dispatched", 2), ("received", 3),
        ("filed", 8), ("not_filed", 6), ("reconsideration", 9), ("reconsidered_filed", 20), ("reconsideration_refused", 15), ("procuratorate", 25),
        ("handed_over", 30), ("closed", 45)]


def _at(today: dt.date, days_back: int, hour: int = 9) -> dt.datetime:
    day = today - dt.timedelta(days=days_back)
    return dt.datetime.combine(day, dt.time(hour, 0), clock.SHANGHAI)


def _thresholds(items: list[Item]) -> None:
    for item in items[:3]:
        if not CriminalThreshold.objects.filter(item=item).exists():
            ts.save_threshold(item_code=item.code, measure="goods_value", amount=Decimal("50000"), offence=OFFENCE, source=SOURCE,
                              effective_from=dt.date(2022, 5, 15), actor_name="演示数据")


def _case(item: Item, party: str, off, boss, team, day: dt.date, n: int):
    with clock.frozen(_at(day, 0, 8)):
        case = cs.register_source(item_code=item.code, party_kind="organisation", party_name=party,
                                  party_id_code=f"91440700MA{n:07d}X", party_address=_address(day), act_date=day - dt.timedelta(days=20),
                                  clue="检查发现涉嫌销售伪劣产品，货值金额较大。", source="inspection", actor=off)
        cs.file_case(case.pk, officer_ids=[o.pk for o in team], actor=boss)
    return case


def _walk(t: Transfer, stop: str, today: dt.date, reported: int, off, boss) -> None:
    """Take ``t`` from ``reported`` to ``stop``, each act a little later than the one before."""
    steps = [
        ("approved", 1, lambda: ts.approve(t.pk, opinion="同意移送。", actor=boss)),
        ("dispatched", 1, lambda: ts.dispatch(t.pk, investigation="经核实，当事人销售伪劣产品，货值金额超过五万元。",
                                                 exhibits=["伪劣产品（封存）一批", "销售台账复印件"], actor=off)),
        ("received", 2, lambda: ts.record_receipt(t.pk, receipt_by="值班民警", actor=off)),
    ]
    if stop == "refused":
        with clock.frozen(_at(today, reported - 1, 15)):
            ts.refuse(t.pk, reason="经审查，货值金额尚未查实达到立案追诉标准，继续调查。", actor=boss)
        return
    for state, offset, step in steps:
        if stop in ("reported", "reported_overdue"):
            return
        with clock.frozen(_at(today, max(reported - offset, 0), 10 if state != "dispatched" else 14)):
            step()
        if stop == state:
            return
    day = max(reported - 4, 0)
    with clock.frozen(_at(today, day, 11)):
        if stop in ("filed", "handed_over", "closed"):
            ts.record_police_decision(t.pk, decision="filed", notice_number="示公刑立〔2026〕15号", actor=off)
        else:
            ts.record_police_decision(t.pk, decision="not_filed", reasons="认为犯罪事实显著轻微，不需要追究刑事责任。", actor=off)
    if stop in ("filed", "not_filed"):
        return
    if stop in ("handed_over", "closed"):
        with clock.frozen(_at(today, max(day - 2, 0), 10)):
            ts.hand_over_items(t.pk, items=["伪劣产品（封存）一批", "销售台账复印件"], actor=off)
        if stop == "closed":
            with clock.frozen(_at(today, max(day - 5, 0), 10)):
                ts.close(t.pk, note="涉案物品和材料已移交，公安机关已立案侦查。", actor=boss)
        return
    with clock.frozen(_at(today, max(day - 2, 0), 9)):
        ts.request_reconsideration(t.pk, reason="当事人销售伪劣产品货值金额已达立案追诉标准，应当立案。", actor=boss)
    if stop == "reconsideration":
        return
    with clock.frozen(_at(today, max(day - 4, 0), 16)):
        result = "filed" if stop == "reconsidered_filed" else "not_filed"
        ts.record_reconsideration(t.pk, result=result, reasons="经复议。", actor=off)
    if stop == "procuratorate":
        with clock.frozen(_at(today, max(day - 6, 0), 9)):
            ts.suggest_procuratorate(t.pk, reason="公安机关复议后仍不予立案，建议依法进行立案监督。", actor=boss)


def build_demo_transfers(body: Body, today: dt.date | None = None) -> int:
    """The demo transfers of ``body`` (idempotent: nothing when the body has transfers)."""
    today = today or clock.today()
    if Transfer.objects.filter(body=body).exists():
        return 0
    heads, _, investigators = _staff(body, today - dt.timedelta(days=60))
    if not heads or len(investigators) < 2:
        return 0
    competence = catalog_selectors.competence_of(body.pk)
    items = list(Item.objects.filter(kind=Item.Kind.PENALTY, pk__in=list(competence.own_item_ids)[:200]).order_by("code")[:5])
    if not items:
        return 0
    _thresholds(items)
    boss, team = _actor(heads[0]), investigators[:2]
    off = _actor(team[0])
    made = 0
    with documents.render_mode(documents.DEFERRED):
        for n, (stop, back) in enumerate(PLAN):
            start = today - dt.timedelta(days=back)
            try:
                case = _case(items[n % len(items)], PARTIES[n % len(PARTIES)], off, boss, team, start, 9000 + n)
                with clock.frozen(_at(today, back, 9)):
                    t = ts.report_transfer(case_id=case.pk, team_officer_ids=[o.pk for o in team], suspected_offence=OFFENCE,
                                           report="专案组核实：当事人销售伪劣产品，货值金额超过五万元，涉嫌犯罪，建议移送公安机关。", actor=off)
                _walk(t, stop, today, back, off, boss)
                made += 1
            except Refused:
                continue  # e.g. a certificate not valid on the back-dated day
        made += _inward(body, today, off, boss)
    return made


def _inward(body: Body, today: dt.date, off, boss) -> int:
    made = 0
    rows = [("opinion", "示例市人民检察院", "示检行意〔2026〕3号", 20, "建议对被不起诉人依法给予行政处罚。", None),
            ("reverse", "示例市公安局", "示公移〔2026〕8号", 40, "经审查没有犯罪事实，但应当追究行政责任，移送你局处理。", "reasoned_reply"),
            ("reverse", "示例市公安局", "示公移〔2026〕11号", 70, "犯罪事实显著轻微，不需要追究刑事责任，移送你局依法处理。", "no_penalty")]
    for kind, sender, number, back, summary, outcome in rows:
        try:
            with clock.frozen(_at(today, back, 10)):
                t = ts.register_inward(inward_kind=kind, sender=sender, sender_number=number, party_name="某商贸有限公司",
                                       summary=summary, actor=off)
            if outcome:
                with clock.frozen(_at(today, back - 10, 15)):
                    ts.reply(t.pk, outcome=outcome, reasons="经调查，当事人违法行为轻微并及时改正，没有造成危害后果，依法不予行政处罚。"
                             if outcome == "no_penalty" else "经调查核实，已责令当事人改正，现将处理情况函复。", actor=boss)
                if outcome == "no_penalty":
                    with clock.frozen(_at(today, back - 12, 9)):
                        ts.close(t.pk, actor=boss)
            made += 1
        except Refused:
            continue
    return made
