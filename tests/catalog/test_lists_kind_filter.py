"""R11–R13 page: the 类别 filter and column belong to the 免罚轻罚清单 only (the review list and
the recording catalogue have no categories), on the full page and when htmx swaps the results."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import PASSWORD
from zhifa.catalog import services
from zhifa.catalog.models import ExemptionEntry


@pytest.fixture
def client(world):
    services.seed_default_lists(world.market)
    ExemptionEntry.objects.create(body=world.market, act="首次销售少量过期食品", kind="first_offence",
                                  conditions="首次违法；及时改正", citation="示范清单（示范数据）")
    client = Client()
    assert client.login(username="officer1", password=PASSWORD)
    return client


EMPTY_SLOT = '<div id="kind-filter" style="display:contents"></div>'


def test_r11_exemption_list_has_the_category_filter_and_column(client):
    html = client.get("/catalog/lists/").content.decode()
    assert EMPTY_SLOT not in html and "类别（免罚轻罚清单）" in html
    assert html.count('<select name="kind"') == 1  # once, in the filter form
    assert "<th>类别</th>" in html and '<span class="tag">首违不罚</span>' in html
    narrowed = client.get("/catalog/lists/", {"kind": "no_fault"}).content.decode()
    assert "该清单暂无内容" in narrowed and '<option value="no_fault" selected>' in narrowed


@pytest.mark.parametrize("which, table", [("review", "review-table"), ("recording", "recording-table")])
def test_r12_r13_lists_without_categories_show_no_category_filter_or_column(client, which, table):
    html = client.get("/catalog/lists/", {"list": which, "kind": "first_offence"}).content.decode()
    assert f'data-testid="{table}"' in html
    assert EMPTY_SLOT in html and 'name="kind"' not in html and "类别" not in html
    assert "该清单暂无内容" not in html  # a stray 类别 in the address narrows nothing here


@pytest.mark.parametrize("which, shown", [("exemption", True), ("review", False), ("recording", False)])
def test_r11_htmx_swap_puts_the_category_filter_in_or_takes_it_out(client, which, shown):
    """Changing the 清单 select swaps only #results; the response also swaps the 类别 slot of the
    filter form out of band, so the filter appears and disappears with the list."""
    partial = client.get("/catalog/lists/", {"list": which}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results").content.decode()
    assert "<html" not in partial
    oob = re.search(r'<div id="kind-filter"[^>]*hx-swap-oob="true"[^>]*>(.*?)</div>\s*<div id="results"', partial, re.S)
    assert oob, "the htmx response does not swap the 类别 slot"
    assert ('<select name="kind"' in oob.group(1)) is shown
    full = client.get("/catalog/lists/", {"list": which}).content.decode()
    assert "hx-swap-oob" not in full  # the full page has the slot once, in the form
