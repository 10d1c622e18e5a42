"""Redaction (脱敏/隐去): what the public never sees of a natural person (legal-rules §I).

Published decisions, inspection results and every other public view pass their text through
here: APL art.48 and art.50 (business secrets and personal information are protected), the
Personal Information Protection Law, and court-judgment practice by analogy name what goes —
natural persons' ID numbers, home addresses, phone numbers, bank accounts, plate numbers; the
names of natural persons are masked by default (李某). Pure: no Django, no database, no clock.

Where a rule is unsure, the reading that protects the party wins: a number that merely *looks*
like an ID number, a phone number or an account is masked, even if its check digit is wrong.
Organisations' names and unified social credit codes (统一社会信用代码) are public by law (they
are printed on the licence) and stay.
"""
from __future__ import annotations

import re
from typing import Iterable

MASK = "*"
NAME_MASK = "某"
ADDRESS_WITHHELD = "（详细地址已隐去）"

# Two-character surnames (复姓) that must stay whole when a name is masked: 欧阳娜娜 → 欧阳某.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 端木 申屠 轩辕 独孤 南宫 西门 "
    "万俟 闻人 澹台 公冶 宗政 濮阳 太叔 仲孙 钟离 呼延 百里 东郭 拓跋 赫连 第五 单于".split()
)

# A resident ID number (GB 11643): 6-digit region, birth date 18xx–20xx, 3-digit order, check.
# The 15-digit first-generation number too. Not inside a longer run of letters and digits.
_ID = re.compile(r"(?<![0-9A-Za-z])(?:[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"
                 r"|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])")
# A mainland mobile number, optionally with +86 / 86 and separators (138-0013-8000).
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
# A landline: area code 0xx(x) and a 7–8 digit number (0571-88886666, (010)12345678).
_LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}-)\d{7,8}(?!\d)")
# A bank card or account: 12 to 30 digits, optionally in groups of four (6222 0212 3456 7890).
_ACCOUNT = re.compile(r"(?<![\dA-Za-z])\d{4}(?:[ -]?\d{4}){2,6}(?:[ -]?\d{1,3})?(?![\dA-Za-z])")
# A motor-vehicle plate: province abbreviation, a letter, 5 or 6 characters (浙A12345, 京AD12345).
_PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]")
# Where an address stops being an area and becomes a home: after the last county-level or
# township-level unit (区/县/市/旗 … 镇/乡/街道).
_ADDRESS_AREA = re.compile(r"^.*?(?:省|自治区|市|州|盟|区|县|旗|镇|乡|街道)(?=[^省市区县旗镇乡]*$)")


def mask_name(name: str) -> str:
    """A natural person's name with the given name replaced: 张三 → 张某, 欧阳娜娜 → 欧阳某.

    An empty name stays empty; a one-character name becomes 某."""
    name = name.strip()
    if not name:
        return ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    if len(name) == 1:
        return NAME_MASK
    return surname + NAME_MASK


def _keep_ends(value: str, head: int, tail: int) -> str:
    digits = len(value)
    if digits <= head + tail:
        return MASK * digits
    return value[:head] + MASK * (digits - head - tail) + value[digits - tail:]


def mask_id_number(value: str) -> str:
    """An ID number with only its first and last character left: 3****************X."""
    return _keep_ends(value.strip(), 1, 1)


def mask_phone(value: str) -> str:
    """A phone number with its middle hidden: 138****8000 (the common practice of notices)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return _keep_ends(digits, 3, 4) if len(digits) >= 11 else _keep_ends(digits, 0, 4)


def mask_account(value: str) -> str:
    """A bank account with only its last four digits: ************7890."""
    digits = re.sub(r"\D", "", value)
    return _keep_ends(digits, 0, 4)


def mask_plate(value: str) -> str:
    """A plate with the province and issuing letter kept: 浙A12345 → 浙A***45."""
    return value[:2] + MASK * (len(value) - 4) + value[-2:]


def mask_address(value: str) -> str:
    """A home address cut after its last administrative unit: 杭州市西湖区文三路90号 →
    杭州市西湖区（详细地址已隐去）. An address with no recognisable unit is withheld whole."""
    value = value.strip()
    if not value:
        return ""
    area = _ADDRESS_AREA.match(value)
    return (area.group(0) if area else "") + ADDRESS_WITHHELD


def redact_text(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> str:
    """Free text as the public may read it: ID numbers, phone numbers, accounts and plates
    masked wherever they stand; the given natural persons' ``names`` and ``addresses`` masked
    wherever they occur (longest first, so 张三丰 is not half-masked by 张三). Idempotent."""
    for address in sorted({a.strip() for a in addresses if a and a.strip()}, key=len, reverse=True):
        text = text.replace(address, mask_address(address))
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    text = _ID.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
    text = _LANDLINE.sub(lambda m: mask_phone(m.group(0)), text)
    text = _ACCOUNT.sub(lambda m: mask_account(m.group(0)), text)
    return _PLATE.sub(lambda m: mask_plate(m.group(0)), text)


def party_name(name: str, *, natural_person: bool) -> str:
    """A party as published: an organisation by its name, a natural person masked (张某)."""
    return mask_name(name) if natural_person else name.strip()


def party_id_code(code: str, *, natural_person: bool) -> str:
    """A party's identifier as published: the unified social credit code of an organisation
    stays (it is public), a natural person's ID number is masked."""
    return mask_id_number(code) if natural_person and code else code.strip()
