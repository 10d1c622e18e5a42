"""The system administrator's pages look like the application (issue 20 point 5): the admin
carries the application's colours and brand and a way back to the workbench."""
from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_admin_pages_use_the_applications_look(client, world):
    client.force_login(world.users["admin"])
    html = client.get("/admin/").content.decode()
    assert "zhifa/admin.css" in html and "返回工作台" in html and 'class="brand-mark"' in html
    assert finders.find("zhifa/admin.css")
