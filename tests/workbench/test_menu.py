"""The side navigation built from the links each app declares (``zhifa.workbench.menu``)."""
from __future__ import annotations

import pytest

from zhifa.registry import access
from zhifa.workbench import menu

pytestmark = pytest.mark.django_db


def _labels(actor, view_name="workbench:home"):
    return [e.link.label if e.link else f"#{e.heading}" for e in menu.navigation(actor, view_name)]


def test_navigation_shows_each_role_its_links(world):
    aux = _labels(access.actor_for(world.users["aux1"]))
    head = _labels(access.actor_for(world.users["head1"]))
    admin = _labels(access.actor_for(world.users["admin"]))
    assert aux[:3] == ["工作台", "案件办理", "#主体与人员"]
    assert "队伍健康度" not in aux and "我的检查" not in aux and "#数据维护" not in aux
    assert {"队伍健康度", "我的检查", "数据导入"} <= set(head) and "系统管理" not in head
    assert admin[-4:] == ["#数据维护", "数据导入", "安全审计", "系统管理"]


def test_navigation_marks_the_current_page(world):
    actor = access.actor_for(world.users["officer1"])
    current = lambda view: [e.link.label for e in menu.navigation(actor, view) if e.current]  # noqa: E731
    assert current("registry:officer_detail") == ["执法人员"]
    assert current("inspections:plan_detail") == ["抽查检查"]
    assert current("inspections:inspector_list") == ["检查人员名录"]
    assert current("registry:import_job") == ["数据导入"] or "数据导入" not in _labels(actor)
