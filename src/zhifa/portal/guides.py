"""The procedure guide of the portal (执法程序与办事指南, 事前公开, APL art.39): what happens in a
penalty case and what the party may do at each step, each step with its article. Plain data; the
articles from ``core/citations.py``."""
from __future__ import annotations

from zhifa.core import citations as c

# (step, what the body does, what the party may do, basis)
GENERAL_PROCEDURE = [
    ("立案", "发现涉嫌违法行为，符合立案标准的，予以立案。", "—", c.APL_ART54),
    ("调查取证", "执法人员不少于两人，主动出示执法证件；询问、检查应当制作笔录。",
     "要求执法人员出示证件；未出示的，有权拒绝接受调查或者检查；认为执法人员与案件有直接利害关系的，可以申请回避。",
     f"{c.APL_ART42}、{c.APL_ART43}、{c.APL_ART55}"),
    ("告知", "作出处罚决定前，告知拟作出的处罚内容及事实、理由、依据。", "获知拟处罚的内容和理由、依据。", c.APL_ART44),
    ("陈述、申辩", "充分听取当事人意见，对事实、理由和证据进行复核；不得因申辩而加重处罚。",
     "进行陈述和申辩。", c.APL_ART45),
    ("听证", "较大数额罚款、没收较大数额违法所得或非法财物、降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业等，告知听证权利。",
     "在告知后五日内要求听证；听证不收费用。", f"{c.APL_ART63}、{c.APL_ART64}"),
    ("法制审核", "重大执法决定作出前，由法制审核人员审核；未经审核或审核未通过的，不得作出决定。", "—", c.APL_ART58),
    ("决定", "负责人审查后作出决定；情节复杂或重大违法的，集体讨论决定。自立案之日起九十日内作出。",
     "—", f"{c.APL_ART57}、{c.APL_ART60}"),
    ("送达", "决定书当场交付；当事人不在场的，七日内送达。", "收到决定书，了解救济途径和期限。", c.APL_ART61),
    ("公示", "具有一定社会影响的决定依法公开；决定被变更、撤销或确认无效的，三日内撤回公示。", "—", c.APL_ART48),
    ("救济", "—", "自知道之日起六十日内申请行政复议，或自知道之日起六个月内提起行政诉讼。",
     f"{c.ARL_ART20}、{c.ALL_ART46}"),
]

SIMPLE_PROCEDURE = (
    "违法事实确凿并有法定依据，对公民处二百元以下、对法人或者其他组织处三千元以下罚款或者警告的，可以当场作出决定；"
    "执法人员应当出示证件，填写预定格式、编有号码的决定书，当场交付当事人。",
    f"{c.APL_ART51}、{c.APL_ART52}",
)
