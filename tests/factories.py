"""Factories for the registry and a fixed small world mirroring the demo accounts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import factory
from django.contrib.auth.models import User

from zhifa.catalog.models import Item
from zhifa.registry.models import Body, Certificate, Jurisdiction, Officer, SupervisionPost

PASSWORD = "zhifa-demo"


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"区划{n}")
    level = Jurisdiction.Level.CITY


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    code = factory.Sequence(lambda n: f"B{n:04d}")
    name = factory.Sequence(lambda n: f"示例执法局{n}")
    short_name = factory.Sequence(lambda n: f"示{n}")
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    legal_representative = "张三"
    address = "示例市人民路1号"
    supervision_phone = "0990-1234567"
    supervision_email = "jd@example.gov.cn"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"执法员{n}")
    id_number = factory.Sequence(lambda n: f"650200{19800101 + n // 10000:08d}{n % 10000:04d}")  # 18 characters, however long the suite
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    officer = factory.SubFactory(OfficerFactory)
    number = factory.Sequence(lambda n: f"65020000{n:06d}")
    issued_on = dt.date(2023, 1, 1)
    expires_on = dt.date(2028, 1, 1)
    exam_score = 85


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    code = factory.Sequence(lambda n: f"ITEM-{n:05d}")
    name = factory.Sequence(lambda n: f"对某违法行为的处罚{n}")
    kind = Item.Kind.PENALTY
    legal_basis = "《中华人民共和国行政处罚法》第二十八条"
    body = factory.SubFactory(BodyFactory)
    valid_from = dt.date(2024, 1, 1)


def make_user(username: str, **extra) -> User:
    user = User(username=username, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@dataclass
class World:
    city: Jurisdiction
    county: Jurisdiction
    township: Jurisdiction
    other_city: Jurisdiction
    market: Body
    urban: Body
    township_bureau: Body
    county_body: Body
    foreign_body: Body
    officers: dict[str, Officer] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def staff(username: str | None, body: Body, name: str, *, certificate: str | None = "valid", today: dt.date, **flags) -> Officer:
    """An officer with (optionally) a login and a certificate in the given state."""
    user = make_user(username) if username else None
    officer = OfficerFactory(body=body, name=name, user=user, **flags)
    if certificate == "valid":
        CertificateFactory(officer=officer, issued_on=today - dt.timedelta(days=400), expires_on=today + dt.timedelta(days=1000))
    elif certificate == "expired":
        CertificateFactory(officer=officer, issued_on=today - dt.timedelta(days=2000), expires_on=today - dt.timedelta(days=10))
    elif certificate == "revoked":
        CertificateFactory(
            officer=officer, issued_on=today - dt.timedelta(days=400), expires_on=today + dt.timedelta(days=1000),
            status=Certificate.Status.REVOKED, revocation_reason=Certificate.RevocationReason.RETIREMENT,
            status_changed_on=today - dt.timedelta(days=5),
        )
    return officer


def build_world(today: dt.date) -> World:
    city = JurisdictionFactory(code="650200", name="示例市", level=Jurisdiction.Level.CITY)
    county = JurisdictionFactory(code="650203", name="示例区", level=Jurisdiction.Level.COUNTY, parent=city)
    township = JurisdictionFactory(code="650203001", name="示例镇", level=Jurisdiction.Level.TOWNSHIP, parent=county)
    other_city = JurisdictionFactory(code="650100", name="邻市", level=Jurisdiction.Level.CITY)
    market = BodyFactory(code="SJJ", name="示例市市场监督管理局", short_name="示市监", jurisdiction=city, sector=Body.Sector.MARKET)
    urban = BodyFactory(code="CGJ", name="示例市城市管理局", short_name="示城管", jurisdiction=city, sector=Body.Sector.URBAN)
    county_body = BodyFactory(code="QSJJ", name="示例区市场监督管理局", short_name="示区监", jurisdiction=county, sector=Body.Sector.MARKET)
    township_bureau = BodyFactory(
        code="ZZHZF", name="示例镇综合行政执法队", short_name="示镇综执", jurisdiction=township,
        sector=Body.Sector.COMPREHENSIVE, is_township_bureau=True, parent_department=county_body,
    )
    foreign_body = BodyFactory(code="LSJJ", name="邻市市场监督管理局", jurisdiction=other_city, sector=Body.Sector.MARKET)
    w = World(city, county, township, other_city, market, urban, township_bureau, county_body, foreign_body)
    o = w.officers
    o["officer1"] = staff("officer1", market, "李明", today=today)
    o["officer2"] = staff("officer2", market, "王芳", today=today)
    o["officer3"] = staff("officer3", market, "赵强", certificate="expired", today=today)
    o["aux1"] = staff("aux1", market, "孙丽", certificate=None, is_auxiliary=True, today=today)
    o["reviewer1"] = staff("reviewer1", market, "周律", is_legal_reviewer=True, has_legal_qualification=True, today=today)
    o["head1"] = staff("head1", market, "陈局", is_head=True, today=today)
    o["officer_other"] = staff("officer_other", urban, "吴城", today=today)
    for username, officer in o.items():
        w.users[username] = officer.user
    w.users["supervisor"] = make_user("supervisor")
    SupervisionPost.objects.create(user=w.users["supervisor"], jurisdiction=city, office="示例市司法局行政执法监督科", name="刘监")
    w.users["admin"] = make_user("admin", is_superuser=True, is_staff=True)
    return w
