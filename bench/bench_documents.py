"""Benchmark of the document set (R16): PDF and DOCX documents rendered per second.

``run()`` returns rows ``(name, value, unit)`` for ``bench/run.py``. Rendering only (no database):
the decision (行政处罚决定书) repeatedly, then every kind of the set once per round.
"""
from __future__ import annotations

import datetime as dt
import os
import statistics
import time

from bench.timing import timed


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    os.environ.setdefault("ZHIFA_TESTING", "1")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _content(kind: str):
    from zhifa.documents import kinds, rendering, rules, samples

    spec = kinds.get(kind)
    body = {"name": "示例市市场监督管理局", "short_name": "示市监"}
    data = rendering.json_ready(rules.with_statutory_defaults(spec, samples.sample(kind)))
    data["body"] = body
    number = rules.format_number("示市监", spec.abbreviation, 2026, 15)
    return spec, rendering.compose(spec, data, body=body, number=number, issued_on=dt.date(2026, 10, 25))


def run(repeat: int = 10) -> list[tuple[str, float, str]]:
    _setup()
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

    return [
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
