"""The party's rating of an enforcement act (行政执法评议, issue #19; seed D §六, APL art.75).

``rate_act`` is the public's act on the portal (no login): the act's code (``core.act_codes``),
printed on the documents served to the party, proves that the rater holds the act's papers; a
decided case or a concluded inspection is rated once (a unique constraint backs the check), a
rating short of 满意 gives its reasons; per-address rate limit as complaints. Recorded on
``rating:case:<id>`` / ``rating:inspection:<id>``."""
from __future__ import annotations

from django.db import IntegrityError, transaction

from zhifa.core import act_codes, clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import Refused, Violation

from .. import abuse, rules
from ..inputs import RatingIn
from ..models import ActRating
from .complaints import PUBLIC_NAME

RATINGS_PER_ADDRESS_PER_HOUR = 5


def _concluded_act(kind: str, number: int) -> tuple[int, str] | None:
    """``(body_id, label)`` of a concluded act — a case with its decision, an inspection with its
    result — or ``None``."""
    if kind == "case":
        from zhifa.cases.models import Case

        row = Case.objects.filter(pk=number, decided_on__isnull=False).values_list("body_id", "number").first()
        return (row[0], f"行政处罚案件 {row[1]}") if row else None
    from zhifa.inspections.models import Inspection

    row = (Inspection.objects.filter(pk=number, inspected_on__isnull=False).exclude(outcome="")
           .values_list("task__plan__body_id", "task__title").first())
    return (row[0], f"行政检查：{row[1]}") if row else None


@use_case
def rate_act(data: RatingIn, *, source: str) -> ActRating:
    """评议: refused (409) with every violation — an unknown code, an act not concluded, an act
    already rated, reasons missing; ``abuse.RateLimited`` past the per-address limit."""
    now, today = clock.now(), clock.today()
    parsed = act_codes.parse(data.act_code)
    if parsed is None:
        raise Refused([Violation(rules.ACT_CODE_INVALID, "行政行为码无效，请核对文书上印制的行为码。", rules.RATING_BASIS)])
    kind, number = parsed
    found = rules.check_rating(data.level, data.aspects, data.reasons)
    act = _concluded_act(kind, number)
    if act is None:
        found.append(Violation(rules.ACT_NOT_CONCLUDED, "该执法行为尚未办结（未作出决定或未录入检查结果），办结后方可评议。", rules.RATING_BASIS))
    if ActRating.objects.filter(act_kind=kind, act_id=number).exists():
        found.append(Violation(rules.ACT_ALREADY_RATED, "该执法行为已经评议过，每项执法行为只能评议一次。", rules.RATING_BASIS))
    if found:
        raise Refused(found)
    digest = abuse.source_hash(source)
    body_id, label = act
    try:
        with transaction.atomic():
            abuse.check_rate(ActRating, digest, now, RATINGS_PER_ADDRESS_PER_HOUR, "rated_at", "评议")
            rating = ActRating.objects.create(act_kind=kind, act_id=number, body_id=body_id, level=data.level,
                                              aspects=sorted(set(data.aspects)), reasons=data.reasons, source_hash=digest,
                                              rated_at=now, rated_on=today)
            ledger.append(f"rating:{kind}:{number}", "rate_act", {
                "label": f"当事人评议：{rules.RATING_LEVELS[data.level]}", "act": label, "level": data.level,
                "aspects": rating.aspects, "reasons": data.reasons, "body_id": body_id, "basis": rules.RATING_BASIS,
            }, actor_name=PUBLIC_NAME)
    except IntegrityError:  # a concurrent rating of the same act won the race
        raise Refused([Violation(rules.ACT_ALREADY_RATED, "该执法行为已经评议过，每项执法行为只能评议一次。", rules.RATING_BASIS)]) from None
    return rating
