"""Guards of service and execution: service by fax or e-mail (APL art.61), the court application
(ACL arts.35, 53, 54), collection on the spot (APL arts.68–71) and running remedies (art.73)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhifa.core.violations import Violation

from .codes import (
    ACL, ACL54, APL, ART61, ART68_71, ART73, COURT_APPLICATION_TOO_EARLY, ON_SPOT_COLLECTION_NOT_ALLOWED,
    RECEIPT_REQUIRED, REMEDY_PENDING, REMINDER_REQUIRED, SERVICE_CONSENT_REQUIRED, ZERO,
)
from .policy import money

# --- Service and execution ---------------------------------------------------------------------

def check_service(method: str, consent: bool) -> list[Violation]:
    """APL art.61: fax or e-mail service only with the party's signed consent."""
    if method in ("fax", "email") and not consent:
        return [Violation(SERVICE_CONSENT_REQUIRED, "采用传真、电子邮件等方式送达，应当事先取得当事人同意并签订确认书。", ART61)]
    return []


def check_court_application(reminded_on: dt.date | None, earliest: dt.date | None, today: dt.date) -> list[Violation]:
    """ACL arts.35, 54: enforcement only after a written reminder (催告) and at least ten working
    days after it."""
    if reminded_on is None:
        return [Violation(REMINDER_REQUIRED, "申请人民法院强制执行前，应当催告当事人履行义务。", ACL54)]
    if earliest is not None and today < earliest:
        return [Violation(COURT_APPLICATION_TOO_EARLY, f"催告书送达十个工作日后方可申请强制执行（最早{earliest.isoformat()}）。", ACL54)]
    return []


# --- On-the-spot collection (当场收缴, APL arts.68–71) ------------------------------------------

ON_SPOT_SMALL_LIMIT = Decimal("100")  # APL art.68 (1): a fine of 100 yuan or less
COLLECTION_GROUNDS = {
    "small": "依法给予一百元以下罚款（第六十八条第一项）",
    "hard_to_enforce": "不当场收缴事后难以执行（第六十八条第二项）",
    "remote": "边远、水上、交通不便地区，当事人到指定银行缴纳确有困难并提出（第六十九条）",
}


def check_on_spot_collection(procedure: str, ground: str, fine: Decimal | None, receipt: str) -> list[Violation]:
    """APL art.68: under the simple procedure, a fine ≤ 100 yuan or one impractical to collect
    later; art.69: remote places (either procedure) on the party's request; art.70: always with the
    province's special receipt (专用票据)."""
    out = []
    if ground not in COLLECTION_GROUNDS:
        out.append(Violation(ON_SPOT_COLLECTION_NOT_ALLOWED, "当场收缴应当符合行政处罚法第六十八条或者第六十九条规定的情形。", ART68_71))
    elif ground in ("small", "hard_to_enforce") and procedure != "simple":
        out.append(Violation(ON_SPOT_COLLECTION_NOT_ALLOWED, "依照第六十八条当场收缴罚款，仅适用于当场作出的（简易程序）处罚决定。", f"{APL}第六十八条"))
    if ground == "small" and (fine or ZERO) > ON_SPOT_SMALL_LIMIT:
        out.append(Violation(ON_SPOT_COLLECTION_NOT_ALLOWED,
                             f"罚款{money(fine)}超过一百元，不能以“一百元以下罚款”为由当场收缴。", f"{APL}第六十八条第一项"))
    if not (receipt or "").strip():
        out.append(Violation(RECEIPT_REQUIRED, "当场收缴罚款，必须向当事人出具国务院财政部门或者省级财政部门统一制发的专用票据。", f"{APL}第七十条"))
    return out


# --- Remedies (APL art.73) ----------------------------------------------------------------------

def check_no_running_remedy(running_since: dt.date | None) -> list[Violation]:
    """ACL art.53: no court enforcement while the party's reconsideration or litigation runs."""
    if running_since is not None:
        return [Violation(REMEDY_PENDING, f"当事人已于{running_since.isoformat()}申请行政复议或者提起行政诉讼，期间不得申请人民法院强制执行。",
                          f"{ACL}第五十三条；{ART73}")]
    return []
