"""Demo data of the portal (``zhifa demo``): the case guidance library (执法案例指导, R41) and
complaints and reports in every state (R35), all made through the services so that each has its
full-process record. Idempotent: nothing is added when the library already has cases.

    load_portal_demo(today) -> {"指导案例": n, "投诉举报": m}
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from zhifa.cases import selectors as case_selectors
from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.core.violations import Refused
from zhifa.registry import access
from zhifa.registry.models import Body, Officer

from . import services
from .inputs import ComplaintActionIn, ComplaintIn
from .models import Complaint, GuidanceCase

GUIDANCE = [
    ("ZD-2026-01", "销售超过保质期的食品，货值较小且首次违法的处理", "市场监管", "食品安全、过期食品、首违不罚",
     "某便利店在货架上摆放三包已超过保质期的饼干，货值 18 元。执法人员检查时当事人当场下架，能够提供进货票据，此前无同类违法记录。",
     "一、食品安全违法行为的“货值金额”按标价计算。\n二、违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚；初次违法且危害后果轻微并及时改正的，可以不予行政处罚，但应当进行教育。\n三、不予处罚也应当制作决定书，说明理由。",
     "《中华人民共和国食品安全法》第三十四条、第一百二十四条\n《中华人民共和国行政处罚法》第三十三条"),
    ("ZD-2026-02", "餐饮服务单位未按规定公示食品经营许可证", "市场监管", "食品安全、餐饮、许可证公示",
     "某餐馆取得食品经营许可证后未在经营场所显著位置悬挂，执法人员责令当场改正，当事人立即改正。",
     "责令改正是行政命令而非行政处罚；当场改正的，应当记录改正情况并拍照留存，不另行罚款。",
     "《食品经营许可和备案管理办法》第四十二条\n《中华人民共和国行政处罚法》第二十八条"),
    ("ZD-2026-03", "占道经营的劝导与处罚衔接", "城市管理", "占道经营、柔性执法、劝导",
     "某摊贩在人行道上摆摊，城管队员两次劝导后仍未改正，依法作出罚款决定。",
     "先劝导、后处罚：劝导应当记录在案，作为认定“拒不改正”的证据；处罚金额应当依裁量基准确定档次并说明理由。",
     "《城市市容和环境卫生管理条例》第三十六条\n《中华人民共和国行政处罚法》第五条"),
    ("ZD-2026-04", "未取得排污许可证排放污染物的按日连续处罚", "生态环境", "排污许可、按日连续处罚、环境",
     "某企业未取得排污许可证排放废水，责令改正后复查仍在排放，依法按日连续处罚。",
     "按日连续处罚须以责令改正决定送达并复查为前提；复查发现仍在违法排放的，自责令改正之日的次日起计算。",
     "《中华人民共和国环境保护法》第五十九条\n《排污许可管理条例》第三十三条"),
    ("ZD-2026-05", "非法行医案件移送公安机关的标准", "卫生健康", "非法行医、移送、涉嫌犯罪",
     "某人未取得医师执业资格开展诊疗活动，查明曾因非法行医受过行政处罚，依法移送公安机关。",
     "涉嫌犯罪的案件应当移送，不得以罚代刑；移送前应当固定证据、经负责人批准，移送后抄送检察机关。",
     "《行政执法机关移送涉嫌犯罪案件的规定》第三条\n《中华人民共和国刑法》第三百三十六条"),
    ("ZD-2026-06", "食品生产企业未建立进货查验记录", "市场监管", "食品安全、进货查验、食品生产",
     "某食品生产企业未建立原料进货查验记录，责令改正后逾期未改正，依法给予警告并处罚款。",
     "“责令改正，给予警告”与“拒不改正的，处罚款”是前后两个阶段：先责令改正并给予警告，逾期不改正的才可罚款。",
     "《中华人民共和国食品安全法》第五十条、第一百二十六条"),
]

# (kind, subject, facts, request, where the complaint stops)
COMPLAINTS = [
    ("complaint", "执法人员检查时未出示执法证", "2026年11月，两名执法人员到我店检查，没有出示执法证件就开始拍照取证，我要求出示也被拒绝。", "请核实并依法处理", ""),
    ("report", "怀疑执法人员收受商户财物", "我看到有执法人员在检查后从某商户处拿走两箱饮料，未付款。", "", "accept"),
    ("complaint", "罚款金额明显高于裁量基准", "我因占道经营被罚款两千元，但公布的裁量基准中初次违法的罚款档次为二百元以下。", "请复核罚款金额", "reject"),
    ("complaint", "现场执法态度粗暴", "执法人员在现场大声呵斥，推搡我的店员，现场有监控录像。", "请调查并道歉", "handle"),
    ("report", "执法车辆公车私用", "周末在景区停车场看到贴有执法标识的车辆，车上人员身着便装游玩。", "", "answer"),
    ("report", "重复提交的无意义内容", "测试测试测试测试测试测试测试测试测试测试。", "", "mark_abusive"),
]
STEPS = {"": [], "accept": ["accept"], "reject": ["reject"], "handle": ["accept", "handle"],
         "answer": ["accept", "handle", "answer"], "mark_abusive": ["mark_abusive"]}
TEXTS = {"reject": "经查，该罚款决定已于2026年11月作出并告知复议诉讼权利，对罚款数额有异议的应当依法申请行政复议或者提起行政诉讼，不属于投诉受理范围。",
         "handle": "已调取执法记录仪视频，对涉事执法人员进行诫勉谈话。",
         "answer": "经核实，该车辆系执法人员周末值班后私自使用，已责令其作出书面检查并按规定处理。感谢您的监督。",
         "mark_abusive": "内容无实际事项，系重复提交的测试内容。"}


FINDINGS = {"handle": "partly_upheld", "answer": "upheld"}


def _admin_actor():
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    return access.actor_for(user) if user is not None else None


def _handler(body: Body) -> access.Actor | None:
    head = (Officer.objects.filter(body=body, status=Officer.Status.ACTIVE, is_head=True).select_related("user", "body")
            .order_by("id").first())
    if head is None:
        return None
    if head.user is not None:
        return access.actor_for(head.user)
    return access.Actor(user=None, roles=frozenset({access.Role.HEAD, access.Role.OFFICER}), officer=head, body_id=body.pk)


def _officer_actor(officer: Officer) -> access.Actor:
    roles = {access.Role.OFFICER} | ({access.Role.HEAD} if officer.is_head else set())
    return access.Actor(user=officer.user, roles=frozenset(roles), officer=officer, body_id=officer.body_id)


def _publish_decisions(today: dt.date, created: dict[str, int]) -> None:
    """Publish the demo's decisions in force (公示, 3S / SAMR45) through the case services, by an
    officer of the case; then one is corrected (revoked) by its body's head and its publication
    withdrawn (APL art.48 ¶2), so the portal shows a withdrawn one too."""
    pol = case_selectors.policy()
    published = []
    for case in (Case.objects.filter(published_on__isnull=True, decided_on__isnull=False).select_related("body")
                 .prefetch_related("officers").order_by("id")):
        officer = next(iter(case.officers.all()), None)
        if officer is None or not case_selectors.publishable(case, pol):
            continue
        try:
            case_services.publish(case.pk, actor=_officer_actor(officer), where="行政执法公示平台")
        except Refused:
            continue
        published.append(case)
    created["公示的处罚决定"] = len(published)
    for case in published:
        head = Officer.objects.filter(body_id=case.body_id, is_head=True, status=Officer.Status.ACTIVE).order_by("id").first()
        officer = next(iter(case.officers.all()), None)
        if head is None or officer is None:
            continue
        try:
            case_services.correct(case.pk, kind="revoke", reason="当事人申请行政复议，经复查认定事实不清，予以撤销",
                                  actor=_officer_actor(head))
            case_services.withdraw_publication(case.pk, reason="原处罚决定已被本机关撤销", actor=_officer_actor(officer))
        except Refused:
            continue
        created["撤回公示的决定"] = 1
        return


def load_portal_demo(today: dt.date | None = None) -> dict[str, int]:
    created = {"指导案例": 0, "投诉举报": 0}
    if GuidanceCase.objects.exists():
        return created
    today = today or clock.today()
    _publish_decisions(today, created)
    admin = _admin_actor()
    body = Body.objects.filter(is_published=True, officers__is_head=True).order_by("id").distinct().first()
    if admin is not None:
        for i, (number, title, domain, keywords, summary, points, basis) in enumerate(GUIDANCE):
            case = GuidanceCase(number=number, title=title, domain=domain, keywords=keywords, summary=summary,
                                points_of_law=points, legal_basis=basis, published_on=today - dt.timedelta(days=30 * (i + 1)))
            services.save_by_admin(case, changed=[], created=True, actor=admin)
            created["指导案例"] += 1
    handler = _handler(body) if body is not None else None
    if handler is None:
        return created
    for i, (kind, subject, facts, request, stop) in enumerate(COMPLAINTS):
        with clock.frozen(today - dt.timedelta(days=3 * (len(COMPLAINTS) - i))):
            named = kind == "complaint" or i % 2 == 0
            data = ComplaintIn(kind=kind, body_id=body.pk, subject=subject, facts=facts, request=request,
                               anonymous=not named, reporter_name=("司马文清", "上官雨桐")[i % 2] if named else "",
                               reporter_phone="13800138000" if named else "", reporter_address="示例市示例区人民路8号" if named else "")
            complaint = services.file_complaint(data, source=f"demo-{i}")
            for step in STEPS[stop]:
                finding = FINDINGS[stop] if step == "handle" else ""
                services.act_on_complaint(complaint.pk, step, ComplaintActionIn(text=TEXTS.get(step, ""), finding=finding),
                                          actor=handler)
        created["投诉举报"] += 1
    from .demo_open import load_open_demo

    created.update(load_open_demo(today, body, handler, admin))
    return created


__all__ = ["load_portal_demo", "Complaint"]
