"""Criminal transfers (移送涉嫌犯罪案件, R25): data and constraints only.

``Transfer`` is one matter either way: outward (移送, to the police, Order 310) or inward (a reverse
transfer from the police or a procuratorate's opinion, 反向移送 / 检察意见). The time of every step
is kept on the row (the clocks of ``rules.clocks`` read them); the materials are documents of the
document set (``TransferMaterial`` links them, with the external ones named); the criminal
thresholds of an item are data with their source (``CriminalThreshold``). ``services`` is the only
writer, and every write appends to the record ``transfer:<id>``.
"""
from __future__ import annotations

from django.db import models

from zhifa.cases.models import Case
from zhifa.catalog.models import Item
from zhifa.documents.models import Document
from zhifa.registry.models import Body, Officer

from . import rules

STATE_CHOICES = list(rules.STATES.items())


class Transfer(models.Model):
    """移送涉嫌犯罪案件 (out) or 反向移送 / 检察意见 (in)."""

    class Direction(models.TextChoices):
        OUT = "out", "移送公安机关"
        IN = "in", "反向移送或者检察意见"

    class InwardKind(models.TextChoices):
        REVERSE = "reverse", "公安机关反向移送"
        OPINION = "opinion", "人民检察院检察意见"

    body = models.ForeignKey(Body, verbose_name="行政执法机关", on_delete=models.PROTECT, related_name="transfers")
    case = models.ForeignKey(Case, verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers")
    direction = models.CharField("方向", max_length=3, choices=Direction.choices, default=Direction.OUT)
    state = models.CharField("状态", max_length=24, choices=STATE_CHOICES)
    version = models.PositiveIntegerField("版本", default=1)
    team = models.ManyToManyField(Officer, verbose_name="专案组成员", related_name="transfer_teams", blank=True)
    suspected_offence = models.CharField("涉嫌罪名", max_length=120, blank=True)
    report = models.TextField("移送涉嫌犯罪案件的书面报告", blank=True)
    police = models.CharField("公安机关", max_length=120, blank=True)
    # An outward transfer from an inspection's finding (not yet a case): the inspection (a sibling
    # app's row, read through ``settings.ZHIFA["TRANSFER_FINDING_SOURCE"]``) and what the documents
    # print of it; the party's name is ``party_name``
    inspection_id = models.BigIntegerField("检查记录编号", null=True, blank=True)
    source_reference = models.CharField("案件来源", max_length=300, blank=True)
    cause = models.CharField("案由", max_length=300, blank=True)
    findings = models.TextField("检查发现的问题", blank=True)
    party_id_code = models.CharField("统一社会信用代码或者身份证号码", max_length=18, blank=True)
    party_address = models.CharField("当事人地址", max_length=200, blank=True)

    # Outward steps (Order 310 arts.5–12)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    head_decided_at = models.DateTimeField("负责人审批时间", null=True, blank=True)
    head = models.ForeignKey(Officer, verbose_name="审批负责人", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="transfer_decisions")
    head_decision = models.CharField("审批结果", max_length=8, blank=True, choices=[("approved", "批准移送"), ("refused", "不批准移送")])
    refusal_reason = models.TextField("不批准移送的理由", blank=True)
    dispatched_at = models.DateTimeField("移送时间", null=True, blank=True)
    received_on = models.DateField("公安机关接受日期（回执）", null=True, blank=True)
    receipt_by = models.CharField("回执签收人", max_length=60, blank=True)
    police_decision = models.CharField("公安机关立案决定", max_length=10, blank=True,
                                       choices=[("filed", "立案"), ("not_filed", "不予立案")])
    police_decision_on = models.DateField("收到立案决定通知日期", null=True, blank=True)
    police_reasons = models.TextField("公安机关不予立案的理由", blank=True)
    first_not_filed_on = models.DateField("收到不予立案通知书日期", null=True, blank=True)
    reconsideration_requested_at = models.DateTimeField("提请复议时间", null=True, blank=True)
    reconsideration_reason = models.TextField("提请复议的理由", blank=True)
    reconsideration_result = models.CharField("复议决定", max_length=10, blank=True,
                                              choices=[("filed", "立案"), ("not_filed", "维持不予立案")])
    reconsideration_answer_on = models.DateField("收到复议决定日期", null=True, blank=True)
    procuratorate = models.CharField("人民检察院", max_length=120, blank=True)
    procuratorate_suggested_at = models.DateTimeField("建议立案监督时间", null=True, blank=True)
    procuratorate_reason = models.TextField("建议立案监督的理由", blank=True)
    filed_on = models.DateField("收到立案通知书日期", null=True, blank=True)
    handed_over_at = models.DateTimeField("移交涉案物品时间", null=True, blank=True)
    handover_items = models.JSONField("移交的涉案物品和材料", default=list, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closing_note = models.TextField("办结说明", blank=True)

    # Inward (APL art.27, O310 art.13, the procuratorate's opinion)
    inward_kind = models.CharField("来文类别", max_length=8, choices=InwardKind.choices, blank=True)
    sender = models.CharField("来文机关", max_length=120, blank=True)
    sender_number = models.CharField("来文文号", max_length=60, blank=True)
    inward_received_on = models.DateField("收文日期", null=True, blank=True)
    reply_months = models.PositiveSmallIntegerField("回复期限（月，来文另有要求时）", null=True, blank=True)
    party_name = models.CharField("当事人", max_length=120, blank=True)
    inward_summary = models.TextField("来文内容", blank=True)
    reply_outcome = models.CharField("处理结果", max_length=16, blank=True, choices=list(rules.REPLY_OUTCOMES.items()))
    reply_reasons = models.TextField("理由", blank=True)
    reply_case = models.ForeignKey(Case, verbose_name="立案查处的案件", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="inward_transfers")
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)

    # The most urgent running clock, kept by every action (the ledger sorts and filters by it)
    next_due_at = models.DateTimeField("最近期限", null=True, blank=True)
    next_due_kind = models.CharField("最近期限类别", max_length=24, blank=True)
    blocks_fine = models.BooleanField("阻止罚款（不得以罚代刑）", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "移送涉嫌犯罪案件"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["body", "state"]),
            models.Index(fields=["body", "direction", "next_due_at"]),
            models.Index(fields=["state", "next_due_at"]),
            models.Index(fields=["case", "direction"]),
            models.Index(fields=["inspection_id"], condition=models.Q(inspection_id__isnull=False), name="transfer_inspection"),
        ]

    def __str__(self) -> str:
        return f"移送{self.pk} {self.get_state_display()}"

    @property
    def stream(self) -> str:
        return f"transfer:{self.pk}"

    def facts(self) -> rules.Facts:
        return rules.Facts(
            direction=self.direction, state=self.state, reported_at=self.reported_at, head_decided_at=self.head_decided_at,
            approved=self.head_decision == "approved", dispatched_at=self.dispatched_at,
            received_on=self.received_on, police_decision=self.police_decision, police_decision_on=self.police_decision_on,
            first_not_filed_on=self.first_not_filed_on, reconsideration_requested_at=self.reconsideration_requested_at,
            reconsideration_result=self.reconsideration_result, reconsideration_answer_on=self.reconsideration_answer_on,
            procuratorate_suggested_at=self.procuratorate_suggested_at, filed_on=self.filed_on,
            handed_over_at=self.handed_over_at, inward_kind=self.inward_kind, inward_received_on=self.inward_received_on,
            replied_at=self.replied_at, reply_months=self.reply_months,
        )


class TransferMaterial(models.Model):
    """A material of the transfer (Order 310 art.6, and later the reconsideration request, the
    suggestion, the hand-over list, the reply): a document of the document set, or an external one
    (a testing report, the police's notice) named with its number."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField("材料类别", max_length=40)  # "letter" … or a document kind ("crime_reconsideration_request")
    title = models.CharField("名称", max_length=200)
    document = models.ForeignKey(Document, verbose_name="文书", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="transfer_materials")
    note = models.CharField("说明（文号、出具机构）", max_length=200, blank=True)
    added_at = models.DateTimeField("加入时间")

    class Meta:
        verbose_name = "移送材料"
        verbose_name_plural = verbose_name
        ordering = ["added_at", "id"]


class CriminalThreshold(models.Model):
    """立案追诉标准 of an item: the amount at which the act is suspected to be a crime, with its source
    (Order 310 art.3: 司法解释、追诉标准)."""

    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.CASCADE, related_name="criminal_thresholds")
    measure = models.CharField("计算依据", max_length=16, choices=list(rules.MEASURES.items()))
    amount = models.DecimalField("数额（元）", max_digits=14, decimal_places=2)
    offence = models.CharField("涉嫌罪名", max_length=120)
    source = models.CharField("依据", max_length=300)
    effective_from = models.DateField("施行日期", null=True, blank=True)
    effective_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        verbose_name = "刑事立案追诉标准"
        verbose_name_plural = verbose_name
        ordering = ["item", "amount"]

    def spec(self) -> rules.Threshold:
        return rules.Threshold(self.pk, self.measure, self.amount, self.offence, self.source, self.effective_from,
                               self.effective_to)


class SigningKey(models.Model):
    """签名密钥: a body's Ed25519 key pair that signs its transfer packages (移送案卷包). One key of a
    body is active (``retired_at`` empty); a rotation retires it and makes a new one, recorded on
    ``signing-key:<body>``. The private key is kept encrypted (PKCS#8, with a key derived from the
    site's secret); the public key and its fingerprint are what a recipient checks against."""

    body = models.ForeignKey(Body, verbose_name="行政执法机关", on_delete=models.PROTECT, related_name="signing_keys")
    algorithm = models.CharField("算法", max_length=16, default="Ed25519")
    key_id = models.CharField("密钥指纹", max_length=16, unique=True)
    public_key = models.CharField("公钥（Base64）", max_length=64)
    private_key = models.BinaryField("私钥（加密）")
    created_at = models.DateTimeField("生成时间")
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    reason = models.CharField("生成或者轮换的理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "案卷包签名密钥"
        verbose_name_plural = verbose_name
        ordering = ["body_id", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["body"], condition=models.Q(retired_at__isnull=True),
                                               name="transfers_one_active_key_per_body")]

    def __str__(self) -> str:
        return f"{self.algorithm} {self.key_id}"
