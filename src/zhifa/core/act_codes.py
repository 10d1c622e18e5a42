"""The code of an enforcement act (行政行为码, issue #19): printed on the documents served to the
party of a case or an inspection, it leads to the act on the public portal and lets the party —
who alone holds the document — rate the act once (行政执法评议).

``XW`` + the act's kind (``C`` a case, ``J`` an inspection) + its number + ``-`` + 8 characters of
an HMAC (SHA-256, keyed with ``SECRET_KEY``) over kind and number: verifiable without storage,
not guessable from the number (31^8 ≈ 8.5 × 10^11 tags per act). Rotating ``SECRET_KEY``
invalidates the printed codes."""
from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no look-alikes (0/O, 1/I/L)
KINDS = {"case": "C", "inspection": "J"}
_LETTERS = {letter: kind for kind, letter in KINDS.items()}
_CODE = re.compile(r"^XW([CJ])([1-9][0-9]{0,11})-([2-9A-HJKMNP-Z]{8})$")


def _tag(letter: str, number: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"act-code:{letter}:{number}".encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:8])


def act_code(kind: str, number: int) -> str:
    """The code of act ``kind`` (``case`` or ``inspection``) number ``number``."""
    letter = KINDS[kind]
    return f"XW{letter}{int(number)}-{_tag(letter, int(number))}"


def parse(code: str) -> tuple[str, int] | None:
    """``(kind, number)`` of a genuine code, else ``None`` (spaces ignored, any case)."""
    m = _CODE.match((code or "").replace(" ", "").upper())
    if m is None:
        return None
    letter, number, tag = m.group(1), int(m.group(2)), m.group(3)
    return (_LETTERS[letter], number) if hmac.compare_digest(tag, _tag(letter, number)) else None
