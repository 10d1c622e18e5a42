"""The statistics as plain data (JSON) and as an Excel workbook (openpyxl): one shape for the
API, the page's download and the congress report, so the figures never differ."""
from __future__ import annotations

import io
from decimal import Decimal

from .statistics import GROUPINGS, Figures
from .statistics_sources import MEASURES


def measures_meta() -> list[dict]:
    return [{"code": m.code, "label": m.label, "basis": m.basis, "amount": m.amount} for m in MEASURES.values()]


def _figures(values: dict[str, dict]) -> dict[str, dict]:
    out = {}
    for code, v in values.items():
        entry = {"count": v["count"], "basis": MEASURES[code].basis}
        if MEASURES[code].amount:
            entry["amount"] = f"{v['amount']:.2f}"
        out[code] = entry
    return out


def as_json(result: Figures) -> dict:
    return {
        "by": result.by,
        "from": result.period.start,
        "to": result.period.end,
        "scope": result.scope_label,
        "cut_off": result.cut_off,
        "pending": result.pending,
        "measures": measures_meta(),
        "rows": [{"key": r.key, "label": r.label, "figures": _figures(r.figures), "links": r.links} for r in result.rows],
        "total": {"key": "total", "label": "合计", "figures": _figures(result.total.figures), "links": result.total.links},
    }


def as_xlsx(result: Figures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "执法统计"
    ws.append([f"执法统计（按{GROUPINGS[result.by]}）", result.scope_label, result.period.label])
    ws.append(["数据截止时间", result.cut_off.isoformat() if result.cut_off else ""])
    header, basis = [GROUPINGS[result.by]], ["统计口径"]
    for m in MEASURES.values():
        header.append(m.label)
        basis.append(m.basis)
        if m.amount:
            header.append(f"{m.label.split('（')[0]}金额（元）")
            basis.append(m.basis)
    ws.append(header)
    ws.append(basis)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in [*result.rows, result.total]:
        line: list = [row.label]
        for code, m in MEASURES.items():
            line.append(row.figures[code]["count"])
            if m.amount:
                line.append(Decimal(row.figures[code]["amount"]))
        ws.append(line)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 36
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
