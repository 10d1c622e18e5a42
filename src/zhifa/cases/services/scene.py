"""On the scene (现场执法, R15): credentials shown (亮证), rights told (告知权利), education (教育).
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager


from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import Violation
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Officer

from .. import rules
from ..permissions import officer_facts
from ..models import Case
from .flexible import _education_for_case
from ._core import (
    _act, action, _officer_ids, _officers_ok, _require_body_officers, _set_and_record,
)


def _present(case: Case, officer_ids: list[int] | None, today: dt.date) -> tuple[list[int], list[Violation]]:
    """The officers present at an on-scene act: named ones of the body, else the case's officers;
    at least two holders of valid certificates, auxiliary staff not counted (APL art.42)."""
    if officer_ids:
        _require_body_officers(officer_ids, case.body_id, case)
    ids = sorted(officer_ids or _officer_ids(case))
    return ids, _officers_ok(ids, today, case)


@contextmanager
def _on_scene(case_id: int, code: str, officer_ids: list[int] | None, actor: access.Actor, today: dt.date):
    """An on-scene act (``_act``) whose guard is the officers present (``_present``), refused on
    entry: yields ``(case, act, ids of the officers present)``."""
    with _act(case_id, code, actor) as (case, act):
        ids, problems = _present(case, officer_ids, today)
        act.v += problems
        act.refuse()
        yield case, act, ids


@action("show_credentials")
@use_case
def show_credentials(case_id: int, *, officer_ids: list[int] | None = None, place: str = "", actor: access.Actor) -> Case:
    """亮证 (R15): the officers present show their enforcement credentials to the party (APL art.55;
    on the spot art.52) — a recorded act; no decision without it."""
    today = clock.today()
    with _on_scene(case_id, "show_credentials", officer_ids, actor, today) as (case, act, ids):
        case.credentials_shown_on = today
        held = officer_facts(case, ids)  # the certificates the act's checks read, else read here
        numbers = ({f.id: f.certificate.number if f.certificate else None for f in held} if held is not None else
                   dict(registry.with_current_certificate(Officer.objects.filter(pk__in=ids)).values_list("pk", "cert_number")))
        return act.commit({"officers": ids, "certificates": [numbers.get(i) or "" for i in ids], "place": place,
                           "basis": rules.ART52 if case.procedure == "simple" else rules.ART55}, fields=[])


RIGHTS_TEXT = ("告知当事人：执法人员身份、检查（调查）事由；当事人依法享有陈述、申辩的权利，符合条件的有要求听证的权利，"
               "有申请执法人员回避的权利；对行政处罚决定不服的，可以依法申请行政复议或者提起行政诉讼。")


@action("inform_rights")
@use_case
def inform_rights(case_id: int, *, officer_ids: list[int] | None = None, rights: str = "", actor: access.Actor) -> Case:
    """告知权利和救济途径 (R15): the party is told its rights of statement, defence, hearing and
    recusal and its remedies (APL arts.44, 52) — a recorded act."""
    today = clock.today()
    with _on_scene(case_id, "inform_rights", officer_ids, actor, today) as (case, act, ids):
        case.rights_told_on = today
        text = (rights or "").strip() or RIGHTS_TEXT
        return act.commit({"officers": ids, "rights": text, "basis": f"{rules.ART44}、{rules.ART52}"}, fields=[])


@action("record_education")
@use_case
def record_education(case_id: int, *, content: str, actor: access.Actor) -> Case:
    """教育 (APL art.33 ¶3): a party not punished is educated; the education is recorded."""
    today = clock.today()
    with _act(case_id, "record_education", actor, rules.check_reason(content, "对当事人的教育情况", rules.ART33_3)) as (case, act):
        case.educated_on = today
        education = _education_for_case(case, content, actor, today)  # R21: the education is a flexible act
        return act.commit({"content": content, "basis": rules.ART33_3, "flexible_act": education.pk}, fields=["educated_on"])
