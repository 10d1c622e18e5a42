"""R22 through the API (contract.md): devices, a multipart batch, review, case; denials; queries."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import TODAY
from zhifa.offsite.models import Capture

from .conftest import row


def _token(api_as, username):
    return api_as(username)


def _upload(client, device_id, rows, files, *, manifest_name="batch.json"):
    data = {"manifest": SimpleUploadedFile(manifest_name, json.dumps(rows).encode(), content_type="application/json"),
            "files": [SimpleUploadedFile(n, c, content_type="image/jpeg") for n, c in files.items()]}
    return client.client.post(f"/api/v1/devices/{device_id}/captures", data, **client.headers)


def test_r22_api_device_not_lawful_is_409(ow, api_as):
    head = api_as("head1")
    body = {"code": "CAM-9", "name": "无依据摄像机", "kind": "camera", "item_code": ow.item.code, "location": "某路口"}
    r = head.post("/api/v1/devices", body)
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "DEVICE_NOT_LAWFUL"
    r = head.post("/api/v1/devices", {**body, "basis_law_id": ow.law.pk, "basis_article": "第一百一十四条"})
    assert r.status_code == 201, r.content
    assert r.json()["usable_today"] is False and {p["code"] for p in r.json()["problems_today"]} == {"DEVICE_FILE_INCOMPLETE"}
    assert api_as("officer1").post("/api/v1/devices", {**body, "code": "CAM-10", "basis_law_id": ow.law.pk,
                                                        "basis_article": "第一百一十四条"}).status_code == 403
    assert head.post("/api/v1/devices", {**body, "kind": "laser"}).status_code == 422


def test_r22_api_batch_review_and_case(ow, api_as):
    device = ow.device()
    officer = api_as("officer1")
    r = _upload(officer, device.pk, [row(1), row(2)], {"img1.jpg": b"x1", "img2.jpg": b"x2"})
    assert r.status_code == 201, r.content
    assert r.json()["created"] == 2
    r = _upload(officer, device.pk, [row(1), row(2)], {"img1.jpg": b"x1", "img2.jpg": b"x2"})
    assert (r.json()["created"], r.json()["duplicates"]) == (0, 2)
    # A device's push: one row as JSON text and its file.
    push = officer.client.post(f"/api/v1/devices/{device.pk}/captures",
                               {"rows": json.dumps([row(3)]), "files": [SimpleUploadedFile("img3.jpg", b"x3")]}, **officer.headers)
    assert push.status_code == 201 and push.json()["source"] == "push"
    bad = _upload(officer, device.pk, [{"subject": "A", "file": "a.jpg"}], {})
    assert bad.status_code == 422
    first = Capture.objects.order_by("taken_at").first()
    r = officer.post(f"/api/v1/captures/{first.pk}/case", {})
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "CAPTURE_NOT_REVIEWED"
    r = officer.post(f"/api/v1/captures/{first.pk}/review", {"accepted": False})
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "REASON_REQUIRED"
    r = officer.post(f"/api/v1/captures/{first.pk}/review", {"accepted": True})
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    r = officer.post(f"/api/v1/captures/{first.pk}/case", {"party_kind": "person"})
    assert r.status_code == 201 and r.json()["case_number"] and len(r.json()["lookup_code"]) == 10
    assert api_as("officer_other").post(f"/api/v1/captures/{first.pk}/review", {"accepted": True}).status_code == 404
    assert api_as("aux1").post(f"/api/v1/captures/{first.pk + 1}/review", {"accepted": True}).status_code == 403
    assert api_as(None).get("/api/v1/captures").status_code == 401
    f = officer.get(f"/api/v1/captures/{first.pk}/file")
    assert f.status_code == 200 and b"".join(f.streaming_content) == b"x1"


def test_r22_api_lists_paginate_in_constant_queries(ow, api_as, django_assert_max_num_queries):
    device = ow.device()
    ow.device(code="CAM-002")
    ow.upload(device, [row(i) for i in range(1, 31)], {f"img{i}.jpg": str(i).encode() for i in range(1, 31)})
    officer = api_as("officer1")
    with django_assert_max_num_queries(12):
        r = officer.get("/api/v1/captures", page_size=30)
    assert r.status_code == 200 and r.json()["count"] == 30 and len(r.json()["items"]) == 30
    with django_assert_max_num_queries(12):
        r = officer.get("/api/v1/devices")
    assert r.json()["count"] == 2 and r.json()["items"][0]["stats"]["total"] == 30
    assert api_as("officer_other").get("/api/v1/devices").json()["count"] == 0
    assert api_as("supervisor").get("/api/v1/devices").json()["count"] == 2
