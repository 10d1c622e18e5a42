"""The law of off-site enforcement (非现场执法, R22), pure: no Django, no database, no clock.

APL art.41 ¶1: an electronic monitoring device (电子技术监控设备) may be used only where a law or
an administrative regulation provides for it; it is reviewed legally and technically, meets the
standards, is reasonably placed, clearly signposted, and its locations are published. Art.41 ¶2:
every record is reviewed by a person before it is used as evidence (unreviewed or failed ones never
are). Art.41 ¶3: the party is told promptly and may look up, state and defend. The Metrology Law
(art.9) requires a measuring device (speed, noise, weight) to hold a valid verification
certificate (检定证书) on the day it measures. A province may require the locations to be public
for some days before use (粤府〔2025〕12号: 30 days) — a setting, 0 by default.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhifa.core import citations
from zhifa.core.violations import REASON_REQUIRED, Violation

DEVICE_NOT_LAWFUL = "DEVICE_NOT_LAWFUL"
CAPTURE_NOT_REVIEWED = "CAPTURE_NOT_REVIEWED"
DEVICE_FILE_INCOMPLETE = "DEVICE_FILE_INCOMPLETE"
CALIBRATION_EXPIRED = "CALIBRATION_EXPIRED"
DEVICE_WAITING_PERIOD = "DEVICE_WAITING_PERIOD"

ART41_1 = citations.APL_ART41_1
ART41_2 = citations.APL_ART41_2
ART41_3 = citations.APL_ART41_3
METROLOGY = citations.METROLOGY_ART9

# Levels of law that may provide for a monitoring device (APL art.41 ¶1: 法律、行政法规).
LAWFUL_LEVELS = frozenset({"law", "admin_regulation"})

# Why a capture is rejected (审核不通过的原因): fixed codes so that a device's statistics show a
# faulty camera (many "unclear" or "device_fault") apart from captures of no violation.
REJECT_REASONS = {
    "unclear": "图像不清晰，无法辨认",
    "no_violation": "不构成违法行为",
    "wrong_subject": "对象识别错误（号牌、当事人不符）",
    "device_fault": "设备故障或者数据异常",
    "emergency": "紧急避险、执行任务等依法不予处罚的情形",
    "duplicate": "同一违法行为重复记录",
    "other": "其他",
}


@dataclass(frozen=True)
class DeviceFile:
    """The legality file of a device (设备合法性档案) as plain values."""

    basis_level: str | None  # the level of the law cited as its basis (``LAWFUL_LEVELS``), None without
    basis_in_force: bool  # the law cited is in force (on the day asked)
    basis_article: str
    legal_review_on: dt.date | None
    technical_review_on: dt.date | None
    measuring: bool
    calibration_certificate: str
    calibration_valid_from: dt.date | None
    calibration_expires_on: dt.date | None
    signage_on: dt.date | None
    location: str
    published_on: dt.date | None
    wait_days: int


def check_basis(level: str | None, in_force: bool, article: str) -> list[Violation]:
    """APL art.41 ¶1: only where a law or an administrative regulation provides (in force, an
    article named). Refused at registration without one."""
    if level is None or not (article or "").strip():
        return [Violation(DEVICE_NOT_LAWFUL, "设置电子技术监控设备应当有法律、行政法规的依据，请选择依据的法律或者行政法规并写明条款。", ART41_1)]
    if level not in LAWFUL_LEVELS:
        return [Violation(DEVICE_NOT_LAWFUL, "电子技术监控设备只能依据法律、行政法规设置；地方性法规、规章不能作为依据。", ART41_1)]
    if not in_force:
        return [Violation(DEVICE_NOT_LAWFUL, "所依据的法律、行政法规已失效或者尚未施行。", ART41_1)]
    return []


def usable_from(f: DeviceFile) -> dt.date | None:
    """The first day the device's records may be used: the day after the last of its reviews and
    signage, and after its locations were public ``wait_days`` days (the day of publication not
    counted). None while the file lacks any of them."""
    if not (f.legal_review_on and f.technical_review_on and f.signage_on and f.published_on):
        return None
    return max(f.legal_review_on, f.technical_review_on, f.signage_on, f.published_on + dt.timedelta(days=f.wait_days))


def check_device_on(f: DeviceFile, on: dt.date) -> list[Violation]:
    """Everything that must hold on ``on`` (a capture's date) for the device's record to be used:
    a lawful basis, the legal and technical reviews, signage, published location (and the waiting
    period after publication), a verification certificate valid that day for a measuring device.
    Every missing piece is listed."""
    v = check_basis(f.basis_level, f.basis_in_force, f.basis_article)
    missing = []
    if f.legal_review_on is None or f.legal_review_on > on:
        missing.append("法制审核")
    if f.technical_review_on is None or f.technical_review_on > on:
        missing.append("技术审核")
    if f.signage_on is None or f.signage_on > on:
        missing.append("设置明显可见的标志")
    if not (f.location or "").strip() or f.published_on is None or f.published_on > on:
        missing.append("向社会公布设置地点")
    if missing:
        v.append(Violation(DEVICE_FILE_INCOMPLETE, f"该设备在{on:%Y-%m-%d}尚未完成：{'、'.join(missing)}，其记录不能作为执法证据。", ART41_1))
    elif f.published_on + dt.timedelta(days=f.wait_days) > on:
        v.append(Violation(DEVICE_WAITING_PERIOD,
                           f"设置地点于{f.published_on:%Y-%m-%d}公布，公布满{f.wait_days}日后方可使用（{on:%Y-%m-%d}尚未届满）。",
                           f"{ART41_1}；{citations.GUANGDONG_OFFSITE}"))
    if f.measuring:
        if not (f.calibration_certificate or "").strip() or f.calibration_expires_on is None:
            v.append(Violation(CALIBRATION_EXPIRED, "计量设备应当有检定证书及其有效期。", METROLOGY))
        elif on > f.calibration_expires_on or (f.calibration_valid_from and on < f.calibration_valid_from):
            v.append(Violation(CALIBRATION_EXPIRED,
                               f"检定证书{f.calibration_certificate}有效期至{f.calibration_expires_on:%Y-%m-%d}，{on:%Y-%m-%d}不在有效期内，记录不能作为证据。",
                               METROLOGY))
    return v


def check_review(accepted: bool, reason_code: str, reason: str) -> list[Violation]:
    """A rejection says why (a code of ``REJECT_REASONS``; "other" with words)."""
    if accepted:
        return []
    if reason_code not in REJECT_REASONS:
        return [Violation(REASON_REQUIRED, "审核不通过的，应当选择不通过的原因。", ART41_2)]
    if reason_code == "other" and not (reason or "").strip():
        return [Violation(REASON_REQUIRED, "选择“其他”原因的，应当写明理由。", ART41_2)]
    return []


def check_usable_as_evidence(state: str) -> list[Violation]:
    """APL art.41 ¶2: only a capture a person has reviewed and accepted becomes evidence."""
    if state == "accepted":
        return []
    if state == "rejected":
        return [Violation(CAPTURE_NOT_REVIEWED, "该记录经审核不通过，不得作为证据，也不得告知当事人。", ART41_2)]
    return [Violation(CAPTURE_NOT_REVIEWED, "该记录尚未经人工审核，不得作为证据，也不得告知当事人。", ART41_2)]


def capture_key(device_id: int, taken_at: dt.datetime, subject: str, sha256: str) -> tuple:
    """What makes a capture the same capture (idempotent imports): device, time, subject, file."""
    return (device_id, taken_at, subject.strip().upper(), sha256)


def acceptance_rate(accepted: int, rejected: int) -> float | None:
    """Accepted of the reviewed, 0–1; None before any review."""
    reviewed = accepted + rejected
    return None if reviewed == 0 else accepted / reviewed


LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def lookup_code_ok(code: str) -> bool:
    return len(code) == 10 and all(c in LOOKUP_ALPHABET for c in code)


# The party's online statement (当事人在线陈述申辩): at most this many from one network address in
# an hour, as for the portal's complaints (a robot trying codes gets nowhere either way).
STATEMENTS_PER_ADDRESS_PER_HOUR = 5


# Third parties in a capture (第三方信息): the reviewer marks the faces and plates of people other
# than the party; the party's and the public's view of the image blurs them, staff keep the
# original (Personal Information Protection Law arts.6, 26: images in public places used for the
# purpose only; APL art.41 ¶3 gives the party the record, not the bystanders).
PIPL_ART26 = "《中华人民共和国个人信息保护法》第二十六条"
REGION_KINDS = {"face": "人脸", "plate": "号牌", "other": "其他第三方信息"}
MAX_REGIONS = 50


def check_regions(regions: list[dict]) -> tuple[list[dict], list[Violation]]:
    """Regions as fractions of the image (``x``, ``y`` the top left corner, ``w``, ``h``, each 0–1,
    inside the image) with a ``kind``; returns them normalised (4 decimals) and the problems."""
    out: list[dict] = []
    v: list[Violation] = []
    if len(regions) > MAX_REGIONS:
        return [], [Violation("INVALID_INPUT", f"第三方区域最多{MAX_REGIONS}处。", PIPL_ART26)]
    for n, r in enumerate(regions, start=1):
        try:
            x, y, w, h = (round(float(r[k]), 4) for k in ("x", "y", "w", "h"))
        except (KeyError, TypeError, ValueError):
            v.append(Violation("INVALID_INPUT", f"第{n}处第三方区域应有左、上、宽、高四个数值。", PIPL_ART26))
            continue
        kind = r.get("kind") or "other"
        if kind not in REGION_KINDS:
            v.append(Violation("INVALID_INPUT", f"第{n}处第三方区域的类别应为人脸、号牌或者其他。", PIPL_ART26))
        elif not (0 <= x < 1 and 0 <= y < 1 and 0 < w <= 1 and 0 < h <= 1 and x + w <= 1.0001 and y + h <= 1.0001):
            v.append(Violation("INVALID_INPUT", f"第{n}处第三方区域超出图像范围。", PIPL_ART26))
        else:
            out.append({"x": x, "y": y, "w": w, "h": h, "kind": kind})
    return out, v


def parse_regions(text: str) -> tuple[list[dict], list[Violation]]:
    """The page's form: one region a line, ``左,上,宽,高[,类别]`` in per cent of the image
    (``10,20,15,8,face``); Chinese commas accepted."""
    rows: list[dict] = []
    for n, line in enumerate((text or "").replace("，", ",").splitlines(), start=1):
        parts = [p.strip() for p in line.split(",") if p.strip()]
        if not parts:
            continue
        if len(parts) not in (4, 5):
            return [], [Violation("INVALID_INPUT", f"第三方区域第{n}行应为“左,上,宽,高,类别”（百分比）。", PIPL_ART26)]
        try:
            x, y, w, h = (float(p) / 100 for p in parts[:4])
        except ValueError:
            return [], [Violation("INVALID_INPUT", f"第三方区域第{n}行应为数字（百分比）。", PIPL_ART26)]
        rows.append({"x": x, "y": y, "w": w, "h": h, "kind": parts[4] if len(parts) == 5 else "other"})
    return check_regions(rows)
