"""R04/R05/R07/R08 registry writes through the API: heads and the administrator only; 401
without a token, 404 outside scope, 403 in scope without the right, 422 malformed, 409 with
every violation; nothing is written on any refusal."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import TODAY
from tests.factories import make_user
from zhifa.core import clock
from zhifa.registry import access, services
from zhifa.registry.models import Assignment, Certificate, Officer, TrainingRecord


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(TODAY):
        yield


def current(officer: Officer) -> Certificate:
    return officer.certificates.order_by("-issued_on", "-id").first()


def snapshot():
    return (
        list(Certificate.objects.order_by("pk").values_list("pk", "number", "status", "revocation_reason", "status_changed_on", "status_note")),
        list(TrainingRecord.objects.order_by("pk").values_list("pk", "hours")),
        list(Assignment.objects.order_by("pk").values_list("pk", "ends_on")),
        list(Officer.objects.order_by("pk").values_list("pk", "status", "left_on", "left_reason")),
    )


TRAINING = {"title": "行政处罚法专题培训", "held_on": "2026-11-20", "hours": "12.5", "provider": "示例市司法局"}
CERT = {"number": "65020099000009", "issued_on": "2026-11-20", "expires_on": "2031-11-19", "exam_score": "86", "issuer": "示例市人民政府"}
ASSIGNMENT = {"kind": "secondment", "organization": "示例市创城指挥部", "starts_on": "2026-11-01", "approved_by": "局党组"}


# --- Success --------------------------------------------------------------------------------

def test_r07_head_records_training(api_as, world):
    officer = world.officers["officer1"]
    response = api_as("head1").post(f"/api/v1/officers/{officer.pk}/trainings", TRAINING)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["hours"], body["held_on"], body["officer_id"]) == ("行政处罚法专题培训", "12.5", "2026-11-20", officer.pk)
    assert services.training_hours([officer.pk], 2026)[officer.pk] == Decimal("12.5")


def test_r04_revoke_on_retirement(api_as, world):
    cert = current(world.officers["officer2"])
    response = api_as("head1").post(f"/api/v1/certificates/{cert.pk}/revoke", {"reason": "retirement", "note": "退休"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["state"], body["revocation_reason"], body["revocation_reason_label"]) == ("revoked", "revoked", "retirement", "退休")
    assert body["status_changed_on"] == TODAY.isoformat()
    officer = api_as("head1").get(f"/api/v1/officers/{world.officers['officer2'].pk}").json()
    assert officer["certificate_state"] == "revoked"


def test_r04_suspend_and_restore(api_as, world):
    cert = current(world.officers["officer1"])
    client = api_as("head1")
    assert client.post(f"/api/v1/certificates/{cert.pk}/suspend", {"note": "调查期间"}).json()["state"] == "suspended"
    assert client.post(f"/api/v1/certificates/{cert.pk}/restore", {}).json()["state"] == "valid"


def test_r04_issue_renewal_becomes_current(api_as, world):
    officer = world.officers["officer3"]
    response = api_as("head1").post(f"/api/v1/officers/{officer.pk}/certificates", CERT)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "valid"
    assert api_as("head1").get(f"/api/v1/officers/{officer.pk}").json()["certificate_number"] == CERT["number"]


def test_r08_record_and_end_assignment(api_as, world):
    officer = world.officers["officer1"]
    client = api_as("head1")
    response = client.post(f"/api/v1/officers/{officer.pk}/assignments", ASSIGNMENT)
    assert response.status_code == 201, response.content
    assert response.json()["kind_label"] == "借调"
    ended = client.post(f"/api/v1/assignments/{response.json()['id']}/end", {})
    assert ended.status_code == 200 and ended.json()["ends_on"] == TODAY.isoformat()


def test_r05_register_and_remove_auxiliary(api_as, world):
    client = api_as("head1")
    response = client.post(f"/api/v1/bodies/{world.market.pk}/officers", {"name": "郑辅", "is_auxiliary": True, "joined_on": "2026-11-02"})
    assert response.status_code == 201, response.content
    aux_id = response.json()["id"]
    assert response.json()["joined_on"] == "2026-11-02"
    left = client.post(f"/api/v1/officers/{aux_id}/leave", {"reason": "dismissal", "note": "清退"})
    assert left.status_code == 200, left.content
    assert (left.json()["status"], left.json()["left_on"]) == ("left", TODAY.isoformat())


def test_r04_leaving_revokes_the_certificate(api_as, world):
    officer = world.officers["officer1"]
    assert api_as("head1").post(f"/api/v1/officers/{officer.pk}/leave", {"reason": "resignation"}).status_code == 200
    cert = current(officer)
    assert (cert.status, cert.revocation_reason) == ("revoked", "resignation")


def test_admin_writes_in_any_body(api_as, world):
    officer = world.officers["officer_other"]
    assert api_as("admin").post(f"/api/v1/officers/{officer.pk}/trainings", TRAINING).status_code == 201


# --- 409: every violation at once, nothing written --------------------------------------

def test_r05_issue_refusal_lists_every_violation(api_as, world):
    aux = world.officers["aux1"]
    taken = current(world.officers["officer1"]).number
    before = snapshot()
    response = api_as("head1").post(f"/api/v1/officers/{aux.pk}/certificates", {
        "number": taken, "issued_on": "2026-11-20", "expires_on": "2026-11-20", "exam_score": "40",
    })
    assert response.status_code == 409, response.content
    codes = sorted(v["code"] for v in response.json()["violations"])
    assert codes == ["AUXILIARY_CANNOT_ACT", "DUPLICATE_NUMBER", "INVALID_INPUT"]
    assert all(v["message"] for v in response.json()["violations"])
    assert snapshot() == before


def test_restore_of_a_valid_certificate_is_409(api_as, world):
    cert = current(world.officers["officer1"])
    before = snapshot()
    response = api_as("head1").post(f"/api/v1/certificates/{cert.pk}/restore", {})
    assert response.status_code == 409
    assert response.json()["violations"][0]["code"] == "WRONG_STATE"
    assert snapshot() == before


def test_assignment_ending_before_start_is_409(api_as, world):
    before = snapshot()
    response = api_as("head1").post(f"/api/v1/officers/{world.officers['officer1'].pk}/assignments",
                                    {**ASSIGNMENT, "ends_on": "2026-10-01"})
    assert response.status_code == 409
    assert snapshot() == before


def test_leaving_twice_is_409(api_as, world):
    officer = world.officers["officer1"]
    client = api_as("head1")
    client.post(f"/api/v1/officers/{officer.pk}/leave", {"reason": "transfer"})
    before = snapshot()
    response = client.post(f"/api/v1/officers/{officer.pk}/leave", {"reason": "transfer"})
    assert response.status_code == 409
    assert snapshot() == before


def test_head_cannot_remove_themselves(api_as, world):
    before = snapshot()
    response = api_as("head1").post(f"/api/v1/officers/{world.officers['head1'].pk}/leave", {"reason": "transfer"})
    assert response.status_code == 409
    assert snapshot() == before


def test_duplicate_staff_no_is_409(api_as, world):
    client = api_as("head1")
    assert client.post(f"/api/v1/bodies/{world.market.pk}/officers", {"name": "甲", "staff_no": "S1", "joined_on": "2026-01-01"}).status_code == 201
    before = snapshot()
    response = client.post(f"/api/v1/bodies/{world.market.pk}/officers",
                           {"name": "乙", "staff_no": "S1", "joined_on": "2027-01-01", "id_number": "123"})
    assert response.status_code == 409
    assert len(response.json()["violations"]) == 3  # staff number, future date, ID number
    assert snapshot() == before


# --- 422: malformed ------------------------------------------------------------------------

@pytest.mark.parametrize("payload,field", [
    ({**TRAINING, "hours": "abc"}, "hours"),
    ({**TRAINING, "hours": "0"}, "hours"),
    ({**TRAINING, "held_on": "2026-13-01"}, "held_on"),
    ({k: v for k, v in TRAINING.items() if k != "title"}, "title"),
    ({**TRAINING, "title": "a\x00b"}, "title"),
])
def test_malformed_training_is_422(api_as, world, payload, field):
    before = snapshot()
    response = api_as("head1").post(f"/api/v1/officers/{world.officers['officer1'].pk}/trainings", payload)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert snapshot() == before


def test_malformed_revoke_reason_is_422(api_as, world):
    cert = current(world.officers["officer2"])
    response = api_as("head1").post(f"/api/v1/certificates/{cert.pk}/revoke", {"reason": "bored"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


# --- Denials -------------------------------------------------------------------------------

def _writes(world):
    officer = world.officers["officer2"]
    cert = current(officer)
    assignment = Assignment.objects.create(officer=officer, kind="secondment", organization="某", starts_on=TODAY)
    return [
        (f"/api/v1/officers/{officer.pk}/trainings", TRAINING),
        (f"/api/v1/officers/{officer.pk}/certificates", CERT),
        (f"/api/v1/officers/{officer.pk}/assignments", ASSIGNMENT),
        (f"/api/v1/certificates/{cert.pk}/revoke", {"reason": "retirement"}),
        (f"/api/v1/certificates/{cert.pk}/suspend", {"note": "调查"}),
        (f"/api/v1/certificates/{cert.pk}/restore", {}),
        (f"/api/v1/assignments/{assignment.pk}/end", {}),
        (f"/api/v1/officers/{officer.pk}/leave", {"reason": "transfer"}),
        (f"/api/v1/bodies/{world.market.pk}/officers", {"name": "某", "joined_on": "2026-01-01"}),
    ]


@pytest.mark.parametrize("username,status", [
    ("officer1", 403), ("aux1", 403), ("reviewer1", 403), ("supervisor", 403), ("officer_other", 404), ("head_urban", 404),
])
def test_denied_writes_change_nothing(api_as, world, username, status):
    if username == "head_urban":
        Officer.objects.create(body=world.urban, name="城管局长", is_head=True, user=make_user("head_urban"))
    writes = _writes(world)
    before = snapshot()
    client = api_as(username)
    for path, payload in writes:
        response = client.post(path, payload)
        assert response.status_code == status, (path, response.content)
        assert response.json()["detail"]
    assert snapshot() == before


def test_anonymous_is_401(api_as, world):
    writes = _writes(world)
    before = snapshot()
    for path, payload in writes:
        assert api_as(None).post(path, payload).status_code == 401
    assert snapshot() == before


def test_unknown_ids_are_404(api_as, world):
    client = api_as("head1")
    assert client.post("/api/v1/officers/999999/trainings", TRAINING).status_code == 404
    assert client.post("/api/v1/certificates/999999/revoke", {"reason": "retirement"}).status_code == 404
    assert client.post("/api/v1/assignments/999999/end", {}).status_code == 404


# --- Services directly ---------------------------------------------------------------------

def test_services_refuse_non_heads(world):
    from django.core.exceptions import PermissionDenied

    actor = access.actor_for(world.users["officer1"])
    with pytest.raises(PermissionDenied):
        services.issue_certificate(world.officers["officer3"].pk, number="N1", issued_on=TODAY, expires_on=TODAY + dt.timedelta(days=1), actor=actor)
    with pytest.raises(PermissionDenied):
        services.register_officer(world.market.pk, name="某", joined_on=TODAY, actor=actor)
    with pytest.raises(PermissionDenied):
        services.remove_officer(world.officers["officer2"].pk, reason="transfer", actor=actor)


def test_remove_auxiliary_records_removal(world):
    actor = access.actor_for(world.users["head1"])
    aux = services.remove_auxiliary(world.officers["aux1"].pk, reason="dismissal", note="考核不合格", actor=actor)
    assert (aux.status, aux.left_on, aux.left_reason) == ("left", TODAY, "辞退或开除：考核不合格")
    assert not access.actor_for(world.users["aux1"]).is_staff_member  # no longer an active officer
