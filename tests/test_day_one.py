"""What a user meets on day one (issue 14, finding 7): the API docs on an intranet and the
error pages of the demo. (The `zhifa` command after `make run` is in test_settings.py, bearer
tokens on public endpoints in test_api_auth.py, the 执法清单's legal text in catalog/test_lists.py.)"""
from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def _asset_urls(html: str) -> list[str]:
    """Addresses the page loads: ``<script src>`` and ``<link href>``."""
    return re.findall(r"<script[^>]*\ssrc=[\"']([^\"']+)", html, re.I) + re.findall(
        r"<link[^>]*\shref=[\"']([^\"']+)", html, re.I
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
