"""Work of the supervision that must not hold a request, run by the task worker: the per-case
alert rules after a case act (预警, R33), the statistics aggregates after an act (执法统计, R34),
the PDF of a bound case file (卷宗, R31), the document of a supervision notice (监督文书, R32).

An act must not wait for the alert rules (about a dozen queries for one case): the after-act hook
only queues this task, one row in the task table written after the act commits, and the worker
(``zhifa task_worker --queue-name documents,alerts``) runs it. Under tests the immediate backend runs it
at once. Should the worker be down, nothing is lost: the nightly ``zhifa sweep`` runs every rule.
"""
from __future__ import annotations

try:  # Django 6 has the framework built in; on 5.2 the django-tasks backport provides it
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from .services import alerts as engine


@task(queue_name="alerts")
def case_alerts(case_id: int) -> str:
    """Raise and close the alerts of one case."""
    engine.run_alerts([case_id])
    return "已计算"


@task(queue_name="alerts")
def refresh_statistics() -> str:
    """Bring the statistics aggregates up to the latest record entry (R34; queued after an act
    on a statistics source, or by a statistics page that found them behind). Concurrent runs do
    not wait for one another (``services.statistics.refresh``)."""
    from .services.statistics import refresh

    return f"{refresh()} 个统计键有变化"


@task(queue_name="documents")
def render_case_file(case_file_id: int) -> str:
    """Make the whole PDF of a bound case file (idempotent: a made one is kept). It reads the PDFs
    of the case's documents, rendering any the worker has not reached yet."""
    from .services.casefiles import ensure_case_file_pdf

    ensure_case_file_pdf(case_file_id)
    return "已生成"


@task(queue_name="documents")
def render_notice(notice_id: int) -> str:
    """Make the PDF and DOCX of an issued supervision notice (idempotent: made ones are kept)."""
    from .services.notices import ensure_notice_document

    ensure_notice_document(notice_id)
    return "已生成"
