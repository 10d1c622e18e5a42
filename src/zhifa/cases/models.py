"""Penalty and coercion cases (案件, R14–R20, R23, R24): data and constraints only.

The state and the dates every guard and deadline needs are kept on ``Case`` itself (one row to
lock, one row to list); the history of each step (notices, reviews, hearings, decisions, service,
payments, seizures, pauses, evidence) has its own table. ``services`` is the only writer, and
every write appends to the full-process record ``case:<id>`` (``zhifa.core.ledger``).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.catalog.models import Item
from zhifa.core.offline import OfflineReceiptFields
from zhifa.registry.models import Body, Officer

from .workflow import PROCEDURE_CHOICES, STATE_CHOICES


class Case(models.Model):
    """案件: one enforcement matter from the clue (案源) to the archived file (归档)."""

    class PartyKind(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "法人或者其他组织"

    class Source(models.TextChoices):
        INSPECTION = "inspection", "监督检查发现"
        COMPLAINT = "complaint", "投诉举报"
        REFERRAL = "referral", "其他机关移送"
        ASSIGNED = "assigned", "上级交办"
        MONITORING = "monitoring", "非现场执法（电子监控）"
        OTHER = "other", "其他"

    body = models.ForeignKey(Body, verbose_name="办案主体", on_delete=models.PROTECT, related_name="cases")
    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="cases")
    number = models.CharField("案件编号", max_length=40, blank=True, db_index=True)
    procedure = models.CharField("程序", max_length=8, choices=PROCEDURE_CHOICES, default="normal")
    state = models.CharField("状态", max_length=16, choices=STATE_CHOICES, default="source")
    version = models.PositiveIntegerField("版本", default=1)

    # Source and party (案源、当事人)
    source = models.CharField("案件来源", max_length=12, choices=Source.choices, default=Source.INSPECTION)
    clue = models.TextField("案源情况", blank=True)
    clue_received_on = models.DateField("案源登记日期")
    # The filing period's one extension (立案期限延长, sector rules: +15 working days with approval).
    filing_extended_on = models.DateField("立案期限延长批准日期", null=True, blank=True)
    party_kind = models.CharField("当事人类型", max_length=12, choices=PartyKind.choices)
    party_name = models.CharField("当事人", max_length=120)
    party_id_code = models.CharField("身份证号码或统一社会信用代码", max_length=18, blank=True, db_index=True)
    party_address = models.CharField("地址", max_length=200, blank=True)
    party_phone = models.CharField("电话", max_length=30, blank=True)
    party_age = models.PositiveSmallIntegerField("年龄（自然人）", null=True, blank=True)
    party_mental_illness = models.BooleanField("不能辨认或者控制自己行为的精神病人、智力残疾人", default=False)
    no_fault = models.BooleanField("有证据足以证明没有主观过错", default=False)
    party = models.ForeignKey("cases.Party", verbose_name="当事人（档案）", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="cases")

    # The act (违法行为)
    act_description = models.TextField("违法行为", blank=True)
    act_date = models.DateField("违法行为发生日期")
    act_end_date = models.DateField("违法行为终了日期（连续或者继续状态）", null=True, blank=True)
    act_place = models.CharField("违法行为地点", max_length=200, blank=True)
    violated_provision = models.CharField("违反的法律规定", max_length=300, blank=True,
                                          help_text="如《中华人民共和国食品安全法》第三十四条第（十）项；空则取执法事项的违法条款")
    safety_harm = models.BooleanField("涉及生命健康安全、金融安全且有危害后果", default=False)
    facts = models.TextField("调查认定的事实", blank=True)
    illegal_gains = models.DecimalField("违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    goods_value = models.DecimalField("货值金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    officers = models.ManyToManyField(Officer, verbose_name="承办人员", related_name="cases", blank=True)

    # Filing (立案)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    not_filed_reason = models.TextField("不予立案理由", blank=True)
    preserved_on = models.DateField("先行登记保存日期", null=True, blank=True)
    preservation_decided_on = models.DateField("先行登记保存处理决定日期", null=True, blank=True)
    investigation_report = models.TextField("调查终结报告", blank=True)
    case_review_opinion = models.TextField("案件审核意见", blank=True)
    is_major = models.BooleanField("情节复杂或者重大违法行为", default=False)
    collective_discussion_on = models.DateField("集体讨论日期", null=True, blank=True)
    review_status = models.CharField("法制审核", max_length=8, blank=True,
                                     choices=[("pending", "审核中"), ("pass", "通过"), ("fail", "未通过")])
    review_requested_on = models.DateField("提交法制审核日期", null=True, blank=True)  # the review's own period runs from it
    extensions = models.PositiveSmallIntegerField("延期次数", default=0)
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)

    # Notice (事先告知) in force
    proposed_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    proposed_amount = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    defence_due = models.DateField("陈述申辩期限", null=True, blank=True)
    defence_done = models.BooleanField("已陈述申辩或者放弃", default=False)
    hearing_due = models.DateField("听证申请期限", null=True, blank=True)
    hearing_status = models.CharField("听证", max_length=10, default="none", choices=[
        ("none", "未申请"), ("requested", "已申请"), ("scheduled", "已通知"), ("held", "已举行"),
        ("waived", "已放弃"), ("withdrawn", "已撤回")])

    # Decision and execution (决定、送达、执行)
    outcome = models.CharField("处理结果", max_length=12, blank=True, choices=[
        ("penalty", "给予行政处罚"), ("no_penalty", "不予行政处罚"), ("transfer", "移送司法机关")])
    decision_kinds = models.JSONField("处罚种类", default=list, blank=True)
    decision_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    served_on = models.DateField("决定书送达日期", null=True, blank=True)
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    paid_amount = models.DecimalField("已缴金额（元）", max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField("缴清日期", null=True, blank=True)
    reminded_on = models.DateField("催告日期", null=True, blank=True)
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    # On the scene (R15), education (APL art.33 ¶3)
    credentials_shown_on = models.DateField("出示执法证件日期", null=True, blank=True)
    rights_told_on = models.DateField("告知权利和救济途径日期", null=True, blank=True)
    educated_on = models.DateField("教育当事人日期", null=True, blank=True)
    # Legal review: the penalty the passed review covered (a later change needs a new review)
    review_basis = models.JSONField("法制审核所针对的拟处罚内容", default=dict, blank=True)
    # Payment: deferral (APL art.66), on-the-spot collection (arts.68–71), remedies (art.73)
    deferral_requested_on = models.DateField("当事人申请延期（分期）缴纳日期", null=True, blank=True)
    payment_deferred_on = models.DateField("批准延期（分期）缴纳日期", null=True, blank=True)
    collected_on_spot_on = models.DateField("当场收缴日期", null=True, blank=True)
    collection_handed_over_on = models.DateField("当场收缴罚款交至机关日期", null=True, blank=True)
    remedy_since = models.DateField("复议、诉讼进行中（起始日期）", null=True, blank=True)
    # Publication (3S, SAMR45) and withdrawal (APL art.48)
    publication_due = models.DateField("公示期限", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    withdrawal_due = models.DateField("撤回公示期限", null=True, blank=True)
    publication_withdrawn_on = models.DateField("撤回公示日期", null=True, blank=True)
    # The most urgent running deadline, kept by the services on every action (lists sort by it)
    next_due = models.DateField("最近期限", null=True, blank=True, db_index=True)
    next_due_kind = models.CharField("最近期限类别", max_length=20, blank=True)
    next_due_provisional = models.BooleanField("最近期限为临时推算", default=False)
    # O310 art.11: a transfer of the suspected crime is pending (set and cleared by the transfers app
    # through ``services.hold_for_transfer``): no fine meanwhile (FINE_INSTEAD_OF_TRANSFER).
    transfer_pending = models.BooleanField("涉嫌犯罪移送办理中", default=False)
    escalated_from = models.ForeignKey(Body, verbose_name="原办案主体（提级办理）", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="escalated_cases")

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["body", "state"]),
            models.Index(fields=["state", "payment_due"]),
            models.Index(fields=["state", "defence_due"]),
            models.Index(fields=["party_id_code", "act_date"]),
            models.Index(fields=["body", "next_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.pk} {self.party_name}"

    @property
    def stream(self) -> str:
        return f"case:{self.pk}"


class Party(models.Model):
    """当事人: the person or organisation a case is brought against, its own object (the
    documents print its block: name, 统一社会信用代码 or ID document, 法定代表人, address for
    service). One per case (created with the case); the case's ``party_*`` columns keep the
    copy the guards and indexes use (APL art.29 matching by ID code), written together with it
    by the services only. Personal data of a natural person never leaves through ``public``."""

    class IdType(models.TextChoices):
        CREDIT_CODE = "credit_code", "统一社会信用代码"
        ID_CARD = "id_card", "居民身份证"
        PASSPORT = "passport", "护照"
        HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
        TAIWAN = "taiwan", "台湾居民来往大陆通行证"
        RESIDENCE = "residence", "外国人永久居留身份证"
        OTHER = "other", "其他证件"

    body = models.ForeignKey(Body, verbose_name="登记主体", on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField("当事人类型", max_length=12, choices=Case.PartyKind.choices)
    name = models.CharField("姓名或者名称", max_length=120)
    id_type = models.CharField("证件种类", max_length=12, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码或统一社会信用代码", max_length=30, blank=True, db_index=True)
    legal_representative = models.CharField("法定代表人（负责人）", max_length=60, blank=True)
    representative_title = models.CharField("法定代表人职务", max_length=30, blank=True)
    address = models.CharField("住所（住址）", max_length=200, blank=True)
    service_address = models.CharField("送达地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    age = models.PositiveSmallIntegerField("年龄（自然人）", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == Case.PartyKind.PERSON


class Pause(models.Model):
    """不计入办案期限的期间: testing, appraisal, hearing, notice (APL art.60); never overlapping."""

    class Kind(models.TextChoices):
        TESTING = "testing", "检测、检验、检疫"
        APPRAISAL = "appraisal", "技术鉴定"
        HEARING = "hearing", "听证"
        NOTICE = "notice", "公告"
        OTHER = "other", "其他法定事由"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField("事由", max_length=10, choices=Kind.choices)
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    reason = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "办案期限中止"
        verbose_name_plural = verbose_name
        ordering = ["start"]


class Notice(models.Model):
    """行政处罚告知书: one row per notice served (a re-notice supersedes the previous one)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kinds = models.JSONField("拟处罚种类", default=list)
    amount = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    served_on = models.DateField("送达日期")
    defence_due = models.DateField("陈述申辩期限")
    hearing_due = models.DateField("听证申请期限", null=True, blank=True)
    new_facts = models.BooleanField("基于新的事实或者证据", default=False)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by")
    content = models.JSONField("文书内容", default=dict)

    class Meta:
        verbose_name = "行政处罚告知"
        verbose_name_plural = verbose_name
        ordering = ["served_on", "id"]


class LegalReview(models.Model):
    """法制审核 (R18): checklist, result and opinion of a legal reviewer."""

    CHECKLIST = ("competence", "officers", "procedure", "facts_evidence", "law_discretion", "documents", "crime")
    CHECKLIST_LABELS = {
        "competence": "执法主体是否合法、是否超越职权",
        "officers": "执法人员是否具备执法资格",
        "procedure": "执法程序是否合法",
        "facts_evidence": "案件事实是否清楚、证据是否确实充分",
        "law_discretion": "适用法律是否准确、裁量基准运用是否适当",
        "documents": "执法文书是否完备、规范",
        "crime": "违法行为是否涉嫌犯罪、需要移送司法机关",
    }

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Officer, verbose_name="审核人员", on_delete=models.PROTECT, related_name="reviews")
    requested_on = models.DateField("送审日期")
    reasons = models.JSONField("审核理由", default=list)
    checklist = models.JSONField("审核要点", default=dict, blank=True)
    result = models.CharField("审核结论", max_length=8, blank=True, choices=[("pass", "通过"), ("fail", "不通过")])
    opinion = models.TextField("审核意见", blank=True)
    completed_on = models.DateField("审核日期", null=True, blank=True)

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = verbose_name
        ordering = ["requested_on", "id"]


class Hearing(models.Model):
    """听证: chair (never an investigator), date, notice of hearing at least 7 working days before."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    requested_on = models.DateField("申请日期")
    chair = models.ForeignKey(Officer, verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="chaired_hearings")
    notified_on = models.DateField("通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    held = models.BooleanField("已举行", default=False)
    minutes = models.TextField("听证笔录摘要", blank=True)

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = verbose_name


class Decision(models.Model):
    """行政处罚决定 (or 不予处罚决定), and its self-corrections (自我纠正, R24)."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", "原决定"
        AMEND = "amend", "变更决定"
        REVOKE = "revoke", "撤销决定"
        VOID = "void", "确认无效"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("类别", max_length=8, choices=Kind.choices, default=Kind.ORIGINAL)
    outcome = models.CharField("处理结果", max_length=12)
    kinds = models.JSONField("处罚种类", default=list)
    amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField("决定日期")
    reasoning = models.TextField("说理")
    benchmark_low = models.DecimalField("基准下限", max_digits=14, decimal_places=2, null=True, blank=True)
    benchmark_high = models.DecimalField("基准上限", max_digits=14, decimal_places=2, null=True, blank=True)
    outside_benchmark_reason = models.TextField("超出裁量基准的理由", blank=True)
    content = models.JSONField("文书内容", default=dict)

    class Meta:
        verbose_name = "处罚决定"
        verbose_name_plural = verbose_name
        ordering = ["decided_on", "id"]


class ServiceRecord(models.Model):
    """送达: the document, the method, the date, the consent for fax or e-mail (APL art.61)."""

    class Method(models.TextChoices):
        DIRECT = "direct", "直接送达"
        LEAVING = "leaving", "留置送达"
        POST = "post", "邮寄送达"
        EMAIL = "email", "电子送达"
        FAX = "fax", "传真送达"
        NOTICE = "notice", "公告送达"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    document = models.CharField("送达文书", max_length=40)
    method = models.CharField("送达方式", max_length=8, choices=Method.choices)
    served_on = models.DateField("送达日期")
    consent = models.BooleanField("当事人同意电子送达", default=False)
    content = models.JSONField("送达回证内容", default=dict)

    class Meta:
        verbose_name = "送达"
        verbose_name_plural = verbose_name


class Payment(models.Model):
    """缴款记录 (one per payment); deferral and instalments are records on the case's ledger."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField("缴款日期")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    late_fee = models.DecimalField("加处罚款（元）", max_digits=14, decimal_places=2, default=0)
    receipt = models.CharField("票据号", max_length=40, blank=True)

    class Meta:
        verbose_name = "缴款"
        verbose_name_plural = verbose_name


class Seizure(models.Model):
    """查封、扣押 (ACL arts.23–28): item list, 30 days, one 30-day extension, testing excluded."""

    class Kind(models.TextChoices):
        SEIZURE = "seizure", "查封"
        DETENTION = "detention", "扣押"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seizures")
    kind = models.CharField("措施", max_length=10, choices=Kind.choices)
    items = models.JSONField("财物清单", default=list)
    decided_on = models.DateField("决定日期")
    emergency = models.BooleanField("情况紧急当场实施", default=False)
    seized_at = models.DateTimeField("实施时间", null=True, blank=True)
    approved_on = models.DateField("负责人批准日期", null=True, blank=True)
    extended_on = models.DateField("延长日期", null=True, blank=True)
    testing_days = models.PositiveSmallIntegerField("检测鉴定期间（日）", default=0)
    due = models.DateField("期限届满日")
    released_on = models.DateField("解除日期", null=True, blank=True)

    class Meta:
        verbose_name = "查封扣押"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["released_on", "due"])]


class RemedyPeriod(models.Model):
    """行政复议、行政诉讼 brought by the party: the late fee is not counted meanwhile (APL art.73)."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", "行政复议"
        LITIGATION = "litigation", "行政诉讼"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    start = models.DateField("申请（起诉）日期")
    end = models.DateField("终结日期", null=True, blank=True)
    result = models.CharField("结果", max_length=200, blank=True)

    class Meta:
        verbose_name = "复议诉讼期间"
        verbose_name_plural = verbose_name
        ordering = ["start", "id"]


def evidence_path(instance, filename):
    return f"evidence/{instance.case_id}/{filename}"


class Evidence(models.Model):
    """证据 (R17): a file stored through Django storage with its SHA-256, or a statement."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        AUDIO = "audio", "录音"
        VIDEO = "video", "录像（音像记录）"
        SCAN = "scan", "书证扫描件"
        RECORD = "record", "笔录"
        OTHER = "other", "其他"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("种类", max_length=8, choices=Kind.choices)
    title = models.CharField("名称", max_length=120)
    act = models.CharField("所属执法行为", max_length=30, blank=True)
    is_av = models.BooleanField("音像记录", default=False)
    file = models.FileField("文件", upload_to=evidence_path, blank=True, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.BigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("类型", max_length=100, blank=True)
    collected_on = models.DateField("取证日期")
    place = models.CharField("地点", max_length=200, blank=True)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["case", "act"])]


class FieldCapture(OfflineReceiptFields):
    """现场取证的离线回执 (B9): a site photo or an on-site record (现场笔录 / 勘验笔录, with the party's
    signature drawn on the phone) captured on the case's field page, often without network, and
    received later by the id the phone made for it (unique: sent twice, received once). What it
    became is an ``Evidence`` row of the case; the record's text and the signature's SHA-256 are
    kept here and in the case's full-process record with both the capture and the receipt time."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "现场照片"
        SCENE = "scene", "现场笔录"
        INQUEST = "inquest", "勘验笔录"

    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="field_captures")
    officer = models.ForeignKey(Officer, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.ForeignKey(Evidence, verbose_name="证据", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("笔录内容", blank=True)
    party_name = models.CharField("当事人（签名人）", max_length=80, blank=True)
    signature_sha256 = models.CharField("签名 SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = "现场取证离线回执"
        verbose_name_plural = verbose_name
        ordering = ["case_id", "captured_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client_id}"


class FlexibleAct(models.Model):
    """柔性执法行为 (R21): guidance, persuasion, demonstration, warning or interview as a
    first-class enforcement act on an entity or a party (APL art.6, ACL art.5), with its officers,
    item, content, outcome and follow-up; the education of a no-penalty case (APL art.33 ¶3) is one."""

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", "政策辅导"
        PERSUASION = "persuasion", "说服教育"
        DEMONSTRATION = "demonstration", "劝导示范"
        WARNING = "warning", "警示告诫"
        INTERVIEW = "interview", "指导约谈"

    body = models.ForeignKey(Body, verbose_name="执法主体", on_delete=models.PROTECT, related_name="flexible_acts")
    kind = models.CharField("方式", max_length=14, choices=Kind.choices)
    party_kind = models.CharField("对象类型", max_length=12, choices=Case.PartyKind.choices)
    party_name = models.CharField("对象（当事人、经营主体）", max_length=120)
    party_id_code = models.CharField("身份证号码或统一社会信用代码", max_length=18, blank=True)
    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="flexible_acts")
    officers = models.ManyToManyField(Officer, verbose_name="执法人员", related_name="flexible_acts")
    acted_on = models.DateField("实施日期")
    place = models.CharField("地点", max_length=200, blank=True)
    content = models.TextField("内容")
    outcome = models.TextField("结果", blank=True)
    minutes = models.TextField("约谈笔录", blank=True)
    follow_up_on = models.DateField("回访日期", null=True, blank=True)
    followed_up_on = models.DateField("已回访日期", null=True, blank=True)
    follow_up_result = models.TextField("回访情况", blank=True)
    first_offence = models.BooleanField("首违不罚", default=False)
    repeat_flagged = models.BooleanField("回溯期内再次首违", default=False)
    override_reason = models.TextField("再次适用首违不罚的理由", blank=True)
    case = models.ForeignKey(Case, verbose_name="所属案件", null=True, blank=True, on_delete=models.PROTECT, related_name="flexible_acts")
    later_cases = models.ManyToManyField(Case, verbose_name="其后的违法行为（案件）", related_name="earlier_flexible_acts", blank=True)
    document_number = models.CharField("文书编号", max_length=60, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "柔性执法"
        verbose_name_plural = verbose_name
        ordering = ["-acted_on", "-id"]
        indexes = [
            models.Index(fields=["body", "acted_on"]),
            models.Index(fields=["party_id_code", "item", "acted_on"]),
            models.Index(fields=["body", "follow_up_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party_name}"

    @property
    def stream(self) -> str:
        return f"flexible:{self.pk}"
