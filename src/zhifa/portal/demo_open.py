"""Demo data of the portal's publications (issue #19): a filed and accepted annual plan and work
plan of the demo body, a returned one, two published law-popularisation articles and one awaiting
review, an enterprise contact point and a special supervisor, and the parties' ratings of the
first decided cases (one of each level) — all through the services, each act recorded."""
from __future__ import annotations

import datetime as dt

from zhifa.cases.models import Case
from zhifa.core import act_codes, clock
from zhifa.registry import access
from zhifa.registry.models import Body, Officer

from . import services
from .inputs import ArticleIn, ContactIn, PlanIn, RatingIn, ReviewIn
from .models import WorkPlan

PLANS = [
    ("annual_plan", "年度行政执法检查计划", "一、检查事项：食品经营者主体责任落实、计量器具、特种设备。\n二、频次：随机抽查比例不低于百分之五，联合抽查占比不低于百分之十。\n三、保障：全过程音像记录，检查结果二十个工作日内公示。", "accept"),
    ("work_plan", "文明执法与规范执法工作方案", "一、统一着装、亮证执法、规范用语。\n二、首违不罚、轻微不罚清单动态调整。\n三、每季度开展案卷自查，问题清单整改销号。", "accept"),
    ("procedure", "行政检查操作流程（征求意见稿）", "检查前制定方案并报批；检查中出示证件、告知权利；检查后五个工作日内录入结果。", "return"),
]
ARTICLES = [
    ("买到过期食品怎么办？", "消费者购买到过期食品的维权途径", "经营者销售超过保质期的食品，消费者除要求赔偿损失外，还可以依照《中华人民共和国食品安全法》第一百四十八条要求支付价款十倍或者损失三倍的赔偿金；增加赔偿的金额不足一千元的，为一千元。发现销售过期食品的，可以拨打监督电话或者在本平台举报。", True),
    ("首违不罚是什么？", "免罚轻罚清单的适用条件", "初次违法且危害后果轻微并及时改正的，可以不予行政处罚（《中华人民共和国行政处罚法》第三十三条第一款）。执法机关将对当事人进行教育，并在清单中公开适用的事项。", True),
    ("夜间施工噪声的管理规定", "夜间施工须取得证明并公告附近居民", "在噪声敏感建筑物集中区域，禁止夜间进行产生噪声的建筑施工作业，但抢修、抢险施工作业和因生产工艺要求或者其他特殊需要必须连续施工作业的除外。", False),
]
LEVELS = [("satisfied", [], ""), ("basic", ["efficiency"], "执法人员态度好，但办理时间较长。"),
          ("dissatisfied", ["attitude", "rights"], "检查时未充分告知陈述申辩的权利。")]


def _officer_actor(officer: Officer) -> access.Actor:
    roles = {access.Role.OFFICER} | ({access.Role.HEAD} if officer.is_head else set())
    return access.Actor(user=officer.user, roles=frozenset(roles), officer=officer, body_id=officer.body_id)


def load_open_demo(today: dt.date, body: Body, head: access.Actor, admin: access.Actor | None) -> dict[str, int]:
    created = {"备案计划": 0, "普法文章": 0, "联系点和监督员": 0, "执法评议": 0}
    if WorkPlan.objects.exists():
        return created
    with clock.frozen(today - dt.timedelta(days=20)):
        for kind, title, content, decision in PLANS:
            plan = services.file_plan(PlanIn(kind=kind, year=today.year, title=title, content=content), actor=head)
            if admin is not None:
                reason = "" if decision == "accept" else "操作流程未明确检查结果录入的责任人，请补充后重新报送。"
                services.review_plan(plan.pk, ReviewIn(decision=decision, reason=reason), actor=admin)
            created["备案计划"] += 1
    writer = Officer.objects.filter(body=body, status=Officer.Status.ACTIVE, is_head=False).order_by("id").first()
    if writer is not None:
        for title, summary, content, publish in ARTICLES:
            article = services.submit_article(ArticleIn(title=title, summary=summary, content=content), actor=_officer_actor(writer))
            if publish:
                services.review_article(article.pk, ReviewIn(decision="publish"), actor=head)
            created["普法文章"] += 1
    start, end = today.replace(month=1, day=1), today.replace(year=today.year + 2, month=12, day=31)
    services.register_contact(ContactIn(kind="enterprise", body_id=body.pk, name="示例食品有限公司", organisation="食品生产",
                                        term_start=start, term_end=end), actor=head)
    created["联系点和监督员"] += 1
    if admin is not None:
        services.register_contact(ContactIn(kind="supervisor", name="欧阳明远", organisation="市人大代表、律师",
                                            term_start=start, term_end=end), actor=admin)
        created["联系点和监督员"] += 1
    decided = Case.objects.filter(decided_on__isnull=False).order_by("id").values_list("pk", flat=True)[:len(LEVELS)]
    for i, (pk, (level, aspects, reasons)) in enumerate(zip(decided, LEVELS)):
        code = act_codes.act_code("case", pk)
        services.rate_act(RatingIn(act_code=code, level=level, aspects=aspects, reasons=reasons), source=f"demo-rating-{i}")
        created["执法评议"] += 1
    return created
