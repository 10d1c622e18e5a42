"""Issue 15 §4 and §5: HTTP hardening (CSP without inline scripts, Permissions-Policy,
Cache-Control: no-store for signed-in users, no server banner) and bad input (NUL, overlong query
parameters) answered with a Chinese 400 everywhere, never a 500."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import ApiClient

SRC = Path(__file__).resolve().parents[3] / "src" / "zhifa"


@pytest.fixture
def staff(world, settings):
    settings.SECURE_SSL_REDIRECT = False
    client = Client()
    client.force_login(world.users["officer1"])
    return client


PAGES = ["/inspections/entities/", "/officers/", "/cases/", "/catalog/items/", "/", "/accounts/login/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("query", ["?q=%00", "?q=a%00b", "?%00=1", "?page=%00", "?q=" + "长" * 1001])
def test_nul_and_overlong_query_parameters_are_a_chinese_400_on_pages(staff, path, query):
    response = staff.get(path + query)
    assert response.status_code == 400
    text = response.content.decode()
    assert "空字符" in text or "过长" in text


@pytest.mark.parametrize("path", ["/api/v1/officers", "/api/v1/cases", "/api/v1/bodies"])
@pytest.mark.parametrize("query", ["?q=%00", "?q=" + "a" * 1001])
def test_nul_and_overlong_query_parameters_are_a_chinese_422_per_field_on_the_api(world, api_as, path, query):
    """The API's own answer to bad input (contract.md): 422 with a Chinese message per field."""
    response = api_as("officer1").get(path + query)
    assert response.status_code == 422
    assert all(error["message"] for error in response.json()["errors"])


def test_nul_in_a_posted_form_is_a_chinese_400(staff):
    response = staff.post("/accounts/password/", {"old_password": "zhifa\x00demo", "new_password1": "x", "new_password2": "x"})
    assert response.status_code == 400 and "空字符" in response.content.decode()


def test_nul_in_the_login_form_is_a_400_not_a_500(world, settings):
    settings.SECURE_SSL_REDIRECT = False
    response = Client().post("/accounts/login/", {"username": "officer1\x00", "password": "x"})
    assert response.status_code == 400


def test_a_long_but_allowed_parameter_passes(staff):
    assert staff.get("/officers/?q=" + "王" * 200).status_code == 200


def test_csp_allows_no_inline_script(world, staff):
    for response in (Client().get("/accounts/login/"), staff.get("/"), staff.get("/api/v1/me")):
        policy = response["Content-Security-Policy"]
        script = re.search(r"script-src ([^;]*)", policy).group(1)
        assert script.strip() == "'self'"
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_has_an_inline_script_or_handler():
    """The CSP would block them: behaviour lives in static/zhifa/app.js."""
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and "application/json" not in match.group(1):
                offenders.append(f"{template}: {match.group(0)}")
        for match in re.finditer(r"""\son[a-z]+\s*=\s*["']""", text):
            offenders.append(f"{template}: {match.group(0)}")
        if "javascript:" in text:
            offenders.append(f"{template}: javascript:")
    assert offenders == []


def test_permissions_policy_on_every_answer(world, staff):
    for response in (Client().get("/accounts/login/"), staff.get("/"), ApiClient().get("/api/v1/officers")):
        assert "microphone=()" in response["Permissions-Policy"]
        assert "Server" not in response


def test_signed_in_answers_are_not_stored(world, staff, api_as):
    assert "no-store" in staff.get("/").headers["Cache-Control"]
    assert "no-store" in staff.get("/officers/").headers["Cache-Control"]
    assert "no-store" in api_as("officer1").get("/api/v1/officers").headers["Cache-Control"]
    assert "no-store" in staff.get("/api/v1/me").headers["Cache-Control"]


def test_public_answers_are_not_forced_to_no_store(world):
    response = ApiClient().get("/api/v1/officers")
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_gunicorn_server_banner_is_blanked():
    import importlib

    import gunicorn.http.wsgi as gunicorn_wsgi

    assert gunicorn_wsgi.SERVER == "gunicorn" or gunicorn_wsgi.SERVER == ""
    sys.modules.pop("zhifa.wsgi", None)
    importlib.import_module("zhifa.wsgi")
    assert gunicorn_wsgi.SERVER == ""
