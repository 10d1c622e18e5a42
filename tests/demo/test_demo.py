"""`zhifa demo`: the demo city of contract.md — accounts, minima, registry stories, idempotence,
determinism (Foundation item 7)."""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from zhifa.catalog.models import Item
from zhifa.demo import city, people
from zhifa.cases.models import Case
from zhifa.catalog.models import Benchmark, Law
from zhifa.inspections.models import Entity
from zhifa.demo.generator import DEMO_PASSWORD, load_demo, plan_city
from zhifa.registry import rules, services
from zhifa.registry.access import Role, actor_for
from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import Delegation
from zhifa.registry.models import Assignment, Body, Certificate, Jurisdiction, Officer, TrainingRecord

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    """The demo city with generated items only (fast); ``demo_full`` imports the real lists."""
    return load_demo(today=TODAY, real_lists=False, cases=False, inspections=False)


@pytest.fixture
def demo_full(db, media_root):
    return load_demo(today=TODAY, real_lists=True)


def actor(username):
    return actor_for(get_user_model().objects.get(username=username))


def state(officer):
    return services.certificate_state_of(officer, TODAY)


# --- Accounts (contract.md "Demo data and accounts") ---------------------------------------

def test_demo_accounts_have_the_contract_roles(demo):
    market = Body.objects.get(code=city.MARKET_BODY)
    assert market.sector == Body.Sector.MARKET and market.jurisdiction.level == Jurisdiction.Level.CITY

    admin = actor("admin")
    assert admin.is_admin and admin.user.is_staff

    supervisor = actor("supervisor")
    assert supervisor.is_supervisor
    assert supervisor.jurisdiction_path == Jurisdiction.objects.get(level=Jurisdiction.Level.CITY).path
    assert "司法局" in supervisor.user.supervision_post.office

    for username in ("officer1", "officer2"):
        a = actor(username)
        assert a.primary_role is Role.OFFICER and a.body_id == market.pk
        assert state(a.officer) is rules.CertificateState.VALID
        assert rules.may_act(services.officer_facts(a.officer), TODAY) == []

    officer3 = actor("officer3")
    assert officer3.body_id == market.pk and officer3.primary_role is Role.OFFICER
    assert state(officer3.officer) is rules.CertificateState.EXPIRED

    aux1 = actor("aux1")
    assert aux1.primary_role is Role.AUXILIARY and aux1.body_id == market.pk and aux1.officer.is_auxiliary

    reviewer1 = actor("reviewer1")
    assert reviewer1.has(Role.LEGAL_REVIEWER) and reviewer1.body_id == market.pk
    assert reviewer1.officer.has_legal_qualification

    head1 = actor("head1")
    assert head1.has(Role.HEAD) and head1.body_id == market.pk
    assert market.legal_representative == head1.officer.name

    other = actor("officer_other")
    assert other.officer.body.code == city.URBAN_BODY and other.officer.body.sector == Body.Sector.URBAN
    assert state(other.officer) is rules.CertificateState.VALID


def test_demo_accounts_share_the_demo_password(demo):
    users = get_user_model().objects.filter(
        username__in=["admin", "supervisor", "officer1", "officer2", "officer3", "aux1", "reviewer1", "head1", "officer_other"]
    )
    assert users.count() == 9
    assert all(u.check_password(DEMO_PASSWORD) for u in users)
    assert len({u.password for u in users}) == 1  # hashed once, reused


def test_demo_officers_do_not_expire_soon(demo):
    """officer1, officer2, head1, reviewer1, officer_other stay usable for the life of a demo."""
    for username in ("officer1", "officer2", "head1", "reviewer1", "officer_other"):
        cert = Certificate.objects.filter(officer__user__username=username).order_by("-issued_on").first()
        assert cert.expires_on > TODAY + dt.timedelta(days=365)


# --- Contract minima -------------------------------------------------------------------------

def test_demo_city_meets_the_contract_minima(demo_full):
    assert Jurisdiction.objects.filter(level=Jurisdiction.Level.CITY).count() == 1
    assert Jurisdiction.objects.filter(level=Jurisdiction.Level.COUNTY).count() >= 3
    assert Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWNSHIP).count() >= 10
    assert Body.objects.count() >= 20
    sectors = set(Body.objects.values_list("sector", flat=True))
    assert {"market", "urban", "ecology", "transport", "emergency", "agriculture", "culture", "health",
            "natural_resources", "housing", "water", "comprehensive"} <= sectors
    assert Body.objects.filter(is_township_bureau=True).count() >= 10
    assert set(Body.objects.values_list("kind", flat=True)) == {"statutory", "authorized", "entrusted"}

    certified = Officer.objects.filter(is_auxiliary=False, certificates__isnull=False).distinct().count()
    assert certified >= 300
    assert Officer.objects.filter(is_auxiliary=True).count() >= 30
    assert Officer.objects.filter(is_legal_reviewer=True).count() >= 40

    assert Item.objects.count() >= 200
    assert not Item.objects.filter(legal_basis="").exists()
    # The four real lists came in through the importer, with their source file.
    for code in ("SJJ", "SHJ", "JTJ", "YJJ"):
        imported = Item.objects.filter(body__code=code)
        assert imported.count() >= 100, code
        assert "权责清单" in imported.first().source

    # Legal knowledge, cases in every state, and the entity database (contract.md "Demo data").
    from zhifa.cases.workflow import STATES

    assert Law.objects.count() >= 20 and Benchmark.objects.filter(status="published").count() >= 100
    assert set(Case.objects.values_list("state", flat=True)) == set(STATES)
    assert Entity.objects.count() >= 10_000
    # Flexible acts of each form; off-site: the lawful device (the one without a basis was refused),
    # a batch of captures half reviewed, two accepted ones in a case (issue 16).
    from zhifa.cases.models import FlexibleAct
    from zhifa.offsite.models import Capture, Device

    assert set(FlexibleAct.objects.values_list("kind", flat=True)) == {"guidance", "persuasion", "demonstration", "warning", "interview"}
    assert list(Device.objects.values_list("code", flat=True)) == ["SHJ-ZX-001"]
    assert Capture.objects.count() == 20 and Capture.objects.filter(state="pending").count() == 10
    assert Capture.objects.filter(case__isnull=False).count() == 2
    # R31: the files of the closed and archived cases are bound (archiving binds; the demo binds the closed).
    assert Case.objects.filter(state__in=("closed", "archived")).exists()
    assert not Case.objects.filter(state__in=("closed", "archived"), case_files__isnull=True).exists()

    # A second full run, on another day, adds nothing.
    before = counts()
    load_demo(today=TODAY + dt.timedelta(days=3), real_lists=True)
    assert counts() == before
    # Each run left one record entry; the real lists came through run_import, which recorded them.
    from zhifa.core.ledger import RecordEntry

    runs = list(RecordEntry.objects.filter(stream="import:demo").order_by("seq"))
    assert [r.action for r in runs] == ["load_demo", "load_demo"]
    assert sum(runs[0].payload["created"].values()) > 0 and sum(runs[1].payload["created"].values()) == 0
    assert RecordEntry.objects.filter(stream="import:items", action="import").count() == 4


def test_r01_every_body_has_every_published_field(demo):
    for body in Body.objects.all():
        for field in ("name", "short_name", "legal_representative", "powers", "legal_basis",
                      "responsibility_boundary", "address", "supervision_phone", "supervision_email"):
            assert getattr(body, field), (body.code, field)
        assert body.officers.filter(is_head=True, name=body.legal_representative).exists()
        if body.is_township_bureau:
            assert body.parent_department is not None
            assert body.jurisdiction.level == Jurisdiction.Level.TOWNSHIP
        if body.kind == Body.Kind.ENTRUSTED:
            assert body.entrusted_by is not None


def test_r04_certificates_in_every_state(demo):
    officers = list(services.with_current_certificate(Officer.objects.filter(is_auxiliary=False)))
    states = Counter(services.certificate_state_of(o, TODAY) for o in officers)
    for s in rules.CertificateState:
        assert states[s] >= 1, s
    expiring = [o for o in officers if rules.certificate_expiry_flag(services.certificate_facts_of(o), TODAY, 90)
                is rules.FlagKind.CERTIFICATE_EXPIRING]
    assert len(expiring) >= 5
    revoked = Certificate.objects.filter(status=Certificate.Status.REVOKED)
    assert revoked.exists()
    assert all(c.revocation_reason and c.status_changed_on for c in revoked)
    # Officers who left on transfer, retirement … are recorded as having left.
    assert Officer.objects.filter(status=Officer.Status.LEFT, is_auxiliary=False).exclude(left_reason="").exists()
    assert not Officer.objects.filter(is_auxiliary=True, certificates__isnull=False).exists()


def test_registry_health_view_has_a_story_to_tell(demo):
    """R04, R06, R07, R08: the supervisor sees every kind of registry flag."""
    flags = services.health_flags(actor("supervisor"), TODAY)
    kinds = Counter(f.kind for f in flags)
    for kind in rules.FlagKind:
        assert kinds[kind] >= 1, kind
    assert kinds[rules.FlagKind.NO_LEGAL_REVIEWER] == 1
    assert kinds[rules.FlagKind.REVIEWER_UNQUALIFIED] == 1
    assert kinds[rules.FlagKind.HEAD_INEXPERIENCED] == 1
    # Most officers reach the yearly training hours; some fall short.
    active = Officer.objects.filter(is_auxiliary=False, status=Officer.Status.ACTIVE).count()
    assert 0 < kinds[rules.FlagKind.TRAINING_SHORTFALL] < active * 0.3
    assert TrainingRecord.objects.filter(held_on__year=TODAY.year).exists()
    assert Assignment.objects.filter(kind=Assignment.Kind.SECONDMENT).count() >= 3


def test_r03_township_bureaus_hold_delegated_items_with_periods(demo):
    township_bureaus = Body.objects.filter(is_township_bureau=True)
    for bureau in township_bureaus:
        delegations = Delegation.objects.filter(to_body=bureau).select_related("item", "from_body")
        assert delegations.exists(), bureau.code
        for d in delegations:
            assert d.item.body_id == d.from_body_id
            assert d.from_body.jurisdiction_id == bureau.jurisdiction.parent_id  # a county department
            assert d.valid_from and d.document_ref
        competence = catalog_selectors.competence_of(bureau.pk)
        assert any(competence.covers(d.item_id, TODAY) for d in delegations)
    assert Delegation.objects.filter(kind=Delegation.Kind.ENTRUSTMENT).exists()
    assert Delegation.objects.filter(valid_to__lt=TODAY).exists()  # an ended trial
    assert Delegation.objects.filter(revoked_on__isnull=False).exists()  # one taken back


# --- Idempotence and determinism --------------------------------------------------------------

def counts():
    return {m.__name__: m.objects.count() for m in
            (Jurisdiction, Body, Officer, Certificate, TrainingRecord, Assignment, Delegation, Item, get_user_model(),
             Case, Entity, Benchmark, Law)}


def test_running_twice_never_duplicates(demo):
    before = counts()
    again = load_demo(today=TODAY, real_lists=False, cases=False, inspections=False)
    assert counts() == before
    assert sum(again.created.values()) == 0


def test_a_larger_scale_adds_officers_without_touching_existing_ones(demo):
    officer1 = Officer.objects.get(user__username="officer1")
    before = Officer.objects.count()
    load_demo(today=TODAY, real_lists=False, scale=1.5, cases=False, inspections=False)
    assert Officer.objects.count() > before * 1.3
    assert Officer.objects.get(user__username="officer1") == officer1
    assert get_user_model().objects.count() == 9


def test_same_seed_same_officers():
    first = plan_city(seed=7, today=TODAY)
    second = plan_city(seed=7, today=TODAY)
    names = lambda plans: [(p.staff_no, p.name, p.id_number) for ps in plans.values() for p in ps]  # noqa: E731
    assert names(first) == names(second)
    # Whatever the day the demo is loaded on, the same people (ages, dates move with the day).
    later = plan_city(seed=7, today=TODAY + dt.timedelta(days=400))
    assert [n[:2] for n in names(later)] == [n[:2] for n in names(first)]
    assert names(plan_city(seed=8, today=TODAY)) != names(first)


def test_same_seed_same_officers_in_the_database(db):
    load_demo(seed=11, today=TODAY, real_lists=False, cases=False, inspections=False)
    stored = sorted(Officer.objects.values_list("staff_no", "name"))
    planned = sorted((p.staff_no, p.name) for ps in plan_city(seed=11, today=TODAY).values() for p in ps)
    assert stored == planned


def test_scale_multiplies_officers():
    base = sum(len(ps) for ps in plan_city(today=TODAY).values())
    double = sum(len(ps) for ps in plan_city(today=TODAY, scale=2).values())
    assert 1.8 * base <= double <= 2.2 * base


# --- People ----------------------------------------------------------------------------------

def test_gb11643_check_digit_of_the_standard_example():
    assert people.id_check_digit("11010519491231002") == "X"
    assert people.is_valid_id_number("11010519491231002X")
    assert not people.is_valid_id_number("110105194912310021")


@given(st.integers(min_value=0, max_value=2**32), st.booleans())
def test_generated_id_numbers_are_well_formed(seed, male):
    import random

    rng = random.Random(seed)
    birth = people.birth_date(rng, TODAY, 20, 60)
    number = people.id_number(rng, "650202", birth, male)
    assert people.is_valid_id_number(number)
    assert int(number[16]) % 2 == (1 if male else 0)  # GB 11643 §7.3: odd for men
    assert number[6:14] == birth.strftime("%Y%m%d")


def test_stored_people_are_well_formed(demo):
    for id_number, phone in Officer.objects.values_list("id_number", "phone"):
        assert people.is_valid_id_number(id_number), id_number
        assert len(phone) == 11 and phone.startswith("1") and phone.isdigit()


# --- The command -----------------------------------------------------------------------------

def test_command_prints_a_summary_and_if_empty_skips_a_loaded_database(db):
    out = io.StringIO()
    call_command("demo", "--no-real-lists", "--registry-only", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "演示数据已就绪" in text and "执法主体" in text and "officer_other" in text
    before = counts()
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue()
    assert counts() == before
