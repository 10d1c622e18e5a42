"""R22 off-site enforcement: devices, bulk captures, review, case (APL art.41)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404

from tests.conftest import TODAY
from zhifa.cases.models import Case, Evidence
from zhifa.core import ledger
from zhifa.core.violations import Refused
from zhifa.offsite import rules, selectors, services
from zhifa.offsite.models import Capture, Device

from .conftest import row


def codes(exc) -> set[str]:
    return {v.code for v in exc.value.violations}


def test_r22_device_without_a_law_or_regulation_is_refused(ow):
    with pytest.raises(Refused) as exc:
        ow.device(basis_law_id=None)
    assert codes(exc) == {rules.DEVICE_NOT_LAWFUL}
    with pytest.raises(Refused) as exc:
        ow.device(basis_law_id=ow.local_rule.pk)
    assert codes(exc) == {rules.DEVICE_NOT_LAWFUL}
    assert not Device.objects.exists()


def test_r22_device_registered_with_its_file_and_recorded(ow):
    device = ow.device()
    assert device.wait_days == 0 and device.registered_on == TODAY
    assert ledger.verify(device.stream) is None
    assert selectors.device_problems(device, TODAY) == []


def test_r22_only_the_head_registers_devices(ow):
    with pytest.raises(PermissionDenied):
        ow.device(by="officer1")


def test_r22_import_is_idempotent_and_files_stored_by_hash(ow):
    device = ow.device()
    files = {"img1.jpg": b"one", "img2.jpg": b"two"}
    batch = ow.upload(device, [row(1), row(2)], files)
    assert (batch.rows, batch.created, batch.duplicates, batch.refused) == (2, 2, 0, 0)
    again = ow.upload(device, [row(1), row(2), row(3, file="img1.jpg")], files)
    assert (again.created, again.duplicates) == (1, 2)
    assert Capture.objects.count() == 3
    c = Capture.objects.get(subject="新A00001")
    assert c.sha256 == "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed"  # sha256(b"one")
    assert default_storage.exists(c.file.name) and c.state == "pending"
    assert ledger.verify(device.stream) is None


def test_r22_captures_from_days_the_device_file_was_incomplete_are_refused(ow):
    device = ow.device(signage_on=TODAY - dt.timedelta(days=10))
    batch = ow.upload(device, [row(1, day=TODAY - dt.timedelta(days=20)), row(2, day=TODAY - dt.timedelta(days=5))],
                      {"img1.jpg": b"a", "img2.jpg": b"b"})
    assert (batch.created, batch.refused) == (1, 1)
    assert batch.refusals[0]["code"] == rules.DEVICE_FILE_INCOMPLETE and batch.refusals[0]["row"] == 1


def test_r22_calibration_expired_on_the_capture_date_refuses_the_whole_batch(ow):
    device = ow.device(code="SPD-1", kind="speed", measuring=True, calibration_certificate="JD-2025-001",
                       calibration_valid_from=TODAY - dt.timedelta(days=400), calibration_expires_on=TODAY - dt.timedelta(days=30))
    with pytest.raises(Refused) as exc:
        ow.upload(device, [row(1)], {"img1.jpg": b"a"})
    assert codes(exc) == {rules.CALIBRATION_EXPIRED}
    assert not Capture.objects.exists()
    assert not default_storage.exists(f"captures/{device.pk}")


def test_r22_waiting_period_after_publication(ow, settings):
    settings.ZHIFA = {**settings.ZHIFA, "OFFSITE_WAIT_DAYS": 30}
    device = ow.device(published_on=TODAY - dt.timedelta(days=20))
    with pytest.raises(Refused) as exc:
        ow.upload(device, [row(1)], {"img1.jpg": b"a"})
    assert codes(exc) == {rules.DEVICE_WAITING_PERIOD}


def test_r22_review_rejection_needs_a_reason_and_a_certified_officer(ow):
    device = ow.device()
    ow.upload(device, [row(1)], {"img1.jpg": b"a"})
    capture = Capture.objects.get()
    with pytest.raises(Refused) as exc:
        services.review_capture(capture.pk, accepted=False, actor=ow.actor("officer1"))
    assert codes(exc) == {"REASON_REQUIRED"}
    with pytest.raises(Refused) as exc:
        services.review_capture(capture.pk, accepted=True, actor=ow.actor("officer3"))  # expired certificate
    assert codes(exc) == {"CERTIFICATE_INVALID"}
    with pytest.raises(PermissionDenied):
        services.review_capture(capture.pk, accepted=True, actor=ow.actor("aux1"))
    with pytest.raises(Http404):
        services.review_capture(capture.pk, accepted=True, actor=ow.actor("officer_other"))
    services.review_capture(capture.pk, accepted=False, reason_code="unclear", actor=ow.actor("officer1"))
    capture.refresh_from_db()
    assert capture.state == "rejected" and capture.reviewer_name == "李明"
    with pytest.raises(Refused) as exc:
        services.review_capture(capture.pk, accepted=True, actor=ow.actor("officer2"))
    assert codes(exc) == {"WRONG_STATE"}


def test_r22_unreviewed_or_rejected_capture_never_becomes_evidence(ow):
    device = ow.device()
    ow.upload(device, [row(1), row(2)], {"img1.jpg": b"a", "img2.jpg": b"b"})
    first, second = Capture.objects.order_by("taken_at")
    with pytest.raises(Refused) as exc:
        services.capture_to_case(first.pk, actor=ow.actor("officer1"))
    assert codes(exc) == {rules.CAPTURE_NOT_REVIEWED}
    services.review_capture(second.pk, accepted=False, reason_code="no_violation", actor=ow.actor("officer1"))
    with pytest.raises(Refused) as exc:
        services.capture_to_case(second.pk, actor=ow.actor("officer1"))
    assert codes(exc) == {rules.CAPTURE_NOT_REVIEWED}
    assert not Case.objects.exists() and not Evidence.objects.exists()


def test_r22_accepted_capture_becomes_a_case_with_evidence_and_a_lookup_code(ow):
    device = ow.device()
    ow.upload(device, [row(1), row(2)], {"img1.jpg": b"a", "img2.jpg": b"b"})
    first, second = Capture.objects.order_by("taken_at")
    for c in (first, second):
        services.review_capture(c.pk, accepted=True, actor=ow.actor("officer1"))
    services.capture_to_case(first.pk, actor=ow.actor("officer1"))
    first.refresh_from_db()
    case = first.case
    assert case.source == Case.Source.MONITORING and case.party_name == "车主1" and case.state == "source"
    assert rules.lookup_code_ok(first.lookup_code)
    evidence = Evidence.objects.get(case=case)
    assert evidence.sha256 == first.sha256 and evidence.file.name == first.file.name and evidence.is_av
    # The second joins the case (并案).
    services.capture_to_case(second.pk, case_id=case.pk, actor=ow.actor("officer2"))
    assert Evidence.objects.filter(case=case).count() == 2
    assert ledger.verify(case.stream) is None and ledger.verify(first.stream) is None
    with pytest.raises(Refused) as exc:
        services.capture_to_case(first.pk, actor=ow.actor("officer1"))
    assert codes(exc) == {"WRONG_STATE"}


def test_r22_device_statistics_show_rejections_by_reason(ow):
    device = ow.device()
    ow.upload(device, [row(i) for i in range(1, 6)], {f"img{i}.jpg": bytes([i]) for i in range(1, 6)})
    caps = list(Capture.objects.order_by("taken_at"))
    services.review_capture(caps[0].pk, accepted=True, actor=ow.actor("officer1"))
    services.review_capture(caps[1].pk, accepted=False, reason_code="unclear", actor=ow.actor("officer1"))
    services.review_capture(caps[2].pk, accepted=False, reason_code="unclear", actor=ow.actor("officer1"))
    services.review_capture(caps[3].pk, accepted=False, reason_code="device_fault", actor=ow.actor("officer1"))
    stats = selectors.device_stats([device.pk])[device.pk]
    assert (stats.total, stats.pending, stats.accepted, stats.rejected) == (5, 1, 1, 3)
    assert stats.rate == pytest.approx(0.25)
    assert stats.by_reason == {"unclear": 2, "device_fault": 1}


def test_r22_device_file_completed_later_and_retired(ow):
    device = ow.device(signage_on=None)
    assert {p.code for p in selectors.device_problems(device, TODAY)} == {rules.DEVICE_FILE_INCOMPLETE}
    services.update_device_file(device.pk, signage_on=TODAY, actor=ow.actor("head1"))
    device.refresh_from_db()
    assert selectors.device_problems(device, TODAY) == []
    services.update_device_file(device.pk, state="retired", actor=ow.actor("head1"))
    with pytest.raises(Refused):
        ow.upload(device, [row(1)], {"img1.jpg": b"a"})
    assert ledger.verify(device.stream) is None


def test_r22_orphan_capture_files_are_pruned_and_referenced_ones_kept(ow):
    from zhifa.offsite import capture_files

    device = ow.device()
    ow.upload(device, [row(1)], {"img1.jpg": b"kept"})
    orphan = default_storage.save(f"captures/{device.pk}/zz/orphan.jpg", __import__("io").BytesIO(b"lost"))
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)  # the files are written now, whatever the frozen clock
    assert capture_files.prune_orphans(now=later) == [orphan]
    assert default_storage.exists(Capture.objects.get().file.name) and not default_storage.exists(orphan)
