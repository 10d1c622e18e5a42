"""Benchmark of the document set (R16): PDF and DOCX documents rendered per second.

``run()`` returns rows ``(name, value, unit)`` for ``bench/run.py``. Rendering only (no database):
the decision (行政处罚决定书) repeatedly, then every kind of the set once per round.

Before and after in the same run (issue 21 point 2; the CPU is shared, so absolute figures move
with the load, their ratio much less): "before" renders the decision as zhifa did until then — the
system CJK faces, a new WeasyPrint font configuration for each document, the Word template read
and its styles set for each document — and "after" with ``rendering`` as it is (faces prepared
once, ``documents/fonts.py``; one font configuration per thread; the styled Word template kept in
memory; Word files made reproducible). The two are interleaved, so both see the same load.
"""
from __future__ import annotations

import datetime as dt
import statistics
import time

from bench.timing import setup_django, timed


def _content(kind: str):
    from zhifa.documents import kinds, rendering, rules, samples

    spec = kinds.get(kind)
    body = {"name": "示例市市场监督管理局", "short_name": "示市监"}
    data = rendering.json_ready(rules.with_statutory_defaults(spec, samples.sample(kind)))
    data["body"] = body
    number = rules.format_number("示市监", spec.abbreviation, 2026, 15)
    return spec, rendering.compose(spec, data, body=body, number=number, issued_on=dt.date(2026, 10, 25))


def _before_pdf(spec, content) -> bytes:
    """The decision's PDF as rendered before the prepared faces (system faces, fresh font setup)."""
    from weasyprint import HTML

    from zhifa.documents import rendering

    old = dict(content, font_family=f'"{content["font"]}", serif', heading_font_family=f'"{content["heading_font"]}", sans-serif')
    return HTML(string=rendering.render_html(spec, old), base_url=".").write_pdf()


def _before_docx(spec, content) -> bytes:
    """The decision's DOCX as rendered before (template read and styled for each document)."""
    import io

    from docxtpl import DocxTemplate

    from zhifa.documents import rendering

    template = DocxTemplate(str(rendering.docx_template_path(spec)))
    template.render(content, autoescape=True)
    rendering._apply_font(template.docx, content["font"], content["heading_font"])
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _compare(before, after, repeat: int) -> dict:
    """Median wall time and CPU time per call of ``before`` and ``after``, interleaved."""
    wall = {"before": [], "after": []}
    cpu = {"before": 0.0, "after": 0.0}
    for _ in range(repeat):
        for name, fn in (("before", before), ("after", after)):
            c, w = time.process_time(), time.perf_counter()
            fn()
            wall[name].append(time.perf_counter() - w)
            cpu[name] += time.process_time() - c
    return {name: (statistics.median(wall[name]) * 1000, cpu[name] / repeat * 1000) for name in wall}


def comparison(repeat: int = 10) -> list[tuple[str, float, str]]:
    """Rows of the before/after comparison of the decision (see the module docstring)."""
    from zhifa.documents import rendering

    spec, content = _content("penalty_decision")
    for fn in (_before_pdf, rendering.render_pdf, _before_docx, rendering.render_docx):
        fn(spec, content)  # warm up: fonts prepared, templates loaded
    rows = []
    for fmt, before, after in (("PDF", _before_pdf, rendering.render_pdf), ("DOCX", _before_docx, rendering.render_docx)):
        result = _compare(lambda: before(spec, content), lambda: after(spec, content), repeat)
        (b_wall, b_cpu), (a_wall, a_cpu) = result["before"], result["after"]
        rows += [
            (f"documents: decision {fmt} p50, before", round(b_wall), "ms"),
            (f"documents: decision {fmt} p50, after", round(a_wall), "ms"),
            (f"documents: decision {fmt} CPU, before", round(b_cpu), "ms"),
            (f"documents: decision {fmt} CPU, after", round(a_cpu), "ms"),
            (f"documents: decision {fmt} after/before (CPU)", round(a_cpu / b_cpu, 2), "x"),
        ]
    return rows


def run(repeat: int = 10) -> list[tuple[str, float, str]]:
    setup_django()
    from zhifa.documents import kinds, rendering

    spec, content = _content("penalty_decision")
    rendering.render_pdf(spec, content)  # warm up: fonts, templates
    rendering.render_docx(spec, content)
    cpu_start = time.process_time()
    pdf_times = timed(lambda: rendering.render_pdf(spec, content), repeat)
    pdf_cpu = (time.process_time() - cpu_start) / repeat
    cpu_start = time.process_time()
    docx_times = timed(lambda: rendering.render_docx(spec, content), repeat)
    docx_cpu = (time.process_time() - cpu_start) / repeat

    every = [_content(code) for code in kinds.all_kinds()]
    start = time.perf_counter()
    for s, c in every:
        rendering.render_pdf(s, c)
    all_pdf = time.perf_counter() - start
    start = time.perf_counter()
    for s, c in every:
        rendering.render_docx(s, c)
    all_docx = time.perf_counter() - start

    return comparison(repeat) + [
        ("documents: decision PDF rendered", round(repeat / sum(pdf_times), 2), "docs/s"),
        ("documents: decision PDF median latency", round(statistics.median(pdf_times) * 1000), "ms"),
        ("documents: decision DOCX rendered", round(repeat / sum(docx_times), 2), "docs/s"),
        ("documents: decision DOCX median latency", round(statistics.median(docx_times) * 1000), "ms"),
        # CPU time per document: independent of other load on a shared machine.
        ("documents: decision PDF CPU time", round(pdf_cpu * 1000), "ms"),
        ("documents: decision DOCX CPU time", round(docx_cpu * 1000), "ms"),
        (f"documents: all {len(every)} kinds, PDF", round(len(every) / all_pdf, 2), "docs/s"),
        (f"documents: all {len(every)} kinds, DOCX", round(len(every) / all_docx, 2), "docs/s"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:45s} {value:>10} {unit}")
