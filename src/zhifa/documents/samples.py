"""Sample data for every document kind (示例数据): used by the tests, the benchmark, the
screenshot in docs/ and the demo data generator. Names and numbers are fictitious."""
from __future__ import annotations

import copy

PARTY = {
    "kind": "organisation",
    "name": "示例市鑫源食品贸易有限公司",
    "id_code": "91650200MA78Q3K21X",
    "legal_representative": "张建国",
    "address": "示例市人民路88号",
}
REMEDIES = {"reconsideration_body": "示例市人民政府", "court": "示例市人民法院"}

PENALTY_DECISION = {
    "party": PARTY,
    "case_source": "本机关于2026年9月10日接到投诉举报，反映当事人涉嫌违法，经本机关负责人批准，于2026年9月12日立案调查。",
    "facts": (
        "2026年9月12日，本机关执法人员对当事人位于示例市人民路88号的经营场所进行检查，发现当事人销售的“鑫源牌”挂面"
        "（规格500克/袋，生产日期2026年3月1日，保质期6个月）已超过保质期，货架上共陈列46袋，货值金额人民币460元。"
        "经查，当事人自2026年9月1日起销售上述超过保质期的食品，违法所得人民币120元。"
    ),
    "act_place": "示例市人民路88号",
    "evidence": [
        "书证：当事人营业执照复印件、法定代表人身份证明、进货单据及销售记录",
        "视听资料：现场照片12张",
        "现场笔录：现场检查笔录1份",
        "询问笔录：对当事人法定代表人张建国的询问笔录2份",
    ],
    "violated_provision": "《中华人民共和国食品安全法》第三十四条第（十）项",
    "procedure": {
        "notice": "本机关于2026年10月8日向当事人送达了《行政处罚告知书》（示市监罚告〔2026〕9号），告知当事人拟作出行政处罚的事实、理由、"
                  "依据和处罚内容，以及依法享有的陈述、申辩和要求听证的权利。",
        "response": "当事人在规定期限内提出了陈述、申辩，称系店员疏忽所致，请求从轻处罚。经复核，当事人所述店员疏忽不能免除其作为食品经营者的"
                    "法定责任，但其积极配合调查、主动下架全部涉案食品属实，本机关对其从轻处罚的请求予以采纳。",
    },
    "discretion": "依据《示例市市场监管行政处罚裁量基准》，当事人的违法行为属于“一般”裁量档次，具有“主动消除或者减轻违法行为危害后果”的情节。"
                  "当事人积极配合调查，如实陈述违法事实，主动下架全部涉案食品，依法从轻处罚。",
    "benchmark": {"grade": "一般", "factors": ["主动消除或者减轻违法行为危害后果"]},
    "penalty": {
        "kind": "没收违法所得、罚款",
        "content": "没收违法所得人民币120.00元；罚款人民币50000.00元（大写：伍万元整）",
        "basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        "amount": "50000.00",
    },
    "performance": {
        "manner": "当事人应当自收到本决定书之日起十五日内，持缴款通知书到指定银行缴纳上述罚没款，或者通过非税收入电子缴款平台缴纳"
                  "（缴款渠道：示例市财政局非税收入汇缴结算户，开户银行：示例市农商银行人民路支行）",
        "deadline": "自收到本决定书之日起十五日内",
        "account": "示例市财政局非税收入汇缴结算户，开户银行：示例市农商银行人民路支行",
    },
    "publication": {"applies": True,
                    "text": "根据《市场监督管理行政处罚信息公示规定》第八条的规定，本行政处罚决定信息将通过国家企业信用信息公示系统向社会公示。"},
    "remedies": REMEDIES,
}

ITEMS = [
    {"name": "“鑫源牌”挂面", "spec": "500克/袋", "quantity": "46", "unit": "袋", "note": "已过保质期"},
    {"name": "销售记录本", "spec": "A5", "quantity": "1", "unit": "本", "note": ""},
]

SAMPLES: dict[str, dict] = {
    "case_source_registration": {"source": "投诉举报", "received_on": "2026-09-10", "party": PARTY, "reporter": "王某（电话略）",
                                 "clue": "举报人称当事人销售过期挂面。", "opinions": {"handler": "建议核查。"}},
    "filing_approval": {"case_cause": "销售超过保质期的食品案", "party": PARTY, "source": "投诉举报",
                        "facts": "经现场检查，当事人涉嫌销售超过保质期的食品。", "officers": "李明、王芳",
                        "opinions": {"handler": "建议立案调查。"}},
    "non_filing_approval": {"case_cause": "涉嫌虚假宣传", "facts": "经核查，举报事项不属实。",
                            "reason": "违法事实不成立", "opinions": {"handler": "建议不予立案。"}},
    "inquiry_record": {"started_at": "2026-09-12T10:00", "place": "当事人经营场所", "inquirers": "李明（65020000000001）、王芳（65020000000002）",
                       "recorder": "王芳", "interviewee": {"name": "张建国", "id_code": "650200198001011234", "relation": "法定代表人"},
                       "content": "问：你是否清楚货架上挂面已过保质期？\n答：不清楚，是店员疏忽。\n问：销售了多少？\n答：大约十二袋。"},
    "site_record": {"started_at": "2026-09-12T09:30", "place": "示例市人民路88号", "officers": "李明、王芳", "recorder": "王芳",
                    "party": PARTY, "content": "货架第三层陈列“鑫源牌”挂面46袋，生产日期2026年3月1日，保质期6个月。"},
    "service_address_confirmation": {"party": PARTY, "address": "示例市人民路88号", "phone": "0990-6666666",
                                     "notice": "送达地址变更的，应当及时书面告知本机关。", "confirmation": "本人确认以上送达地址。"},
    "preservation_notice": {"party": PARTY, "reason": "涉案挂面可能被转移", "location": "当事人仓库", "items": ITEMS},
    "seizure_decision": {"party": PARTY, "measure": "扣押", "reason": "当事人涉嫌销售超过保质期的食品",
                         "legal_basis": "《中华人民共和国食品安全法》第一百一十条", "location": "本机关物证保管室",
                         "period": "三十日", "items": ITEMS, "remedies": REMEDIES},
    "property_list": {"party": PARTY, "related_number": "示市监强制〔2026〕3号", "items": ITEMS},
    "seizure_extension_decision": {"party": PARTY, "original_number": "示市监强制〔2026〕3号", "original_date": "2026-09-12",
                                   "measure": "扣押", "reason": "需进一步检验", "extended_until": "2026-11-11", "remedies": REMEDIES},
    "seizure_release_decision": {"party": PARTY, "original_number": "示市监强制〔2026〕3号", "measure": "扣押",
                                 "reason": "案件已作出处理决定", "items": ITEMS[1:]},
    "testing_period_notice": {"party": PARTY, "original_number": "示市监强制〔2026〕3号", "testing": "涉案挂面",
                              "testing_period": "2026年9月15日至2026年9月30日"},
    "investigation_report": {"case_cause": "销售超过保质期的食品案", "party": PARTY, "facts": PENALTY_DECISION["facts"],
                             "evidence": PENALTY_DECISION["evidence"], "legal_basis": "违反食品安全法第三十四条第十项，依据第一百二十四条处罚",
                             "proposal": "没收违法所得120元，罚款50000元", "officers": "李明、王芳"},
    "legal_review_opinion": {"case_cause": "销售超过保质期的食品案", "party": PARTY, "submitted_on": "2026-10-08",
                             "opinion": "事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。同意。", "reviewer": "周律"},
    "collective_discussion_record": {"held_at": "2026-10-10T15:00", "place": "本局三楼会议室", "chair": "陈局", "attendees": "陈局、李明、王芳、周律",
                                     "recorder": "王芳", "case_cause": "销售超过保质期的食品案", "content": "承办人汇报案情，与会人员讨论。",
                                     "conclusion": "同意没收违法所得120元，罚款50000元。"},
    "penalty_notice": {"party": PARTY, "facts": "2026年9月12日，当事人在示例市人民路88号的经营场所销售超过保质期的“鑫源牌”挂面46袋。",
                       "act_place": "示例市人民路88号", "violated_provision": "《中华人民共和国食品安全法》第三十四条第（十）项",
                       "penalty_basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
                       "proposed_penalty": "没收违法所得人民币120元，罚款人民币50000元", "defence_days": 5, "contact": "李明 0990-1234567",
                       "hearing": True},
    "hearing_rights_notice": {"party": PARTY, "facts": "2026年9月12日，当事人在示例市人民路88号的经营场所销售超过保质期的食品。",
                              "act_place": "示例市人民路88号", "violated_provision": "《中华人民共和国食品安全法》第三十四条第（十）项",
                              "penalty_basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
                              "proposed_penalty": "罚款人民币50000元", "contact": "李明 0990-1234567"},
    "hearing_notice": {"party": PARTY, "case_cause": "销售超过保质期的食品", "hearing_at": "2026-10-20T09:00", "place": "本局听证室",
                       "chair": "刘某", "recorder": "赵某"},
    "hearing_record": {"held_at": "2026-10-20T09:00", "place": "本局听证室", "case_cause": "销售超过保质期的食品案", "chair": "刘某",
                       "recorder": "赵某", "party": PARTY, "investigators": "李明、王芳", "content": "调查人员陈述案情；当事人申辩。"},
    "defence_record": {"held_at": "2026-10-09T10:00", "place": "本局询问室", "party": PARTY, "officers": "李明、王芳", "recorder": "王芳",
                       "content": "当事人称系店员疏忽，请求从轻处罚。"},
    "penalty_decision": PENALTY_DECISION,
    "no_penalty_decision": {"party": PARTY, "facts": "2026年9月12日，当事人在示例市人民路88号销售的挂面标签存在瑕疵，不影响食品安全且不会对消费者造成误导。",
                            "act_place": "示例市人民路88号", "evidence": ["现场笔录：现场检查笔录1份", "询问笔录：询问笔录1份"], "reason": "违法行为轻微并及时改正，没有造成危害后果",
                            "legal_basis": "《中华人民共和国行政处罚法》第三十三条第一款", "remedies": REMEDIES},
    "on_the_spot_decision": {"party": {"kind": "person", "name": "刘某", "id_type": "居民身份证", "id_code": "650200199001011234",
                                       "address": "示例市民主路1号"},
                             "facts": "2026年9月20日16时，当事人在示例市人民路口占用城市道路摆摊经营。", "act_time": "2026-09-20T16:00",
                             "act_place": "示例市人民路口", "violated_provision": "《示例市市容和环境卫生管理条例》第十二条",
                             "penalty": {"kind": "罚款", "content": "罚款人民币100.00元（大写：壹佰元整）", "amount": "100.00",
                                         "basis": "《示例市市容和环境卫生管理条例》第二十条"},
                             "performance": {"manner": "当场收缴"}, "remedies": REMEDIES, "officers": "李明（65020000000001）、王芳（65020000000002）"},
    "service_receipt": {"party": PARTY, "address": "示例市人民路88号", "served_documents": [{"title": "行政处罚决定书", "number": "示市监处罚〔2026〕15号"}],
                        "method": "直接送达", "servers": "李明、王芳"},
    "payment_deferral_approval": {"party": PARTY, "decision_number": "示市监处罚〔2026〕15号", "fine_amount": "50000.00元",
                                  "request": "经营困难，申请分期缴纳", "plan": "分两期，每期25000元", "opinions": {"handler": "建议同意。"}},
    "reminder": {"party": PARTY, "decision_number": "示市监处罚〔2026〕15号", "obligation": "罚款人民币50000元", "amount": "人民币50000元",
                 "deadline": "2027-01-10", "method": "到指定银行缴纳"},
    "enforcement_application": {"court": "示例市人民法院", "party": PARTY, "decision_number": "示市监处罚〔2026〕15号", "decision_date": "2026-10-25",
                                "decision_summary": "罚款人民币50000元", "reminder_number": "示市监催告〔2027〕1号",
                                "performance_status": "被执行人仍未履行", "request": "强制执行罚款人民币50000元及加处罚款",
                                "attachments": ["行政处罚决定书及送达回证", "催告书及送达回证"]},
    "crime_transfer_letter": {"police": "示例市公安局", "party": PARTY, "case_cause": "销售不符合安全标准的食品",
                              "facts": "当事人销售的食品经检验致病菌超标，货值金额较大", "attachments": ["涉嫌犯罪案件情况的调查报告", "涉案物品清单", "检验报告"]},
    "closing_approval": {"case_cause": "销售超过保质期的食品案", "party": PARTY, "decision_number": "示市监处罚〔2026〕15号",
                         "outcome": "没收违法所得120元，罚款50000元", "execution": "当事人已于2026年11月5日缴清罚没款", "opinions": {"handler": "建议结案。"}},
    "crime_case_report": {"case_cause": "销售不符合食品安全标准的食品案", "party": PARTY, "suspected_offence": "生产、销售不符合安全标准的食品罪",
                          "facts": "当事人销售的冷冻肉制品经检验致病菌超标，货值金额较大", "investigation": "经现场检查、抽样检验和询问当事人，查明上述事实",
                          "threshold": "足以造成严重食物中毒事故或者其他严重食源性疾病", "team": "李明、王芳", "opinions": {"head": "同意移送。"}},
    "crime_exhibit_list": {"case_cause": "销售不符合食品安全标准的食品案", "party": PARTY, "exhibits": "冷冻肉制品120箱（已查封）", "team": "李明"},
    "crime_reconsideration_request": {"police": "示例市公安局", "party": PARTY, "case_cause": "销售不符合食品安全标准的食品案",
                                      "transfer_number": "示市监移〔2026〕3号", "reason": "检验报告证明涉案食品足以造成严重食源性疾病，已达立案追诉标准"},
    "crime_supervision_suggestion": {"procuratorate": "示例市人民检察院", "police": "示例市公安局", "party": PARTY,
                                     "case_cause": "销售不符合食品安全标准的食品案", "transfer_number": "示市监移〔2026〕3号",
                                     "reason": "公安机关复议后仍决定不予立案，本机关认为已达立案追诉标准"},
    "crime_handover_list": {"police": "示例市公安局", "party": PARTY, "transfer_number": "示市监移〔2026〕3号",
                            "materials": ["冷冻肉制品120箱", "检验报告原件1份"], "team": "李明", "receiver": "张强"},
    "transfer_reply": {"sender": "示例市公安局", "sender_number": "示公反移〔2026〕2号", "party_name": "示例市鑫源食品贸易有限公司",
                       "outcome": "已立案查处并作出行政处罚决定", "reasons": "当事人的行为尚不构成犯罪，但违反了食品安全法的规定"},
    "administrative_guidance": {"party": PARTY, "form": "政策辅导", "item": "对销售超过保质期食品的处罚",
                                "content": "你单位货架上陈列的部分预包装食品临近保质期，请建立临期食品台账，定期检查，及时下架处理。",
                                "follow_up_on": "2026年12月15日"},
    "interview_record": {"held_at": "2026年11月20日10时", "place": "示例市市场监督管理局二楼会议室", "party": PARTY,
                         "officers": "李明（执法证号65020000001）、王芳（执法证号65020000002）", "item": "对销售超过保质期食品的处罚",
                         "content": "就当事人近期两次被投诉销售临期食品的情况进行约谈，告知其法定义务及违法后果。",
                         "outcome": "当事人承诺一周内完成自查整改，建立临期食品管理制度。", "follow_up_on": "2026年12月4日"},
}


def sample(kind: str) -> dict:
    """A deep copy of the sample data of ``kind`` (callers may change it)."""
    return copy.deepcopy(SAMPLES[kind])
