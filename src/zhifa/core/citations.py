"""The law's words in one place (法律引用): every legal citation and every fixed legal sentence the
code prints — in a refusal's ``basis``, a discretion step, a document.

Pure data, no Django. Two forms, each used where it is used today (the strings must not change):

- the **short form** ``行政处罚法第三十四条`` (``APL_ART34``): the ``basis`` of a ``Violation``,
  help texts and API descriptions;
- the **full form** ``《中华人民共和国行政处罚法》第三十四条`` (``APL_ART34_FULL``): reasons printed in
  documents and in the discretion engine's steps, where the law is cited by its full title.

A constant name says which law and which article: ``APL`` 行政处罚法, ``ACL`` 行政强制法, ``ARL``
行政复议法, ``ALL`` 行政诉讼法; ``_1`` a paragraph (款), ``_20_24`` several articles.
The document texts themselves (kinds.toml) are data edited by legal staff and stay there.
"""
from __future__ import annotations

# --- Laws ----------------------------------------------------------------------------------------
APL = "行政处罚法"
ACL = "行政强制法"
ARL = "行政复议法"
ALL = "行政诉讼法"
APL_TITLE = "《中华人民共和国行政处罚法》"
ACL_TITLE = "《中华人民共和国行政强制法》"

# --- 行政处罚法, short form (violation bases) -----------------------------------------------------
APL_ART9 = f"{APL}第九条"
APL_ART20_24 = f"{APL}第二十条、第二十四条"
APL_ART24_25 = f"{APL}第二十四条、第二十五条"
APL_ART29 = f"{APL}第二十九条"
APL_ART30_33 = f"{APL}第三十条、第三十一条、第三十三条"
APL_ART33_3 = f"{APL}第三十三条第三款"
APL_ART34 = f"{APL}第三十四条"
APL_ART36 = f"{APL}第三十六条"
APL_ART41 = f"{APL}第四十一条"
APL_ART41_1 = f"{APL}第四十一条第一款"
APL_ART41_2 = f"{APL}第四十一条第二款"
APL_ART41_3 = f"{APL}第四十一条第三款"
APL_ART6 = f"{APL}第六条"
APL_ART42 = f"{APL}第四十二条"
APL_ART43 = f"{APL}第四十三条"
APL_ART44 = f"{APL}第四十四条"
APL_ART44_62 = f"{APL}第四十四条、第六十二条"
APL_ART45 = f"{APL}第四十五条"
APL_ART47 = f"{APL}第四十七条"
APL_ART48 = f"{APL}第四十八条"
APL_ART51 = f"{APL}第五十一条"
APL_ART52 = f"{APL}第五十二条"
APL_ART54 = f"{APL}第五十四条"
APL_ART55 = f"{APL}第五十五条"
APL_ART56 = f"{APL}第五十六条"
APL_ART57 = f"{APL}第五十七条"
APL_ART58 = f"{APL}第五十八条"
APL_ART58_2 = f"{APL}第五十八条第二款"
APL_ART59 = f"{APL}第五十九条"
APL_ART59_2 = f"{APL}第五十九条第二款"
APL_ART60 = f"{APL}第六十条"
APL_ART61 = f"{APL}第六十一条"
APL_ART63 = f"{APL}第六十三条"
APL_ART64 = f"{APL}第六十四条"
APL_ART66 = f"{APL}第六十六条"
APL_ART67 = f"{APL}第六十七条"
APL_ART68_71 = f"{APL}第六十八条至第七十一条"
APL_ART71 = f"{APL}第七十一条"
APL_ART72 = f"{APL}第七十二条"
APL_ART73 = f"{APL}第七十三条"

# --- 行政强制法, 行政复议法, 行政诉讼法, short form ------------------------------------------------
ACL_ART18 = f"{ACL}第十八条"
ACL_ART19 = f"{ACL}第十九条"
ACL_ART24 = f"{ACL}第二十四条"
ACL_ART25 = f"{ACL}第二十五条"
ACL_ART35 = f"{ACL}第三十五条"
ACL_ART53 = f"{ACL}第五十三条"
ACL_ART54 = f"{ACL}第五十四条"
ARL_ART20 = f"{ARL}第二十条"
ALL_ART46 = f"{ALL}第四十六条"

# --- 行政处罚法, full form (documents, discretion steps) -------------------------------------------
APL_ART5_FULL = f"{APL_TITLE}第五条"
APL_ART9_FULL = f"{APL_TITLE}第九条"
APL_ART30_FULL = f"{APL_TITLE}第三十条"
APL_ART31_FULL = f"{APL_TITLE}第三十一条"
APL_ART32_FULL = f"{APL_TITLE}第三十二条"
APL_ART33_1_FULL = f"{APL_TITLE}第三十三条第一款"
APL_ART33_2_FULL = f"{APL_TITLE}第三十三条第二款"
APL_ART33_3_FULL = f"{APL_TITLE}第三十三条第三款"
APL_ART34_FULL = f"{APL_TITLE}第三十四条"
APL_ART37_FULL = f"{APL_TITLE}第三十七条"
APL_ART49_FULL = f"{APL_TITLE}第四十九条"
APL_ART58_FULL = f"{APL_TITLE}第五十八条"
APL_ART63_1_FULL = f"{APL_TITLE}第六十三条第一款"

# --- Other rules and policy documents -------------------------------------------------------------
GUOBAN_2022_27 = "《国务院办公厅关于进一步规范行政裁量权基准制定和管理工作的意见》（国办发〔2022〕27号）"
GUOBAN_2022_27_SHORT = "《关于进一步规范行政裁量权基准制定和管理工作的意见》（国办发〔2022〕27号）"
GUOBAN_2018_118 = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"
SAMR_HEARING_ART5 = "《市场监督管理行政处罚听证办法》第五条"
SAMR45_ART8 = "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第八条"
SAMR45_ART9 = "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第九条"
SAMR45_ART11 = "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第十一条"
GUOBAN_2015_58 = "《国务院办公厅关于推广随机抽查规范事中事后监管的通知》（国办发〔2015〕58号）"
METROLOGY_ART9 = "《中华人民共和国计量法》第九条"
ACL_ART5 = f"{ACL}第五条"
GUANGDONG_OFFSITE = "粤府〔2025〕12号"  # the provincial rule on off-site enforcement cited by legal-rules.md §G (30 days before use)
GUOFA_2019_5 = "《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）"
CERTIFICATE_MEASURES = "《行政执法证件管理办法》"
CITY_DECISION = "市人大常委会决定"  # the city's decision on enforcement teams (R06–R08), cited by its parts
CITY_GUIDANCE = "市指导意见"  # the city's guidance on certificates (R04)
GUANGDONG_ECOLOGY = "《广东省生态环境行政处罚自由裁量权规定》（粤环发〔2021〕7号）"
JIANGMEN_ECOLOGY = "《江门市生态环境局关于生态环境违法行为行政处罚自由裁量权裁量标准规定（试行）》"

# --- Bases of the registry's rules (officers, certificates, R04–R08) --------------------------------
BASIS_CERTIFICATE = f"{APL_ART42}；{CERTIFICATE_MEASURES}"
BASIS_AUXILIARY = f"{APL_ART42}；{CITY_DECISION}第三部分"
BASIS_TWO_OFFICERS = f"{APL}第四十二条、第五十五条；{ACL_ART18}"

# --- Fixed legal sentences printed in documents ---------------------------------------------------
# The manner and period of payment of a fine (APL art.67).
PAYMENT_MANNER = "当事人应当自收到本决定书之日起十五日内，到指定银行或者通过非税收入电子缴款平台缴纳罚款"
PAYMENT_DEADLINE = "自收到本决定书之日起十五日内"
# On the spot (APL arts.67–69).
SPOT_PAYMENT_MANNER = "当事人应当自收到本决定书之日起十五日内到指定银行缴纳罚款；依法当场收缴的，由执法人员出具专用票据"
# Why no penalty is given (不予处罚的依据), APL arts.30, 31, 33, by reason.
NO_PENALTY_BASIS = {
    "minor": APL_ART30_FULL,
    "mental": APL_ART31_FULL,
    "no_fault": APL_ART33_2_FULL,
    "minor_violation": APL_ART33_1_FULL,
}
# Remedies the party must be told of (救济途径和期限), APL art.59(五): the statutory periods.
RECONSIDERATION_DAYS = 60  # ARL art.20: 六十日内提出行政复议申请
LITIGATION_MONTHS = 6  # ALL art.46: 六个月内提出（直接起诉）

# --- 行政执法机关移送涉嫌犯罪案件的规定 (国务院令第310号, 2020修订), short form -------------------------
O310 = "行政执法机关移送涉嫌犯罪案件的规定"
O310_TITLE = "《行政执法机关移送涉嫌犯罪案件的规定》"
O310_ART3 = f"{O310}第三条"
O310_ART5_1 = f"{O310}第五条第一款"
O310_ART5_2 = f"{O310}第五条第二款"
O310_ART6 = f"{O310}第六条"
O310_ART7 = f"{O310}第七条"
O310_ART8 = f"{O310}第八条"
O310_ART9_1 = f"{O310}第九条第一款"
O310_ART9_2 = f"{O310}第九条第二款"
O310_ART10 = f"{O310}第十条"
O310_ART11 = f"{O310}第十一条"
O310_ART12 = f"{O310}第十二条"
O310_ART13 = f"{O310}第十三条"
# Periods "之日起…日内" in O310: the start day is not counted and a last day on a rest day moves to
# the next working day (民事诉讼法第八十五条, applied by analogy; O310 has no clause of its own).
O310_DAYS = "民事诉讼法第八十五条（期间计算，参照适用）"
# The procuratorate's opinion (检察意见书) and the reverse transfer: APL art.27 ¶1 (行刑衔接).
APL_ART27 = f"{APL}第二十七条"
# The reply period to an opinion: two months in the Supreme Procuratorate's 2021 rules on the link between
# administrative enforcement and criminal justice (legal-rules §C+: *unconfirmed*, so configurable).
PROCURATORATE_OPINION = "最高人民检察院关于推进行政执法与刑事司法衔接工作的规定（2021年）"
# --- 市场监督管理投诉举报处理暂行办法 (SAMR Order 20), the model of complaints and reports (§H) ---
SAMR20 = "《市场监督管理投诉举报处理暂行办法》（市场监管总局令第20号）"
SAMR20_ART9 = f"{SAMR20}第九条"
SAMR20_ART14 = f"{SAMR20}第十四条"
SAMR20_ART15 = f"{SAMR20}第十五条"
SAMR20_ART31 = f"{SAMR20}第三十一条"
SAMR20_ART33 = f"{SAMR20}第三十三条"
# --- Supervision (执法监督, R31–R39) ------------------------------------------------------------
APL_ART75 = f"{APL}第七十五条"
O825 = "《行政执法监督条例》（国务院令第825号）"
SUPERVISION_CASE_FILES = f"{CITY_GUIDANCE}第（十一）项"  # case files bound, evaluated, sampled (seed G §十一)
SUPERVISION_CONDUCT = f"{CITY_DECISION}第五部分"  # civilized conduct norms as evaluation items (seed D §五)
SUPERVISION_ACCOUNTABILITY = f"{CITY_DECISION}第七部分"  # accountability, exemption, fault tolerance (seed D §七)
