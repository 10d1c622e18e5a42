"""Binding a case file (卷宗装订, R31; issue 17 quality bar): a closed case with 200 issued
documents (their PDFs already rendered, two pages each) and 2 GB of evidence, bound through
``supervision.services.bind_case_file`` with immediate rendering: ordering, the binding hash,
cover and index (200 rows), evidence list, notes sheet, the 400-odd pages merged and numbered, the
file stored and its hash recorded on the case's chain. The evidence is listed by its SHA-256: its
files are never read or copied (the rows say 2 GB; no evidence file exists in the benchmark, so a
read would fail). Target: under 5 s.

``run()`` returns rows ``(name, value, unit)`` for ``bench/run.py``; ``ZHIFA_BENCH_FILE_DOCUMENTS``
sets the number of documents (default 200). The CPU time of the binding is reported beside its
wall time: on a shared machine (2 cores, 8 processes) the wall time mostly measures the wait.
"""
from __future__ import annotations

import datetime as dt
import os
import time

from bench.timing import setup_django


KINDS = ("filing_approval", "inquiry_record", "site_record", "investigation_report", "legal_review_opinion", "penalty_notice",
         "defence_record", "penalty_decision", "service_receipt", "reminder", "closing_approval")


def run() -> list[tuple[str, float, str]]:
    setup_django()
    import tempfile

    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from tests.factories import ItemFactory, build_world
    from zhifa.cases.models import Case, Evidence
    from zhifa.core import clock
    from zhifa.documents import kinds, rendering, rules, samples
    from zhifa.documents.models import Document
    from zhifa.documents.modes import IMMEDIATE, render_mode
    from zhifa.registry import access
    from zhifa.supervision.services import bind_case_file

    n = int(os.environ.get("ZHIFA_BENCH_FILE_DOCUMENTS", "200"))
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="zhifa-bench-media-")
    today = dt.date(2026, 11, 23)
    with clock.frozen(today):
        world = build_world(today)
        item = ItemFactory(body=world.market, code="BENCH-CF-001", name="对销售过期食品的处罚")
        case = Case.objects.create(body=world.market, item=item, number="示市监罚〔2026〕1号", state="closed", clue_received_on=today,
                                   party_kind="organisation", party_name="示例商贸有限公司", act_date=today - dt.timedelta(days=90),
                                   filed_on=today - dt.timedelta(days=80), closed_on=today, outcome="penalty")
        spec = kinds.get("inquiry_record")
        body = {"name": world.market.name, "short_name": world.market.short_name}
        data = rendering.json_ready(rules.with_statutory_defaults(spec, samples.sample("inquiry_record")))
        data["body"] = body
        started = time.perf_counter()
        pdf = rendering.render_pdf(spec, rendering.compose(spec, data, body=body, number="N", issued_on=today))
        render_one = time.perf_counter() - started
        storage = storages["default"]
        docs = []
        for i in range(n):
            kind = KINDS[i * len(KINDS) // n]
            name = storage.save(f"documents/bench/{i}.pdf", ContentFile(pdf))
            docs.append(Document(body=world.market, kind=kind, title=kind, year=2026, seq=i + 1, number=f"示市监〔2026〕{i + 1}号",
                                 subject=f"case:{case.pk}", data={"i": i}, issued_on=today, issued_at=clock.now(), pdf=name,
                                 pdf_sha256="0" * 64, docx=name, docx_sha256="0" * 64))
        Document.objects.bulk_create(docs)
        size = 2 * 1024 ** 3 // 40
        Evidence.objects.bulk_create([Evidence(case=case, kind="video", title=f"执法记录仪视频{i + 1}", sha256=f"{i:064x}", size=size,
                                               collected_on=today - dt.timedelta(days=70), is_av=True, file=f"evidence/{case.pk}/v{i}.mp4")
                                      for i in range(40)])
        actor = access.actor_for(world.users["officer1"])
        # A server process has bound files before: bind a one-document file first, so that the
        # measured binding does not pay the first imports of the PDF and font libraries.
        warm = Case.objects.create(body=world.market, item=item, number="示市监罚〔2026〕2号", state="closed", clue_received_on=today,
                                   party_kind="organisation", party_name="示例商贸有限公司", act_date=today - dt.timedelta(days=90),
                                   filed_on=today - dt.timedelta(days=80), closed_on=today, outcome="penalty")
        Document.objects.create(body=world.market, kind="filing_approval", title="立案审批表", year=2026, seq=n + 1,
                                number=f"示市监〔2026〕{n + 1}号", subject=f"case:{warm.pk}", data={"i": -1}, issued_on=today,
                                issued_at=clock.now(), pdf=docs[0].pdf.name, pdf_sha256="0" * 64, docx=docs[0].pdf.name, docx_sha256="0" * 64)
        started = time.perf_counter()
        with render_mode(IMMEDIATE):
            bind_case_file(warm.pk, actor=actor)
        first = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        with render_mode(IMMEDIATE):
            cf = bind_case_file(case.pk, actor=actor)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return [
        (f"one document PDF rendered (reference, {spec.title})", round(render_one, 3), "s"),
        ("the process's first binding (one document: imports and font loading)", round(first, 2), "s"),
        (f"bind a file of {n} documents + 40 evidence items (2 GB, listed by hash)", round(elapsed, 2), "s"),
        ("  of which CPU time of this process (wall time above includes waiting for a loaded machine)", round(cpu, 2), "s"),
        ("pages numbered in the bound file", cf.page_count, "pages"),
        ("bound file PDF size", round(cf.pdf.size / 1024 / 1024, 1), "MiB"),
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
