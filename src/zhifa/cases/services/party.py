"""The party (当事人) as its own object: created with the case, completed before the decision.

A decision names the party as the law requires (APL art.59 (一)): an organisation by its name,
统一社会信用代码, 法定代表人（负责人） and address; a natural person by name, ID document and address;
the address for service (送达地址) is where documents go. The case's ``party_*`` columns are the
copy the guards use (APL art.29 matches fines by the ID code): both are written here, together.
"""
from __future__ import annotations

from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation
from zhifa.documents import checks
from zhifa.registry import access

from ..models import Case, Party
from ._core import _act, action

# Organisation → credit code; person → resident ID card unless told otherwise.
_DEFAULT_ID_TYPE = {Case.PartyKind.ORGANISATION: Party.IdType.CREDIT_CODE, Case.PartyKind.PERSON: Party.IdType.ID_CARD}


def _id_type(kind: str, id_number: str, id_type: str = "") -> str:
    if id_type:
        return id_type
    return _DEFAULT_ID_TYPE.get(kind, "") if id_number else ""


def _new_party(case: Case, *, id_type: str = "", legal_representative: str = "", service_address: str = "") -> Party:
    """The party of a case being registered, from what the registration gave."""
    return Party.objects.create(
        body_id=case.body_id, kind=case.party_kind, name=case.party_name,
        id_type=_id_type(case.party_kind, case.party_id_code, id_type), id_number=case.party_id_code,
        legal_representative=legal_representative, address=case.party_address,
        service_address=service_address or case.party_address, phone=case.party_phone, age=case.party_age,
    )


def _party_guards(kind: str, id_type: str, id_number: str) -> list[Violation]:
    v = []
    if kind == Case.PartyKind.ORGANISATION and id_number and not checks.CREDIT_CODE_RE.match(id_number.upper()):
        v.append(Violation(INVALID_INPUT, f"统一社会信用代码“{id_number}”应为18位（数字和大写字母，不含I、O、Z、S、V）。", ""))
    if kind == Case.PartyKind.ORGANISATION and id_type and id_type != Party.IdType.CREDIT_CODE:
        v.append(Violation(INVALID_INPUT, "单位当事人的证件应为统一社会信用代码。", ""))
    if kind == Case.PartyKind.PERSON and id_type == Party.IdType.CREDIT_CODE:
        v.append(Violation(INVALID_INPUT, "自然人当事人的证件不能是统一社会信用代码。", ""))
    if kind == Case.PartyKind.PERSON and (id_type or Party.IdType.ID_CARD) == Party.IdType.ID_CARD and id_number \
            and len(id_number) != 18:
        v.append(Violation(INVALID_INPUT, "居民身份证号码应为18位。", ""))
    return v


@action("update_party")
@use_case
def update_party(case_id: int, *, name: str = "", id_type: str = "", id_number: str = "", legal_representative: str = "",
                 address: str = "", service_address: str = "", phone: str = "", actor: access.Actor) -> Party:
    """完善当事人信息: complete or correct the party before the decision; an empty field keeps
    what is there. The change and the values before it are recorded."""
    with _act(case_id, "update_party", actor) as (case, act):
        party = case.party or _new_party(case)
        changes = {
            "name": name, "id_type": id_type, "id_number": (id_number or "").upper() if case.party_kind == "organisation" else id_number,
            "legal_representative": legal_representative, "address": address, "service_address": service_address, "phone": phone,
        }
        changes = {k: v.strip() for k, v in changes.items() if v and v.strip() and v.strip() != getattr(party, k)}
        new_number = changes.get("id_number", party.id_number)
        new_type = changes.get("id_type") or _id_type(case.party_kind, new_number, party.id_type)
        act.v += _party_guards(case.party_kind, new_type, new_number)
        if len(new_number) > 18:
            act.v.append(Violation(INVALID_INPUT, "证件号码不能超过18位。", ""))
        if not changes:
            act.v.append(Violation(INVALID_INPUT, "没有需要更新的当事人信息。", ""))
        act.refuse()
        before = {k: getattr(party, k) for k in changes}
        for k, v in changes.items():
            setattr(party, k, v)
        party.id_type = new_type
        party.save()
        case.party = party
        case.party_name, case.party_id_code, case.party_address, case.party_phone = (
            party.name, party.id_number, party.address, party.phone)
        act.commit({"party_id": party.pk, "changes": changes, "before": before},
                   fields=["party", "party_name", "party_id_code", "party_address", "party_phone"])
        return party
