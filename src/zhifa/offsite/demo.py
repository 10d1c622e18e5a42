"""Demo off-site enforcement (非现场执法, R22) for ``zhifa demo``, through the services so that
everything is recorded:

- a lawful device at the ecology bureau: an emission monitor whose basis is the Air Pollution
  Prevention and Control Law art.24 (automatic monitoring, a law), reviewed, calibrated, signposted
  and published;
- a device without a basis: the urban management bureau's camera citing a municipal rule — refused
  at registration (``DEVICE_NOT_LAWFUL``), so it is not stored; the refusal is reported;
- a batch of 20 captures (small generated images), half reviewed (accepted and rejected with
  reasons), two accepted ones turned into cases with a lookup code.

    load_offsite_demo(today=None, log=None) -> dict[str, int]
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zhifa.cases.demo import _actor, _staff
from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import Item, Law
from zhifa.core import clock, ledger
from zhifa.core.violations import Refused
from zhifa.registry.models import Body

from . import inputs, services
from .models import Capture, Device

AIR_LAW = dict(title="中华人民共和国大气污染防治法", short_title="大气污染防治法", level=Law.Level.LAW,
               version_date=dt.date(2018, 10, 26), effective_from=dt.date(2018, 10, 26),
               issuing_organ="全国人民代表大会常务委员会", source="演示数据：电子技术监控设备的设置依据")
REJECTIONS = ["unclear", "unclear", "device_fault", "no_violation"]


def _image(n: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 200), (40 + n * 9 % 200, 60, 90))
    ImageDraw.Draw(img).rectangle((20 + n % 7 * 10, 40, 200, 160), outline=(255, 255, 255), width=3)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _air_law() -> Law:
    law = Law.objects.filter(title=AIR_LAW["title"], version_date=AIR_LAW["version_date"]).first()
    if law is None:
        law = Law.objects.create(**AIR_LAW)
        ledger.append(f"law:{law.pk}", "load_demo", {"title": law.title, "level": law.level, "version_date": law.version_date,
                                                     "source": law.source})
    return law


def load_offsite_demo(today: dt.date | None = None, log: Callable[[str], None] | None = None) -> dict[str, int]:
    say = log or (lambda _m: None)
    today = today or clock.today()
    created = {"电子监控设备": 0, "电子监控记录": 0}
    ecology, urban = Body.objects.filter(code="SHJ").first(), Body.objects.filter(code="CGJ").first()
    if ecology is None or Device.objects.exists():
        return created
    heads, _r, investigators = _staff(ecology, today)
    items = catalog_selectors.competence_of(ecology.pk).own_item_ids
    item = (Item.objects.filter(kind=Item.Kind.PENALTY, pk__in=list(items)[:2000], name__contains="大气").order_by("code").first()
            or Item.objects.filter(kind=Item.Kind.PENALTY, pk__in=list(items)[:2000]).order_by("code").first())
    if not heads or not investigators or item is None:
        say("提示：生态环境局不具备非现场执法演示条件（负责人、执法人员或处罚事项不足）。")
        return created
    head, officer = _actor(heads[0]), _actor(investigators[0])
    with transaction.atomic():
        law = _air_law()
        device = services.register_device(
            code="SHJ-ZX-001", name="示例热电厂1号排放口大气污染物在线监测设备", kind="emission", measuring=True, item_code=item.code,
            location="示例市河东区工业园示例热电厂1号排放口", basis_law_id=law.pk, basis_article="第二十四条",
            legal_review_on=today - dt.timedelta(days=120), legal_review_by="示例市生态环境局法制科",
            technical_review_on=today - dt.timedelta(days=118), technical_review_by="示例市环境监测中心站",
            standards="HJ 75-2017 固定污染源烟气排放连续监测技术规范", calibration_certificate="示计检〔2026〕0815号",
            calibration_valid_from=today - dt.timedelta(days=100), calibration_expires_on=today + dt.timedelta(days=265),
            signage_on=today - dt.timedelta(days=95), published_on=today - dt.timedelta(days=90),
            published_where="示例市生态环境局门户网站“非现场执法设备公示”栏目", body_id=ecology.pk, actor=head)
        created["电子监控设备"] += 1
    if urban is not None:
        rule = Law.objects.filter(level=Law.Level.RULE).first()
        urban_heads = _staff(urban, today)[0]
        urban_item = Item.objects.filter(kind=Item.Kind.PENALTY, body=urban).order_by("code").first()
        if urban_heads and urban_item is not None:
            try:
                services.register_device(
                    code="CGJ-SP-001", name="人民路占道经营抓拍摄像机", kind="camera", item_code=urban_item.code,
                    location="示例市城中区人民路步行街口", basis_law_id=rule.pk if rule else None,
                    basis_article="第十二条" if rule else "", body_id=urban.pk, actor=_actor(urban_heads[0]))
            except Refused as exc:
                say(f"演示：城市管理局登记“人民路占道经营抓拍摄像机”被拒绝（{exc.violations[0].code}）：{exc.violations[0].message}")
    rows, files = [], {}
    start = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(2, 0))
    for n in range(20):
        name = f"shj-zx-001-{n:02d}.png"
        files[name] = SimpleUploadedFile(name, _image(n), content_type="image/png")
        rows.append({"taken_at": (start + dt.timedelta(hours=7 * n)).isoformat(), "subject": "示例热电厂有限公司",
                     "file": name, "description": "二氧化硫小时均值超过排放标准", "measured_value": f"{120 + n * 3} mg/m³",
                     "party_name": "示例热电厂有限公司", "party_id_code": "91650200MA0000201F"})
    import json

    batch = services.import_captures(device.pk, rows=inputs.parse_manifest("demo.json", json.dumps(rows).encode()),
                                     files=files, manifest_name="demo.json", actor=officer)
    created["电子监控记录"] += batch.created
    captures = list(Capture.objects.filter(device=device).order_by("taken_at"))
    for n, c in enumerate(captures[:10]):
        if n < 6:  # the first: a passer-by's face marked, blurred on the party's page
            services.review_capture(c.pk, accepted=True, actor=officer, regions=[] if n else [
                {"x": 0.05, "y": 0.1, "w": 0.2, "h": 0.3, "kind": "face"}])
        else:
            services.review_capture(c.pk, accepted=False, reason_code=REJECTIONS[n - 6],
                                    reason="夜间图像模糊" if REJECTIONS[n - 6] == "unclear" else "", actor=officer)
    first = services.capture_to_case(captures[0].pk, party_kind="organisation", actor=officer)
    services.capture_to_case(captures[1].pk, case_id=first.case_id, actor=officer)
    say(f"演示：非现场执法当事人查询码 {first.lookup_code}（案件 {first.case.number}）。")
    return created
