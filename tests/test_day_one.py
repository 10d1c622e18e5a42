"""What a user meets on day one (issue 14, finding 7): the API docs on an intranet and the
error pages of the demo. (The `zhifa` command after `make run` is in test_settings.py, bearer
tokens on public endpoints in test_api_auth.py, the 执法清单's legal text in catalog/test_lists.py.)"""
from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import path

EXTERNAL = re.compile(r"^(https?:)?//", re.IGNORECASE)


def _asset_urls(html: str) -> list[str]:
    """Addresses the page loads: ``<script src>`` and ``<link href>``."""
    return re.findall(r"<script[^>]*\ssrc=[\"']([^\"']+)", html, re.IGNORECASE) + re.findall(
        r"<link[^>]*\shref=[\"']([^\"']+)", html, re.IGNORECASE
    )


def test_api_docs_load_nothing_from_another_host(db):
    """/api/v1/docs used to load Swagger UI from a CDN: blank on an intranet."""
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = _asset_urls(html)
    assert any(url.endswith(".js") for url in urls) and any(url.endswith(".css") for url in urls), urls
    assert not [url for url in urls if EXTERNAL.match(url)]
    assert not re.search(r"(src|href)=[\"'](https?:)?//", html)


def test_api_docs_static_files_are_served(db):
    client = Client()
    html = client.get("/api/v1/docs").content.decode()
    for url in _asset_urls(html):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, url


# --- Error pages in debug (make run serves the demo with ZHIFA_DEBUG=1) ----------------------

def _get(path: str, **kw):
    return Client(raise_request_exception=False).get(path, **kw)


def _page_as(username: str, path: str):
    """The page as ``username`` sees it, errors answered as a browser gets them."""
    client = Client(raise_request_exception=False)
    assert client.login(username=username, password="zhifa-demo")
    return client.get(path)


@override_settings(DEBUG=True)
@pytest.mark.parametrize("path", ["/no-such-page/", "/catalog/no-such-page/", "/cases/-1/"])
def test_missing_page_in_debug_is_the_chinese_404_not_the_route_list(world, path):
    response = _page_as("officer1", path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在或不在您的管辖范围内" in html and '<html lang="zh-CN">' in html
    assert "URLconf" not in html and "api/v1/" not in html and "Page not found" not in html


@override_settings(DEBUG=True)
def test_view_raising_http404_in_debug_is_the_chinese_404(world):
    response = _page_as("officer1", "/cases/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在或不在您的管辖范围内" in html and "Page not found" not in html and "Raised by" not in html


@override_settings(DEBUG=True)
def test_missing_slash_still_redirects_in_debug(world):
    response = _get("/catalog/lists")
    assert response.status_code == 301 and response["Location"] == "/catalog/lists/"


@override_settings(DEBUG=True)
def test_api_errors_stay_json_in_debug(world):
    response = _get("/api/v1/no-such-endpoint")
    assert response.status_code == 404 and response.json() == {"detail": "未找到，或您无权查看。"}


@override_settings(DEBUG=True, DEBUG_ERROR_PAGES=True)
def test_developers_may_ask_for_djangos_debug_pages(world):
    assert "URLconf" in _get("/no-such-page/").content.decode()


def _broken(request):
    raise RuntimeError("boom")


def _refused(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied("只有执法主体的工作人员可以登记案源。")


# This module is also the URLconf of the tests below: one failing view, one refusing view.
urlpatterns = [path("broken/", _broken), path("refused/", _refused)]


@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_failure_in_debug_is_the_chinese_500_and_logged(db, caplog):
    response = _get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统暂时无法处理您的请求" in html and "Traceback" not in html and "boom" not in html
    assert any(record.levelname == "ERROR" and record.exc_info for record in caplog.records)


@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_failure_in_debug_reaches_the_test_client(db):
    """As Django's own handling: a test client that raises request exceptions still sees it."""
    with pytest.raises(RuntimeError, match="boom"):
        Client().get("/broken/")


@override_settings(DEBUG=True)
def test_permission_denied_in_debug_is_the_chinese_403(world):
    response = _page_as("supervisor", "/cases/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "只有执法主体的工作人员可以登记案源。" in html and "Forbidden" not in html


@pytest.mark.parametrize("debug", [False, True])
def test_bad_request_page_is_chinese(db, debug):
    """More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django's English "Bad Request (400)" before."""
    with override_settings(DEBUG=debug):
        response = Client(raise_request_exception=False).post("/accounts/login/", {f"p{i}": "1" for i in range(1100)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html and "Bad Request" not in html


@pytest.mark.parametrize("debug", [False, True])
def test_csrf_failure_is_the_chinese_403(db, debug):
    """A login form posted after its page expired: Django's English "CSRF verification failed" before."""
    with override_settings(DEBUG=debug):
        response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "CSRF 校验失败" in html and "Forbidden" not in html and "verification failed" not in html


@pytest.mark.parametrize("debug", [False, True])
def test_api_failure_is_json_in_debug_too(world, monkeypatch, debug):
    """contract.md: every error under /api/ is JSON — ninja answered a plain-text traceback in debug."""
    import json

    from zhifa.core.models import ApiToken

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(ApiToken, "new_key", staticmethod(broken))
    with override_settings(DEBUG=debug):
        response = Client(raise_request_exception=False).post(
            "/api/v1/auth/token", json.dumps({"username": "officer1", "password": "zhifa-demo"}),
            content_type="application/json",
        )
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，请稍后重试；问题持续时请联系系统管理员。"}
