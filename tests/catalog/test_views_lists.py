"""The 执法清单 page (catalog/views_lists.py): legal text as published sources wrote it — with a
VuePress ``<Badge text="已废止" />`` (issue 14, finding 7) — shows no markup: the import keeps the
badge as words, and the page escapes whatever markup an older row still carries."""
from __future__ import annotations

from django.test import Client

from tests.factories import PASSWORD, BodyFactory
from zhifa.catalog import services
from zhifa.catalog.models import ExemptionEntry
from zhifa.catalog.views_lists import legal_text
from zhifa.registry.models import Body


def test_r11_badge_markup_of_the_jiangmen_list_does_not_show_on_the_page(world):
    shj = BodyFactory(code="SHJ", name="示例市生态环境局", sector=Body.Sector.ECOLOGY, jurisdiction=world.city)
    services.load_exemption_list(shj, keep_in_force=True)
    # The import keeps the source's badge as words (（已废止）); rows stored before are shown by legal_text.
    assert not ExemptionEntry.objects.filter(violated__contains="<Badge").exists()
    assert ExemptionEntry.objects.filter(violated__contains="（已废止）").exists()
    client = Client()
    assert client.login(username="supervisor", password=PASSWORD)
    response = client.get("/catalog/lists/", {"body": shj.pk, "q": "企业事业单位环境信息公开办法"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "企业事业单位环境信息公开办法" in html
    assert "Badge" not in html and "&lt;" not in html and "&amp;emsp;" not in html
    assert "（已废止）" in html


def test_legal_text_renders_a_badge_and_escapes_everything_else():
    text = '《办法》<Badge text="已废止" type="note" />第九条&emsp;<script>alert(1)</script>公开<br>信息 & 数据'
    assert str(legal_text(text)) == (
        '《办法》<span class="badge badge-warn">已废止</span>第九条 alert(1)公开信息 &amp; 数据'
    )
    assert str(legal_text('<Badge text="<b>x</b>" />')) == '<span class="badge badge-warn">&lt;b&gt;x&lt;/b&gt;</span>'
    assert str(legal_text("a &lt;img src=x onerror=1&gt;")) == "a &lt;img src=x onerror=1&gt;"


def test_legal_text_is_truncated_as_before():
    assert str(legal_text("条" * 120)) == "条" * 120
    assert str(legal_text("条" * 121)) == "条" * 119 + "…"
    badge = '<Badge text="已废止" />'
    assert str(legal_text("条" * 116 + badge + "第九条")) == "条" * 116 + '<span class="badge badge-warn">已废止</span>…'
    assert str(legal_text("条" * 118 + badge + "第九条")) == "条" * 118 + "…"  # a badge is never cut
    assert str(legal_text("")) == ""
