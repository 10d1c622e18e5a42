"""Who may import what from the page and the API (数据导入权限), and the import jobs they see.

The kinds are those registered with ``core.importing`` (``importer_kinds``):

- a kind that writes one body's data — ``needs_body`` (the power list ``items``, the discretion
  tables ``benchmarks``) or a kind whose rows name their body with the chosen body as default
  (the officer list ``officers``, ``BODY_DEFAULT_KINDS``) — is for the administrator and the
  body's own head (``access.can_manage_body``);
- the city-wide entity database (检查对象名录库, ``CITYWIDE_KINDS``) for the administrator, body
  heads and supervisors (the same rule as ``inspections.importers``, which checks again);
- any other kind for the administrator only.

The importers check the actor again; a job is seen by the user who submitted it (and the
administrator). Thin: the jobs themselves are run by ``zhifa.core.imports``.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from zhifa.core import imports as jobs
from zhifa.core.importing import get_importer, importer_kinds
from zhifa.core.models import ImportJob

from . import access
from .access import Role
from .models import Body

BODY_DEFAULT_KINDS = {"officers"}
CITYWIDE_KINDS = {"entities"}

REQUIRED, OPTIONAL, NONE = "required", "optional", "none"

DENIED = "数据导入仅向系统管理员、执法主体负责人和执法监督机构开放。"


@dataclass(frozen=True)
class KindChoice:
    """A kind the actor may import: ``body`` is ``"required"``, ``"optional"`` (default body for
    rows that name none) or ``"none"`` (city-wide)."""

    kind: str
    label: str
    body: str

    @property
    def uses_body(self) -> bool:
        return self.body != NONE


def body_mode(kind: str) -> str:
    spec = get_importer(kind)
    if spec is None:
        return NONE
    if spec.needs_body:
        return REQUIRED
    return OPTIONAL if kind in BODY_DEFAULT_KINDS else NONE


def may_import(actor: access.Actor, kind: str) -> bool:
    """May ``actor`` import ``kind`` at all (into some body)?"""
    if get_importer(kind) is None or actor.is_public:
        return False
    if actor.is_admin:
        return True
    if kind in CITYWIDE_KINDS:
        return actor.has(Role.HEAD) or actor.is_supervisor
    if body_mode(kind) != NONE:
        return actor.has(Role.HEAD) and actor.body_id is not None
    return False


#: The order of the kinds on the page (registration order depends on which app loads first).
ORDER = ("officers", "items", "benchmarks", "entities")


def kind_choices(actor: access.Actor) -> list[KindChoice]:
    """Every kind the actor may import: ``ORDER`` first, then any other by name."""
    kinds = sorted(importer_kinds(), key=lambda kl: (ORDER.index(kl[0]) if kl[0] in ORDER else len(ORDER), kl[0]))
    return [KindChoice(kind, label, body_mode(kind)) for kind, label in kinds if may_import(actor, kind)]


def import_bodies(actor: access.Actor) -> QuerySet[Body]:
    """Bodies the actor may import into (``access.can_manage_body``): all active bodies for the
    administrator, the own body for a head."""
    qs = Body.objects.select_related("jurisdiction").filter(is_active=True).order_by("code")
    if actor.is_admin:
        return qs
    if actor.has(Role.HEAD) and actor.body_id is not None:
        return qs.filter(pk=actor.body_id)
    return qs.none()


def check(actor: access.Actor, kind: str, body: Body | None) -> None:
    """Raise ``PermissionDenied`` (Chinese) unless ``actor`` may import ``kind`` into ``body``;
    ``ValueError`` when a required body is missing."""
    if not may_import(actor, kind):
        spec = get_importer(kind)
        what = spec.label if spec else kind
        raise PermissionDenied(f"无权导入{what}。" + ("" if kind_choices(actor) else DENIED))
    mode = body_mode(kind)
    if mode == REQUIRED and body is None:
        raise ValueError("请选择所属主体。")
    if mode != NONE and body is not None and not access.can_manage_body(actor, body):
        raise PermissionDenied(f"无权向「{body.name}」导入数据：仅该主体负责人或系统管理员可以导入。")


def submit(actor: access.Actor, *, kind: str, upload, body: Body | None = None, dry_run: bool = True) -> ImportJob:
    """Check, store the file and start the job (``core.imports.submit``)."""
    check(actor, kind, body)
    body_code = body.code if (body is not None and body_mode(kind) != NONE) else ""
    return jobs.submit(kind=kind, upload=upload, body_code=body_code, dry_run=dry_run, user=actor.user, actor=actor)


def run_for_real(actor: access.Actor, job: ImportJob) -> ImportJob:
    """Import for real the file of a clean dry run (a new job; the file is not uploaded again)."""
    body = Body.objects.filter(code=job.body_code).first() if job.body_code else None
    check(actor, job.kind, body)
    if not (job.dry_run and job.ok):
        raise ValueError("只有通过试运行且没有错误的任务才能直接正式导入。")
    return jobs.resubmit(job, dry_run=False, user=actor.user, actor=actor)


def visible_jobs(actor: access.Actor) -> QuerySet[ImportJob]:
    """The jobs the actor may see: their own; the administrator's are all."""
    jobs.fail_stale()
    qs = ImportJob.objects.all()
    if actor.is_admin:
        return qs
    if actor.is_public:
        return qs.none()
    return qs.filter(created_by=actor.user)


def own_jobs(actor: access.Actor) -> QuerySet[ImportJob]:
    """The actor's own jobs, newest first (the list under the upload form)."""
    jobs.fail_stale()
    if actor.is_public:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by=actor.user)


__all__ = ["BODY_DEFAULT_KINDS", "CITYWIDE_KINDS", "DENIED", "KindChoice", "body_mode", "check", "import_bodies",
           "kind_choices", "may_import", "own_jobs", "run_for_real", "submit", "visible_jobs"]
