"""R28: site photo files that no photo refers to (an upload inside a transaction that rolled back,
a crash) are deleted by ``zhifa sweep`` once they are an hour old; referenced files and files of
uploads still running stay."""
from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from zhifa.inspections import photo_files, services
from zhifa.inspections.models import InspectionPhoto
from zhifa.registry.access import actor_for

from .drawing import first_inspection, image_bytes, revealed_draw, upload

pytestmark = pytest.mark.usefixtures("frozen_clock")


class ActionFailed(Exception):
    """A later step of the caller's transaction failed after the photos were added."""


@pytest.fixture
def photographer(world, head, item, media):
    """``(inspection, add)``: ``add(*images)`` adds photos as an assigned inspector."""
    inspection, officers = first_inspection(revealed_draw(world, head, item))
    inspector = actor_for(next(o for o in officers if o.user_id).user)

    def add(*images: bytes) -> list[InspectionPhoto]:
        uploads = [upload(f"{i}.jpg", content) for i, content in enumerate(images)]
        return services.add_photos(inspection_id=inspection.pk, uploads=uploads, actor=inspector)

    return inspection, add


def stored(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def age(media: Path, name: str, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(media / name, (then, then))


def orphan(media: Path, name: str, hours: float) -> str:
    (media / name).parent.mkdir(parents=True, exist_ok=True)
    (media / name).write_bytes(image_bytes())
    age(media, name, hours)
    return name


def test_r28_prune_deletes_old_orphans_keeps_referenced_and_young_files(photographer, media):
    inspection, add = photographer
    [kept] = add(image_bytes(color=(1, 2, 3)))
    referenced = [kept.file.name, kept.thumbnail.name]
    assert kept.thumbnail.name  # a JPEG gets a thumbnail: both names count as referenced
    with pytest.raises(ActionFailed), transaction.atomic():  # the caller's transaction rolls back
        add(image_bytes(color=(9, 9, 9)))
        raise ActionFailed
    rolled_back = sorted(set(stored(media)) - set(referenced))
    assert len(rolled_back) == 2 and InspectionPhoto.objects.count() == 1  # image and thumbnail left behind
    for name in referenced + rolled_back:
        age(media, name, 2)
    young = orphan(media, f"inspections/{inspection.pk}/young.jpg", 0.5)  # an upload still running
    elsewhere = orphan(media, "documents/SJJ/2026/x.pdf", 48)  # not a photo file: never touched

    assert photo_files.prune_orphans(dry_run=True) == rolled_back
    assert stored(media) == sorted([*referenced, *rolled_back, young, elsewhere])  # the dry run deleted nothing
    assert photo_files.prune_orphans() == rolled_back
    assert stored(media) == sorted([*referenced, young, elsewhere])
    assert photo_files.prune_orphans() == []


def test_r28_prune_with_no_photo_folder_does_nothing(db, media):
    assert photo_files.prune_orphans() == []


def test_r28_sweep_reports_and_deletes_photo_and_document_orphans(photographer, media):
    inspection, add = photographer
    [kept] = add(image_bytes())
    age(media, kept.file.name, 3)
    age(media, kept.thumbnail.name, 3)
    photo = orphan(media, f"inspections/{inspection.pk}/lost.jpg", 3)
    thumb = orphan(media, f"inspections/{inspection.pk}/lost-thumb.jpg", 3)
    document = orphan(media, "documents/SJJ/2026/x-1.pdf", 3)
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "清理遗留文书文件：1 个。" in out.getvalue() and "清理遗留现场照片文件：2 个。" in out.getvalue()
    assert stored(media) == sorted([kept.file.name, kept.thumbnail.name])
    assert not any((media / name).exists() for name in (photo, thumb, document))
