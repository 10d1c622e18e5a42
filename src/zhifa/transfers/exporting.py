"""The ledger as an Excel workbook (移送台账导出, openpyxl): one row per transfer with its clocks,
the overdue cells filled red, the soon ones amber — what the office prints or forwards."""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from . import rules
from .selectors import policy

MAX_ROWS = 20000
HEADERS = ["编号", "方向", "执法主体", "案件编号", "当事人", "涉嫌罪名 / 来文", "状态", "报告时间", "移送时间", "公安机关接受",
           "立案决定", "最近期限", "期限状态", "各项期限"]
FILLS = {"overdue": PatternFill("solid", fgColor="F8D7DA"), "soon": PatternFill("solid", fgColor="FFF3CD"),
         "late": PatternFill("solid", fgColor="F8D7DA")}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return rules.local(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _worst(cl: list[rules.Clock]) -> str:
    for status in ("overdue", "late", "soon", "running"):
        if any(x.status == status and not (x.optional and status != "overdue") for x in cl):
            return status
    return "met" if cl else ""


def ledger_xlsx(transfers, schedule, now: dt.datetime) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "移送台账"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    pol = policy()
    for t in transfers:
        cl = rules.clocks(t.facts(), schedule, now, pol)
        worst = _worst(cl)
        ws.append([
            t.pk, "移送" if t.direction == "out" else ("检察意见" if t.inward_kind == "opinion" else "反向移送"), t.body.name,
            t.case.number if t.case else "", t.case.party_name if t.case and t.direction == "out" else t.party_name,
            t.suspected_offence or t.sender, rules.state_label(t.state), _text(t.reported_at or t.inward_received_on),
            _text(t.dispatched_at), _text(t.received_on), {"filed": "立案", "not_filed": "不予立案"}.get(t.police_decision, ""),
            _text(t.next_due_at), rules.STATUS_LABELS.get(worst, ""),
            "；".join(f"{x.label}：{_text(x.due)}（{rules.STATUS_LABELS[x.status]}）" for x in cl),
        ])
        if worst in FILLS:
            ws.cell(row=ws.max_row, column=13).fill = FILLS[worst]
    for col, width in zip("ABCDEFGHIJKLMN", (8, 10, 24, 20, 20, 20, 16, 18, 18, 12, 10, 18, 12, 80)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=14, max_col=14):
        row[0].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
