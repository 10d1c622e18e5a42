"""contract.md error shapes: every error under /api/v1/ is JSON ``{"detail": …}`` in Chinese —
a wrong method (405, with ``Allow``), a path no route matches (404), Django's own refusals (400)
and an unexpected failure (500); pages outside /api/ keep Django's HTML."""
from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def client(**kw) -> Client:
    return Client(secure=True, **kw)  # settings redirect plain HTTP outside DEBUG


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("delete", "/api/v1/cases", "GET, POST"),
    ("put", "/api/v1/cases", "GET, POST"),
    ("patch", "/api/v1/calendar/add-working-days", "GET"),
    ("get", "/api/v1/auth/token", "POST"),
])
def test_contract_wrong_method_is_json_405_with_allow(method, path, allowed):
    response = getattr(client(), method)(path)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response["Allow"] == allowed
    assert response.json() == {"detail": f"不支持的请求方法 {method.upper()}：此地址只接受 {allowed.replace(', ', '、')}。"}


def test_contract_wrong_method_is_refused_before_authentication():
    """The 405 does not depend on the token: no operation runs, so no auth either."""
    response = client().delete("/api/v1/cases", HTTP_AUTHORIZATION="Bearer 无效")
    assert response.status_code == 405 and "detail" in response.json()


def test_contract_right_methods_still_work(api_as):
    assert client().get("/api/v1/calendar/add-working-days", {"start": "2025-09-30", "days": 1}).status_code == 200
    assert api_as("officer1").get("/api/v1/cases").status_code == 200


def test_contract_unexpected_failure_under_api_is_json_500(monkeypatch):
    from zhifa.core import workdays

    def broken(*args, **kwargs):
        raise RuntimeError("测试：意外故障")

    monkeypatch.setattr(workdays, "add_working_days", broken)
    response = client(raise_request_exception=False).get("/api/v1/calendar/add-working-days", {"start": "2025-09-30", "days": 1})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "服务器内部错误" in response.json()["detail"]


def test_contract_unknown_api_path_is_json_404_and_pages_keep_html():
    response = client().get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json() == {"detail": "未找到，或您无权查看。"}
    page = client().get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
