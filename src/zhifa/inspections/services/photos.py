"""Site photos (现场照片, R28): an assigned inspector attaches photos to an inspection before its
result is published, or removes one. Every file is checked on its bytes (magic numbers, size,
SHA-256) and its digest appended to the draw's full-process record (``draw:<id>``)."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access

from .. import rules
from ..config import photo_max_bytes, photo_max_count
from ..models import Inspection, InspectionPhoto
from ..permissions import certificate_violations, is_assigned, may_see_photos
from ..rules import (  # the photo codes (also importable from ``services``)
    PHOTO_DUPLICATE,
    PHOTO_EMPTY,
    PHOTO_NOT_IMAGE,
    PHOTO_REQUIRED,
    PHOTO_TOO_LARGE,
    PHOTO_TOO_MANY,
    PHOTO_UNREADABLE,
)

CAPTION_TOO_LONG = INVALID_INPUT  # a caption over 100 characters is input the form should have refused
# Refusals that are about the files sent, not about the law or the workflow: the API answers
# them as malformed input (422), the others as 409.
PHOTO_INPUT_CODES = frozenset({PHOTO_REQUIRED, PHOTO_NOT_IMAGE, PHOTO_TOO_LARGE, PHOTO_EMPTY, PHOTO_UNREADABLE,
                               PHOTO_DUPLICATE, CAPTION_TOO_LONG})
PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic"}
PHOTO_TYPE_LABEL = "JPEG、PNG、WebP 或 HEIC"
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
THUMBNAIL_SIZE = (480, 480)


@query
def sniff_image(head: bytes) -> str | None:
    """The image type of a file from its first bytes (magic numbers), never from its name or the
    type the client claims: JPEG, PNG, WebP, HEIC (HEIF brands); ``None`` otherwise."""
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


@query
def photo_violations(inspection: Inspection, assigned: set[int], actor: access.Actor, on=None) -> list[Violation]:
    """Why the actor may not add or remove photos of the inspection now (all reasons). ``on``: the
    day the photo was taken when it was taken earlier on a phone without network (B9); today else."""
    found = []
    if not is_assigned(actor, assigned):
        found.append(Violation(rules.NOT_ASSIGNED_INSPECTOR, "只有抽取选派的检查人员可以上传或删除该检查的现场照片",
                               rules.BASIS_DOUBLE_RANDOM))
    else:
        found += certificate_violations(actor, on or clock.today())  # R04: photographing the site is part of the inspection
    if inspection.published_on:
        found.append(Violation(rules.WRONG_STATE, f"检查结果已于 {inspection.published_on:%Y-%m-%d} 公示，现场照片不得增删"))
    return found


@dataclass
class _Checked:
    upload: object
    content_type: str
    sha256: str
    size: int
    thumbnail: bytes | None


def _thumbnail(upload, content_type: str) -> bytes | None:
    """A JPEG of at most 480×480 (EXIF orientation applied); ``None`` for HEIC, which Pillow
    cannot read without a plug-in. Raises on a file that is not a readable image."""
    if content_type == "image/heic":
        return None
    from PIL import Image, ImageOps  # loaded when a photo is uploaded

    upload.seek(0)
    with Image.open(upload) as image:  # reads the header only
        if image.width * image.height > _max_pixels():  # before decoding (Pillow only warns below 2×)
            raise Image.DecompressionBombError(f"{image.width}×{image.height}")
        image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))  # JPEG: decode at a smaller scale
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "L"):
            try:  # transparency on white
                rgba = image.convert("RGBA")
                background = Image.new("RGB", image.size, "white")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            except (ValueError, OSError):
                image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    upload.seek(0)
    return out.getvalue()


def _max_pixels() -> int:
    from django.conf import settings

    return settings.ZHIFA.get("IMAGE_MAX_PIXELS", 200_000_000)


def _display_name(upload, n: int) -> str:
    name = str(getattr(upload, "name", "") or "").replace("\x00", "")[:60]
    return f"第 {n} 张（{name}）" if name else f"第 {n} 张"


def _check_uploads(uploads: list, existing: set[str]) -> tuple[list[_Checked], list[Violation]]:
    """Read every upload once, in chunks (SHA-256, size, magic bytes), and make its thumbnail;
    every problem of every file at once."""
    limit = photo_max_bytes()
    checked, found, seen = [], [], set(existing)
    for n, upload in enumerate(uploads, 1):
        label = _display_name(upload, n)
        declared = getattr(upload, "size", None)
        if declared is not None and declared > limit:
            found.append(Violation(PHOTO_TOO_LARGE, f"{label}大小 {declared / 1048576:.1f} MB，超过每张 {limit // 1048576} MB 的上限"))
            continue
        digest, size, head = hashlib.sha256(), 0, b""
        upload.seek(0)
        for chunk in upload.chunks(1024 * 1024):
            if len(head) < 16:
                head += chunk[:16 - len(head)]
            digest.update(chunk)
            size += len(chunk)
        upload.seek(0)
        if size == 0:
            found.append(Violation(PHOTO_EMPTY, f"{label}是空文件"))
            continue
        if size > limit:
            found.append(Violation(PHOTO_TOO_LARGE, f"{label}大小 {size / 1048576:.1f} MB，超过每张 {limit // 1048576} MB 的上限"))
            continue
        content_type = sniff_image(head)
        if content_type is None:
            found.append(Violation(PHOTO_NOT_IMAGE, f"{label}不是图片：只接受 {PHOTO_TYPE_LABEL} 格式的照片"))
            continue
        sha = digest.hexdigest()
        if sha in seen:
            found.append(Violation(PHOTO_DUPLICATE, f"{label}与已上传的照片相同（SHA-256 {sha[:12]}…）"))
            continue
        seen.add(sha)
        try:
            thumb = _thumbnail(upload, content_type)
        except Exception as exc:  # Pillow: UnidentifiedImageError, OSError, SyntaxError, DecompressionBombError …
            if type(exc).__name__.startswith("DecompressionBomb"):  # more pixels than ZHIFA["IMAGE_MAX_PIXELS"]
                found.append(Violation(PHOTO_TOO_LARGE, f"{label}像素过多（超过 {_max_pixels() // 1_000_000} 百万像素的上限）"))
                continue
            found.append(Violation(PHOTO_UNREADABLE, f"{label}无法识别为完整的图片，文件可能已损坏"))
            continue
        checked.append(_Checked(upload, content_type, sha, size, thumb))
    return checked, found


def _checked_before_storing(inspection: Inspection, uploads: list, caption: str, actor: access.Actor, on=None) -> list[_Checked]:
    """The uploads read and checked (``_check_uploads``) before anything is stored — who, when,
    how many, and every problem of every file at once — or ``Refused``."""
    refuse = photo_violations(inspection, set(inspection.inspector_ids), actor, on)
    if refuse:  # before reading any file
        raise Refused(refuse)
    found = []
    if not uploads:
        found.append(Violation(PHOTO_REQUIRED, "请选择要上传的照片"))
    if len(caption) > 100:
        found.append(Violation(CAPTION_TOO_LONG, "照片说明不超过 100 字"))
    existing = set(inspection.photos.values_list("sha256", flat=True))
    if len(existing) + len(uploads) > photo_max_count():
        found.append(Violation(PHOTO_TOO_MANY, f"每次检查最多 {photo_max_count()} 张现场照片，已有 {len(existing)} 张"))
    checked, bad = _check_uploads(uploads, existing)
    if found or bad:
        raise Refused(found + bad)
    return checked


def _stage(inspection: Inspection, checked: list[_Checked], saved: list[str]) -> list[tuple[_Checked, str, str]]:
    """Write each photo and its thumbnail to storage (names appended to ``saved`` as they are
    written, for the caller to remove on failure): ``(checked, file name, thumbnail name)``."""
    staged = []
    for item in checked:
        name = default_storage.save(f"inspections/{inspection.pk}/{item.sha256[:24]}{PHOTO_TYPES[item.content_type]}", item.upload)
        saved.append(name)
        thumb = ""
        if item.thumbnail:
            thumb = default_storage.save(f"inspections/{inspection.pk}/{item.sha256[:24]}-thumb.jpg", ContentFile(item.thumbnail))
            saved.append(thumb)
        staged.append((item, name, thumb))
    return staged


def _record_photos(inspection_id: int, staged: list[tuple[_Checked, str, str]], caption: str,
                   actor: access.Actor, on=None) -> list[InspectionPhoto]:
    """In one transaction, under the inspection's lock: check again (another upload or the
    publication may have come in between), then create the photos and append each one's digest
    to the draw's record."""
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().select_related("task", "draw").get(pk=inspection_id)
        refuse = photo_violations(locked, set(locked.inspector_ids), actor, on)
        stored = set(locked.photos.values_list("sha256", flat=True))
        if stored & {item.sha256 for item, _, _ in staged}:
            refuse.append(Violation(PHOTO_DUPLICATE, "所选照片已经上传"))
        if len(stored) + len(staged) > photo_max_count():
            refuse.append(Violation(PHOTO_TOO_MANY, f"每次检查最多 {photo_max_count()} 张现场照片，已有 {len(stored)} 张"))
        if refuse:
            raise Refused(refuse)
        now = clock.now()
        photos = []
        for item, name, thumb in staged:
            photo = InspectionPhoto.objects.create(
                inspection=locked, file=name, thumbnail=thumb, sha256=item.sha256, size=item.size,
                content_type=item.content_type, caption=caption, uploaded_by=actor.officer, uploaded_at=now,
            )
            ledger.append(f"draw:{locked.draw_id}", "photo", {
                "inspection": locked.pk, "entity": locked.entity_id, "photo": photo.pk, "sha256": item.sha256,
                "size": item.size, "content_type": item.content_type, "caption": caption,
            }, actor=actor)
            photos.append(photo)
        return photos


@use_case
def add_photos(*, inspection_id: int, uploads: list, caption: str = "", actor: access.Actor,
               taken_on=None) -> list[InspectionPhoto]:
    """上传现场照片: an assigned inspector (or the administrator) attaches photos to an inspection
    whose result is not yet published. Each file is read in chunks (SHA-256, size, magic bytes:
    JPEG, PNG, WebP or HEIC only, at most ``photo_max_bytes``), written to storage, and its digest
    appended to the draw's full-process record (``draw:<id>``, action ``photo``). All files or
    none: any refusal lists every reason and leaves nothing stored. ``taken_on``: the day a photo
    taken offline was taken (``services.offline``), for the certificate check (R04)."""
    inspection = Inspection.objects.select_related("task", "draw").filter(pk=inspection_id).first()
    if inspection is None:
        raise Http404
    caption = (caption or "").strip()
    checked = _checked_before_storing(inspection, uploads, caption, actor, taken_on)
    saved: list[str] = []
    try:
        # Files are written before the transaction (no lock held while a phone's photos reach the
        # disk); the transaction re-checks under the lock and a failure removes what was written.
        return _record_photos(inspection.pk, _stage(inspection, checked, saved), caption, actor, taken_on)
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


@use_case
@transaction.atomic
def remove_photo(*, photo_id: int, actor: access.Actor) -> None:
    """删除现场照片 before the result is published (assigned inspectors, the administrator); the
    removal and the digest of what was removed are appended to the draw's record."""
    photo = InspectionPhoto.objects.select_related("inspection").filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    inspection = Inspection.objects.select_for_update().select_related("task").get(pk=photo.inspection_id)
    assigned = set(inspection.inspector_ids)
    if not may_see_photos(actor, inspection, assigned):
        raise Http404
    refuse = photo_violations(inspection, assigned, actor)
    if refuse:
        raise Refused(refuse)
    names = [n for n in (photo.file.name, photo.thumbnail.name) if n]
    ledger.append(f"draw:{inspection.draw_id}", "photo_removed", {
        "inspection": inspection.pk, "photo": photo.pk, "sha256": photo.sha256,
    }, actor=actor)
    photo.delete()
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])
