"""Registry use cases and queries (R03–R08) against the database."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import TODAY
from tests.factories import staff
from zhifa.core.violations import Refused
from zhifa.registry import access, rules, services
from zhifa.registry.models import Certificate, Officer


def actor(world, name):
    return access.actor_for(world.users[name])


def test_r04_current_certificate_annotation_and_state(world):
    officers = {o.user.username: o for o in services.with_current_certificate(Officer.objects.filter(user__isnull=False))}
    assert services.certificate_state_of(officers["officer1"], TODAY) is rules.CertificateState.VALID
    assert services.certificate_state_of(officers["officer3"], TODAY) is rules.CertificateState.EXPIRED
    assert services.certificate_state_of(officers["aux1"], TODAY) is rules.CertificateState.NONE


def test_r15_check_officers_may_act_from_database(world):
    o = world.officers
    assert services.check_officers_may_act([o["officer1"].pk, o["officer2"].pk], TODAY) == []
    codes = [v.code for v in services.check_officers_may_act([o["officer1"].pk, o["officer3"].pk, o["aux1"].pk], TODAY)]
    assert codes.count("CERTIFICATE_INVALID") == 1 and "AUXILIARY_CANNOT_ACT" in codes and "TWO_OFFICERS_REQUIRED" in codes


def test_r04_head_revokes_certificate_on_retirement(world):
    cert = world.officers["officer2"].certificates.get()
    services.revoke_certificate(cert.pk, reason="retirement", on=TODAY, actor=actor(world, "head1"))
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.REVOKED and cert.revocation_reason == "retirement" and cert.status_changed_on == TODAY
    assert services.check_officers_may_act([world.officers["officer2"].pk], TODAY)[0].code == "CERTIFICATE_INVALID"


def test_r04_revocation_denied_to_officer_and_other_head(world):
    cert = world.officers["officer2"].certificates.get()
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(cert.pk, reason="retirement", actor=actor(world, "officer1"))
    with pytest.raises(Refused):
        services.revoke_certificate(cert.pk, reason="bogus", actor=actor(world, "head1"))
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.VALID


def test_r04_suspend_and_restore(world):
    cert = world.officers["officer1"].certificates.get()
    services.suspend_certificate(cert.pk, note="涉嫌违纪调查期间", actor=actor(world, "admin"))
    assert services.certificate_state_of(world.officers["officer1"], TODAY) is rules.CertificateState.SUSPENDED
    services.restore_certificate(cert.pk, actor=actor(world, "admin"))
    assert services.certificate_state_of(world.officers["officer1"], TODAY) is rules.CertificateState.VALID


def test_r07_training_hours_per_year(world):
    head = actor(world, "head1")
    o1 = world.officers["officer1"]
    services.record_training(o1.pk, title="行政处罚法专题", held_on=dt.date(2026, 3, 1), hours=Decimal("40"), actor=head)
    services.record_training(o1.pk, title="执法技能", held_on=dt.date(2026, 9, 1), hours=Decimal("24"), actor=head)
    services.record_training(o1.pk, title="去年的培训", held_on=dt.date(2025, 9, 1), hours=Decimal("60"), actor=head)
    assert services.training_hours([o1.pk, world.officers["officer2"].pk], 2026) == {o1.pk: Decimal(64), world.officers["officer2"].pk: Decimal(0)}
    with pytest.raises(Refused) as refused:
        services.record_training(o1.pk, title="", held_on=TODAY, hours=Decimal("0"), actor=head)
    assert len(refused.value.violations) == 2


def _flags(world, who="supervisor", **kw):
    return services.health_flags(actor(world, who), TODAY, **kw)


def test_r06_r07_r08_health_flags(world):
    o = world.officers
    services.record_training(o["officer1"].pk, title="全年培训", held_on=dt.date(2026, 5, 1), hours=Decimal(60), actor=actor(world, "admin"))
    services.record_assignment(o["officer2"].pk, kind="secondment", organization="市政府办公室", starts_on=dt.date(2026, 10, 1), actor=actor(world, "admin"))
    flags = _flags(world)
    kinds_by_officer = {}
    for f in flags:
        kinds_by_officer.setdefault(f.officer_id, set()).add(f.kind)
    assert rules.FlagKind.TRAINING_SHORTFALL not in kinds_by_officer.get(o["officer1"].pk, set())
    assert rules.FlagKind.SECONDED in kinds_by_officer[o["officer2"].pk]
    assert rules.FlagKind.CERTIFICATE_EXPIRED in kinds_by_officer[o["officer3"].pk]
    assert o["aux1"].pk not in kinds_by_officer  # auxiliary staff carry no certificate by design
    no_reviewer = {f.body_id for f in flags if f.kind is rules.FlagKind.NO_LEGAL_REVIEWER}
    assert world.urban.pk in no_reviewer and world.market.pk not in no_reviewer
    assert world.foreign_body.pk not in {f.body_id for f in flags}


def test_r07_township_head_without_experience_flagged(world):
    head = staff(None, world.township_bureau, "钱队", is_head=True, enforcement_experience_years=0, today=TODAY)
    flags = _flags(world, jurisdiction_id=world.township.pk)
    assert {(f.kind, f.officer_id) for f in flags} >= {(rules.FlagKind.HEAD_INEXPERIENCED, head.pk)}
    assert {f.body_id for f in flags} == {world.township_bureau.pk}


def test_r04_expiring_within_90_days_flagged(world):
    cert = world.officers["officer1"].certificates.get()
    cert.expires_on = TODAY + dt.timedelta(days=30)
    cert.save()
    kinds = {f.kind for f in _flags(world, body_id=world.market.pk) if f.officer_id == world.officers["officer1"].pk}
    assert rules.FlagKind.CERTIFICATE_EXPIRING in kinds


def test_health_denied_to_officer_and_head_sees_own_body_only(world):
    with pytest.raises(PermissionDenied):
        _flags(world, "officer1")
    with pytest.raises(PermissionDenied):
        _flags(world, "aux1")
    assert {f.body_id for f in _flags(world, "head1")} == {world.market.pk}


def test_health_query_count_is_constant(world, django_assert_max_num_queries):
    for i in range(30):
        staff(None, world.market, f"新人{i}", today=TODAY)
    with django_assert_max_num_queries(6):
        _flags(world)
# --- Every registry write leaves its record entry (issue 13: supervision reads records) -----

def entries(stream: str) -> list[tuple[str, str]]:
    from zhifa.core.ledger import RecordEntry

    return list(RecordEntry.objects.filter(stream=stream).order_by("seq").values_list("action", "actor_name"))


def test_r04_certificate_changes_are_recorded_on_the_officer(world):
    from zhifa.core import clock

    officer = world.officers["officer2"]
    cert = officer.certificates.get()
    with clock.frozen(TODAY):
        services.suspend_certificate(cert.pk, note="调查期间", actor=actor(world, "head1"))
        services.restore_certificate(cert.pk, actor=actor(world, "head1"))
        services.revoke_certificate(cert.pk, reason="retirement", actor=actor(world, "admin"))
        services.issue_certificate(world.officers["officer3"].pk, number="65020099000123", issued_on=TODAY,
                                   expires_on=TODAY + dt.timedelta(days=1800), actor=actor(world, "head1"))
    assert entries(f"officer:{officer.pk}") == [
        ("suspend_certificate", "head1"), ("restore_certificate", "head1"), ("revoke_certificate", "admin")]
    assert entries(f"officer:{world.officers['officer3'].pk}") == [("issue_certificate", "head1")]


def test_r07_r08_training_and_assignments_are_recorded(world):
    from zhifa.core import clock
    from zhifa.core.ledger import RecordEntry

    officer = world.officers["officer1"]
    with clock.frozen(TODAY):
        services.record_training(officer.pk, title="专题培训", held_on=TODAY, hours=Decimal("8"), actor=actor(world, "head1"))
        assignment = services.record_assignment(officer.pk, kind="secondment", organization="指挥部", starts_on=TODAY,
                                                actor=actor(world, "head1"))
        services.end_assignment(assignment.pk, ends_on=TODAY, actor=actor(world, "head1"))
    assert [a for a, _ in entries(f"officer:{officer.pk}")] == ["record_training", "record_assignment", "end_assignment"]
    training = RecordEntry.objects.get(stream=f"officer:{officer.pk}", action="record_training")
    assert training.payload["hours"] == "8" and training.payload["title"] == "专题培训"


def test_r05_admission_and_removal_are_recorded(world):
    from zhifa.core import clock
    from zhifa.core.ledger import RecordEntry

    with clock.frozen(TODAY):
        aux = services.register_officer(world.market.pk, name="辅助甲", joined_on=TODAY, is_auxiliary=True,
                                        actor=actor(world, "head1"))
        services.remove_auxiliary(aux.pk, reason="dismissal", actor=actor(world, "head1"))
        services.remove_officer(world.officers["officer2"].pk, reason="retirement", actor=actor(world, "head1"))
    assert entries(f"officer:{aux.pk}") == [("register", "head1"), ("remove_auxiliary", "head1")]
    removal = RecordEntry.objects.get(stream=f"officer:{world.officers['officer2'].pk}", action="remove")
    assert removal.payload["reason"] == "retirement" and len(removal.payload["revoked_certificates"]) == 1


def test_a_refused_write_records_nothing(world):
    from zhifa.core.ledger import RecordEntry

    with pytest.raises(Refused):
        services.revoke_certificate(world.officers["officer2"].certificates.get().pk, reason="bogus", actor=actor(world, "head1"))
    assert not RecordEntry.objects.exists()


def test_admin_saves_and_deletions_are_recorded(world, client):
    from zhifa.core.ledger import RecordEntry
    from zhifa.registry.models import Body, SupervisionPost

    client.force_login(world.users["admin"])
    url = f"/admin/registry/body/{world.market.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, bool)}
    data.update({k: "on" for k, v in form.initial.items() if v is True})
    data["supervision_phone"] = "0990-7654321"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = RecordEntry.objects.get(stream=f"body:{world.market.pk}")
    assert entry.action == "admin_change_body" and entry.payload["changed"] == {"supervision_phone": "0990-7654321"}
    assert entry.actor_name == "admin"
    assert Body.objects.get(pk=world.market.pk).supervision_phone == "0990-7654321"

    post = SupervisionPost.objects.first()
    response = client.post(f"/admin/registry/supervisionpost/{post.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert RecordEntry.objects.filter(stream=f"jurisdiction:{post.jurisdiction_id}", action="admin_delete_supervisionpost").exists()


def test_admin_creations_record_every_field_on_the_right_stream(world):
    from zhifa.core.ledger import RecordEntry
    from zhifa.registry.models import Jurisdiction, TrainingRecord

    admin = actor(world, "admin")
    node = services.save_by_admin(Jurisdiction(code="650203009", name="新镇", level="township", parent=world.county),
                                  changed=[], created=True, actor=admin)
    entry = RecordEntry.objects.get(stream=f"jurisdiction:{node.pk}")
    assert entry.action == "admin_create_jurisdiction" and entry.payload["changed"]["parent"] == world.county.pk
    officer = world.officers["officer1"]
    training = services.save_by_admin(TrainingRecord(officer=officer, title="后台补录", held_on=TODAY, hours=Decimal("4")),
                                      changed=[], created=True, actor=admin)
    services.delete_by_admin([training], actor=admin)
    assert [a for a, _ in entries(f"officer:{officer.pk}")] == ["admin_create_trainingrecord", "admin_delete_trainingrecord"]


def test_admin_writes_are_refused_to_staff_without_the_admin_site(world):
    with pytest.raises(PermissionDenied):
        services.delete_by_admin([world.market], actor=actor(world, "head1"))
