"""R22 pages: devices with statistics, a device with its file and the batch upload, the review queue."""
from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import page_queries
from zhifa.offsite.models import Capture

from .conftest import row

pytestmark = pytest.mark.usefixtures("pages_today")


def _login(username):
    c = Client()
    assert c.login(username=username, password="zhifa-demo")
    return c


def test_r22_pages_upload_review_and_case(ow):
    device = ow.device()
    c = _login("officer1")
    assert "人民路与解放路路口摄像机" in c.get("/offsite/").content.decode()
    manifest = SimpleUploadedFile("m.csv", ("taken_at,subject,file,description\n" + "\n".join(
        f"{r['taken_at']},{r['subject']},{r['file']},{r['description']}" for r in (row(1), row(2)))).encode())
    r = c.post(f"/offsite/devices/{device.pk}/", {"manifest": manifest, "files": [
        SimpleUploadedFile("img1.jpg", b"p1", content_type="image/jpeg"), SimpleUploadedFile("img2.jpg", b"p2", content_type="image/jpeg")]})
    assert r.status_code == 302
    assert Capture.objects.count() == 2
    page = c.get("/offsite/review/").content.decode()
    assert "待审核" in page and "新A00001" in page
    first, second = Capture.objects.order_by("taken_at")
    c.post(f"/offsite/captures/{first.pk}/review/", {"accepted": "1"})
    r = c.post(f"/offsite/captures/{second.pk}/review/", {"accepted": "0", "reason_code": ""}, follow=True)
    assert "不通过的原因" in r.content.decode()
    c.post(f"/offsite/captures/{second.pk}/review/", {"accepted": "0", "reason_code": "unclear"})
    r = c.post(f"/offsite/captures/{first.pk}/case/", {"party_name": "张三"}, follow=True)
    assert "当事人查询码" in r.content.decode()
    detail = c.get(f"/offsite/devices/{device.pk}/").content.decode()
    assert "图像不清晰" in detail and "50.0%" in detail


def test_r22_pages_scope_and_queries(ow):
    device = ow.device()
    ow.upload(device, [row(i) for i in range(1, 21)], {f"img{i}.jpg": str(i).encode() for i in range(1, 21)})
    assert _login("officer_other").get(f"/offsite/devices/{device.pk}/").status_code == 404
    c = _login("officer1")
    few = page_queries(c, "/offsite/review/")
    ow.upload(device, [row(i) for i in range(21, 41)], {f"img{i}.jpg": str(i).encode() for i in range(21, 41)})
    assert page_queries(c, "/offsite/review/") == few
    assert page_queries(c, "/offsite/") <= 15
    assert page_queries(c, f"/offsite/devices/{device.pk}/") <= 20


def test_r22_register_page_refuses_a_device_without_a_law(ow):
    c = _login("head1")
    base = {"code": "CAM-P1", "name": "页面登记摄像机", "kind": "camera", "item_code": ow.item.code, "location": "某路口"}
    r = c.post("/offsite/devices/new/", base)
    assert r.status_code == 200 and "DEVICE_NOT_LAWFUL" in r.content.decode()
    r = c.post("/offsite/devices/new/", {**base, "basis_law": ow.law.pk, "basis_article": "第一百一十四条"})
    assert r.status_code == 302
    assert _login("officer1").get("/offsite/devices/new/").status_code == 403
