"""The workbench (工作台): each role's home page built from the tiles the apps declare, and the
side navigation built from their links (``zhifa.workbench.menu``)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import TODAY
from tests.factories import PASSWORD, make_user
from zhifa.registry import access
from zhifa.registry.models import TrainingRecord
from tests.workbench.test_menu import _labels
from zhifa.workbench import builtin_nav, menu

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]


# --- Home per role ------------------------------------------------------------------------

def test_home_officer_shows_own_body_certificate_and_training(world, client_as):
    TrainingRecord.objects.create(officer=world.officers["officer1"], title="行政处罚法专题", held_on=TODAY - dt.timedelta(days=30), hours=Decimal("24"))
    html = client_as("officer1").get("/").content.decode()
    assert "示例市市场监督管理局" in html
    assert "我的行政执法证" in html and "有效" in html
    assert "24" in html and "/ 60 学时" in html
    assert "队伍预警" not in html  # not a supervisor


def test_home_officer3_sees_expired_certificate_warning(client_as):
    html = client_as("officer3").get("/").content.decode()
    assert "已过期" in html
    assert "不得从事行政执法活动" in html


def test_home_head_shows_body_people_and_flags(world, client_as):
    html = client_as("head1").get("/").content.decode()
    assert "本单位人员" in html
    for name in ("李明", "王芳", "赵强", "孙丽", "周律"):
        assert name in html
    assert "吴城" not in html  # officer_other belongs to another body
    assert "本单位预警" in html and "执法证已过期未换发" in html


def test_home_supervisor_shows_subtree_counts_and_flag_summary(world, client_as):
    response = client_as("supervisor").get("/")
    assert response.status_code == 200
    ctx = response.context
    # The city subtree: market, urban, county body, township bureau (the neighbouring city is out).
    assert ctx["n_bodies"] == 4
    assert ctx["n_officers"] == 6 and ctx["n_auxiliary"] == 1
    kinds = {s["kind"].value for s in ctx["flag_summary"]}
    assert {"CERTIFICATE_EXPIRED", "NO_LEGAL_REVIEWER", "TRAINING_SHORTFALL"} <= kinds
    html = response.content.decode()
    assert "队伍健康度预警（按类型）" in html and "邻市市场监督管理局" not in html


def test_home_admin_links_to_admin_site(client_as):
    response = client_as("admin").get("/")
    assert response.status_code == 200
    assert response.context["n_bodies"] == 5  # the whole system
    assert 'href="/admin/"' in response.content.decode()


def test_home_without_a_role_says_so(world):
    make_user("nobody")
    client = Client()
    assert client.login(username="nobody", password=PASSWORD)
    html = client.get("/").content.decode()
    assert "您的账号尚未关联执法人员或执法监督岗位" in html


def test_home_url_names_resolve_to_the_root():
    assert reverse("workbench:home") == "/" and reverse("registry:home") == "/"


def test_an_app_adds_its_link_and_tile_without_touching_others(world, client_as, monkeypatch):
    """What supervision or the portal will do with their own nav.py."""
    declared = SimpleNamespace(
        LINKS=[{"label": "执法监督", "url": "workbench:home", "icon": "☉", "section": "监督", "order": 500,
                "active": ("supervision:*",), "roles": ("supervisor",)}],
        TILES=[{"template": "partials/empty.html", "context": "tests.workbench.test_views.extra_tile", "order": 50}],
    )
    monkeypatch.setitem(builtin_nav.DECLARED, "core", declared)
    menu.links.cache_clear(), menu.tiles.cache_clear()
    try:
        assert "执法监督" in _labels(access.actor_for(world.users["supervisor"]))
        assert "执法监督" not in _labels(access.actor_for(world.users["officer1"]))
        html = client_as("supervisor").get("/").content.decode()
        assert "监督磁贴" in html and html.index("监督磁贴") < html.index("队伍健康度预警（按类型）")
    finally:
        monkeypatch.undo()
        menu.links.cache_clear(), menu.tiles.cache_clear()


def extra_tile(actor, today):
    return {"title": "监督磁贴"} if actor.is_supervisor else None
