"""The read side of flexible enforcement (柔性执法, R21): acts in the actor's scope, follow-ups
due (the officer's to-do), the earlier first offences of a party, later violations of a party."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.registry import access

from .models import Case, FlexibleAct


def lookback_days() -> int:
    return int(settings.ZHIFA.get("FIRST_OFFENCE_LOOKBACK_DAYS", 365))


def visible_acts(actor: access.Actor) -> QuerySet[FlexibleAct]:
    return access.scope(actor, FlexibleAct.objects.select_related("body", "item", "case"), "body")


def get_act(act_id: int, actor: access.Actor) -> FlexibleAct:
    act = visible_acts(actor).filter(pk=act_id).first()
    if act is None:
        raise Http404("未找到该柔性执法记录，或您无权查看。")
    return act


def acts(actor: access.Actor, *, kind: str | None = None, q: str | None = None, due: bool = False,
         today: dt.date | None = None) -> QuerySet[FlexibleAct]:
    qs = visible_acts(actor).prefetch_related("officers")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(party_name__icontains=q) | Q(party_id_code__icontains=q))
    if due:
        qs = qs.filter(follow_up_on__lte=today, followed_up_on__isnull=True)
    return qs.order_by("-acted_on", "-id")


def follow_ups_due(actor: access.Actor, today: dt.date) -> QuerySet[FlexibleAct]:
    """待回访: the actor's own acts whose follow-up day has come and not been done (the to-do)."""
    qs = FlexibleAct.objects.filter(follow_up_on__lte=today, followed_up_on__isnull=True)
    if actor.officer is None:
        return qs.none()
    return qs.filter(officers=actor.officer).select_related("item").order_by("follow_up_on", "id")


def earlier_first_offences(party_id_code: str, party_name: str, item_code: str) -> list[dt.date]:
    """The days the party was already spared a penalty as a first offence under this item."""
    key = Q(party_id_code=party_id_code) if party_id_code else Q(party_name=party_name)
    return list(FlexibleAct.objects.filter(key, item__code=item_code, first_offence=True).values_list("acted_on", flat=True))


def later_violation_candidates(act: FlexibleAct) -> QuerySet[Case]:
    """Cases of the same party under the same item after the act (later violations to link)."""
    key = Q(party_id_code=act.party_id_code) if act.party_id_code else Q(party_name=act.party_name)
    return (Case.objects.filter(key, item__code=act.item.code, act_date__gt=act.acted_on)
            .exclude(pk__in=act.later_cases.values("pk")).order_by("act_date", "id"))


def education_acts(case_id: int) -> int:
    return FlexibleAct.objects.filter(case_id=case_id).count()


def due_count(actor: access.Actor) -> int:
    """The actor's follow-ups due today (the navigation's badge, the to-do)."""
    from zhifa.core import clock

    return follow_ups_due(actor, clock.today()).count()
