"""Schema-driven fuzzing of the whole JSON API (contract.md: "never a 500").

Schemathesis reads ``/api/v1/openapi.json`` from the Django app in process (WSGI) and, for every
operation, generates requests that fit the schema (positive) and requests that break it
(negative); each is sent as one of a few users (officer1, head1, reviewer1, supervisor, the
anonymous public). Path ids, and id fields of JSON bodies, are often those of real objects (bodies,
officers, certificates, items with a draft and a published benchmark, cases registered, in
investigation with a seizure, investigated and decided with their documents, an inspection plan,
task, draw and inspection), so the services behind the routes run, not only their 404 branch.

``POST /cases/{id}/actions/{action}`` takes a free ``dict`` in OpenAPI (the per-action shape is
checked in ``cases/api.py``); here it is split into one operation per action whose body schema is
that action's input model, so each action's service sees well-formed and malformed payloads.

Checked: the status is below 500, a 4xx answer is JSON, a 422 names its fields in Chinese, and
no foreign key dangles (checked before the savepoint of each example is rolled back: in
production it would fail at COMMIT). The examples are independent and, with ``derandomize``,
deterministic. ``ZHIFA_FUZZ_EXAMPLES=60`` hunts longer; ``ZHIFA_FUZZ_STATS=file`` logs every
answer; run it with ``DATABASE_URL`` too (NUL characters and bigint overflow fail only there).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import os
from decimal import Decimal

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.conftest import TODAY, ApiClient
from tests.factories import ItemFactory, build_world
from zhifa.core import clock, workdays


class _App(WSGIHandler):
    """Django's WSGI handler without closing the database connection around each request (the
    test client does the same): the module's world lives in one transaction, which closing the
    connection would end (on PostgreSQL; an in-memory SQLite connection is never closed)."""

    def __call__(self, environ, start_response):
        _keep_connection()
        return super().__call__(environ, start_response)


def _keep_connection() -> None:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def _restore_connection_handling() -> None:
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


APP = _App()
STATS = os.environ.get("ZHIFA_FUZZ_STATS")  # a file to append "operation, user, status, body" lines to
# Hypothesis favours the first choices; the anonymous public comes last.
USERS = ["officer1", "head1", "reviewer1", "supervisor", None]
EXAMPLES = int(os.environ.get("ZHIFA_FUZZ_EXAMPLES", "15"))  # raise it for a longer hunt
# Operations whose every call does real work (PDF rendering, uploads): fewer examples. The 47
# case actions share most of their code: fewer each, to keep the module near a minute.
SLOW = {"/api/v1/documents/preview": 5, "/api/v1/cases/{case_id}/evidence": 5}
ACTION_EXAMPLES = max(1, EXAMPLES * 2 // 3)
PREFIX = "/api/v1"
# The test database is set up for marked tests; the module's world (fixture ``env``) is built
# once inside it, and each test's own transaction nests in the module's.
pytestmark = pytest.mark.django_db


def _action_schema() -> dict:
    """The OpenAPI document with the case action endpoint split per action (body = that action's
    input model, definitions moved to components)."""
    from zhifa.cases import inputs, workflow
    from zhifa.cases.api import ReissueIn

    INPUTS = {a.code: inputs.schema_of(a) for a in workflow.ACTIONS}

    raw = copy.deepcopy(schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", APP).raw_schema)
    template = f"{PREFIX}/cases/{{case_id}}/actions/{{action}}"
    generic = raw["paths"].pop(template)["post"]
    components = raw.setdefault("components", {}).setdefault("schemas", {})
    for code, model in sorted(INPUTS.items()):
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in body.pop("$defs", {}).items():
            components.setdefault(name, definition)
        operation = copy.deepcopy(generic)
        operation["operationId"] = f"case_action_{code}"
        operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "action"]
        operation["requestBody"] = {"content": {"application/json": {"schema": body}}, "required": True}
        raw["paths"][f"{PREFIX}/cases/{{case_id}}/actions/{code}"] = {"post": operation}
    # The re-issue of a case document also takes a free dict, checked as ``ReissueIn``.
    reissue = raw["paths"][f"{PREFIX}/cases/{{case_id}}/documents/{{document_id}}/reissue"]["post"]
    reissue["requestBody"] = {"content": {"application/json": {"schema": ReissueIn.model_json_schema()}}, "required": True}
    return raw


SCHEMA = schemathesis.openapi.from_dict(_action_schema())
_restore_connection_handling()
SCHEMA.app = APP
OPERATIONS = sorted((op.ok() for op in SCHEMA.get_all_operations()), key=lambda op: (op.path, op.method))


@pytest.fixture(scope="module")
def env(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the whole module (built once, rolled back at the end): users' tokens and the
    ids of real objects for the path parameters."""
    media = tmp_path_factory.mktemp("media")
    from django.conf import settings as django_settings

    zhifa = {**django_settings.ZHIFA, "DOCUMENT_RENDERING": "deferred"}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, ZHIFA=zhifa), clock.frozen(TODAY):
        workdays.clear_cache()
        with transaction.atomic():
            yield _build(build_world(TODAY))
            transaction.set_rollback(True)
        workdays.clear_cache()
    _restore_connection_handling()


def _build(world) -> dict:
    from tests.cases.conftest import CaseWorld
    from tests.inspections.conftest import make_entities
    from zhifa.cases.models import Seizure
    from zhifa.catalog.models import Benchmark, BenchmarkGrade, Factor
    from zhifa.documents import samples
    from zhifa.documents import services as documents
    from zhifa.documents.models import Document
    from zhifa.inspections.models import Inspection, InspectionItem
    from zhifa.registry.access import actor_for
    from zhifa.registry.models import Assignment, Certificate

    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条", valid_from=dt.date(2020, 1, 1))
    benchmark = Benchmark.objects.create(
        item=item, body=world.market, version="2024版", status=Benchmark.Status.DRAFT, valid_from=dt.date(2024, 1, 1),
        title="示例市市场监管局行政处罚裁量基准（2024版）第1项", legal_basis="《中华人民共和国食品安全法》第一百二十四条",
    )
    for order, (name, low, high) in enumerate([("轻微", 0, 10000), ("一般", 10000, 50000)], 1):
        BenchmarkGrade.objects.create(benchmark=benchmark, order=order, name=name, conditions=f"情节{order}",
                                      penalty_kinds=["fine"], amount_min=Decimal(low), amount_max=Decimal(high),
                                      standard_text=f"处{low}元以上{high}元以下罚款")
    published = ItemFactory(body=world.market, code="SJJ-CF-002", name="对生产不符合食品安全标准的食品的处罚",
                            legal_basis="《中华人民共和国食品安全法》第一百二十四条", valid_from=dt.date(2020, 1, 1))
    in_force = Benchmark.objects.create(
        item=published, body=world.market, version="2024版", status=Benchmark.Status.PUBLISHED, valid_from=dt.date(2024, 1, 1),
        published_on=dt.date(2024, 1, 1), title="示例市市场监管局行政处罚裁量基准（2024版）第2项",
        legal_basis="《中华人民共和国食品安全法》第一百二十四条",
    )
    for order, (name, low, high) in enumerate([("轻微", 0, 10000), ("一般", 10000, 50000), ("严重", 50000, 100000)], 1):
        BenchmarkGrade.objects.create(benchmark=in_force, order=order, name=name, conditions=f"情节{order}",
                                      penalty_kinds=["fine"], amount_min=Decimal(low), amount_max=Decimal(high),
                                      standard_text=f"处{low}元以上{high}元以下罚款")
    Factor.objects.create(benchmark=in_force, kind="aggravating", code="repeat", description="再次违法", effect="heavier",
                          citation="示范基准第五条", mandatory=True)
    cw = CaseWorld(world, item)
    registered = cw.register(party_name="第四商贸有限公司")
    investigating = cw.walk(cw.register(), "investigating")
    investigated = cw.walk(cw.register(party_name="第三商贸有限公司"), "investigated")
    decided = cw.walk(cw.register(party_name="另一商贸有限公司"), "decided")
    document = documents.issue_document(kind="penalty_decision", body=world.market, data=samples.sample("penalty_decision"),
                                        actor=actor_for(world.users["officer1"]), subject="case:fuzz")

    tokens = {None: None}
    for username in USERS[:-1]:
        response = ApiClient().post(f"{PREFIX}/auth/token", {"username": username, "password": "zhifa-demo"})
        assert response.status_code == 200, response.content
        tokens[username] = response.json()["token"]

    # A seizure on the case in investigation (after the audio-visual record it requires).
    officer = ApiClient(tokens["officer1"])
    for action, body in [("record_evidence", {"kind": "video", "title": "查封现场录像", "act": "seizure", "is_av": True}),
                         ("seize", {"kind": "seizure", "items": [{"name": "过期食品", "quantity": "20箱"}]})]:
        response = officer.post(f"{PREFIX}/cases/{investigating.pk}/actions/{action}", body)
        assert response.status_code == 200, response.content
    seizure = Seizure.objects.get(case=investigating)

    # Double-random inspections through the API, as the head of the market bureau.
    head = ApiClient(tokens["head1"])
    inspection_item = InspectionItem.objects.create(
        code="SJ-001", name="食品经营者落实主体责任情况检查", body=world.market,
        legal_basis="《中华人民共和国食品安全法》第一百一十条", checklist=["持证经营", "进货查验记录"])
    entities = make_entities(12)
    plan = head.post(f"{PREFIX}/inspections/plans", {"body_id": world.market.pk, "year": 2026, "title": "2026年度抽查计划"})
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    task = head.post(f"{PREFIX}/inspections/plans/{plan_id}/tasks", {
        "title": "餐饮抽查", "item_ids": [inspection_item.pk], "sample_count": 3, "starts_on": "2026-11-01", "ends_on": "2026-12-31"})
    assert task.status_code == 201, task.content
    task_id = task.json()["id"]
    draw = head.post(f"{PREFIX}/inspections/tasks/{task_id}/draw", {})
    assert draw.status_code == 201, draw.content
    draw_id = draw.json()["id"]
    revealed = head.post(f"{PREFIX}/inspections/draws/{draw_id}/reveal", {"witness": "90817", "witness_name": "见证人"})
    assert revealed.status_code == 200, revealed.content
    inspection = Inspection.objects.filter(draw_id=draw_id).first()

    documents.render_pending()  # once here: a download in a rolled-back example would render again
    case_docs = list(Document.objects.filter(subject=decided.stream).values_list("pk", flat=True))
    assert case_docs
    known = {
        "body_id": [world.market.pk, world.urban.pk], "officer_id": [world.officers["officer1"].pk],
        "code": [published.code, item.code], "benchmark_id": [benchmark.pk],
        "case_id": [investigating.pk, investigated.pk, decided.pk, registered.pk],
        "certificate_id": list(Certificate.objects.filter(officer__body=world.market).values_list("pk", flat=True)[:2]),
        "assignment_id": list(Assignment.objects.filter(officer__body=world.market).values_list("pk", flat=True)[:1]),
        "document_id": [document.pk, *case_docs],
        "entity_id": [entities[0].pk], "plan_id": [plan_id], "task_id": [task_id], "draw_id": [draw_id],
        "inspection_id": [inspection.pk] if inspection else [],
        "day": ["2026-10-01", "2026-11-23"],
    }
    officers = [world.officers[name].pk for name in ("officer1", "officer2", "reviewer1", "head1")]
    # JSON body fields that name an object: real ids (a list field takes a list of them).
    fields = {
        "body_id": [world.market.pk, world.urban.pk], "body": [world.market.pk], "to_body_id": [world.urban.pk, world.township_bureau.pk],
        "officer_id": officers, "chair_id": officers, "reviewer_id": officers,
        "officer_ids": [officers[:2], officers[:1]], "replacement_ids": [officers[1:2]],
        "item_code": [item.code, published.code], "item_ids": [[inspection_item.pk]], "partner_ids": [[world.urban.pk]],
        "seizure_id": [seizure.pk], "act_date": ["2026-10-01"], "inspected_on": ["2026-11-23"],
        "entity_id": [entities[0].pk], "jurisdiction_id": [world.city.pk], "scope_jurisdiction_id": [world.city.pk],
    }
    return {"tokens": tokens, "known": {k: v for k, v in known.items() if v}, "fields": fields}


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _is_json(content: bytes) -> bool:
    try:
        json.loads(content)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path.removeprefix(PREFIX)}")
def test_no_server_error_on_any_input(env, operation):
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    known = {name: values for name, values in env["known"].items()
             if f"{{{name}}}" in operation.path}

    examples = ACTION_EXAMPLES if "/actions/" in operation.path else SLOW.get(operation.path, EXAMPLES)

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    @given(case=strategy, who=st.sampled_from(USERS), real=st.fixed_dictionaries(
        {name: st.one_of(st.sampled_from(values), st.none()) for name, values in known.items()}), data=st.data())
    def run(case, who, real, data):
        for name, value in real.items():
            if value is not None and case.path_parameters is not None:
                case.path_parameters[name] = value
        if isinstance(case.body, dict):
            for name in sorted(set(case.body) & set(env["fields"])):
                value = data.draw(st.one_of(st.sampled_from(env["fields"][name]), st.none()), label=name)
                if value is not None:
                    case.body[name] = value
        token = env["tokens"][who]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with transaction.atomic():
            response = case.call(headers=headers)
            # Foreign keys are checked at COMMIT, which the savepoint never reaches: check them
            # now, or a dangling id would pass here and be a 500 in production.
            connection.check_constraints()
            transaction.set_rollback(True)
        if STATS:
            with open(STATS, "a") as f:
                f.write(f"{operation.method.upper()} {operation.path}\t{who}\t{response.status_code}\t{response.content[:150]!r}\n")
        assert response.status_code < 500, (who, case.as_curl_command(headers=headers), response.content[:2000])
        if 400 <= response.status_code < 500:
            assert _is_json(response.content), (who, case.as_curl_command(headers=headers), response.content[:500])
        if response.status_code == 422:  # field messages in Chinese (contract.md)
            errors = json.loads(response.content).get("errors") or []
            assert all(_chinese(e.get("message") or "") for e in errors), (case.as_curl_command(headers=headers), errors)

    with clock.frozen(TODAY):
        run()


def test_unauthenticated_post_is_401_not_a_csrf_403():
    """Neither token nor session cookie: unauthenticated (contract.md), whatever the method."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(f"{PREFIX}/cases/1/actions/remind", "{}", content_type="application/json")
    assert response.status_code == 401 and response.json()["detail"]


def test_unrouted_api_url_is_a_json_404():
    """A URL under /api/ that no route matches (``-1`` misses the ``int`` converter) is the API's JSON 404."""
    from django.test import Client

    for path in ("/api/v1/documents/-1.pdf", "/api/v1/cases/1/documents/x.docx", "/api/v1/no-such-thing"):
        response = Client().get(path)
        assert response.status_code == 404 and response.json()["detail"], path
    assert Client().get("/no-such-page/").status_code == 404
    # Refused by Django before any view (more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters): JSON too.
    response = Client().get(f"{PREFIX}/items?" + "&".join(f"p{i}=1" for i in range(1200)))
    assert response.status_code == 400 and response.json()["detail"]


# --- The 500s the fuzzing found, kept as plain regression tests -----------------------------------

def _post(env, who, path, body):
    from django.test import Client

    return Client().post(PREFIX + path, json.dumps(body), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {env['tokens'][who]}")


def _nested(depth: int) -> dict:
    value: dict = {"facts": "x"}
    for _ in range(depth):
        value = {"a": [value]}
    return value


def test_free_json_with_nul_or_deep_nesting_is_422(env):
    """NUL in a JSON value or key (PostgreSQL's jsonb rejects it) and nesting deep enough to
    overflow the encoders were 500s: reissue corrections, preview data, seizure item lists."""
    from zhifa.documents.models import Document

    investigating, _, decided, _ = env["known"]["case_id"]
    doc = Document.objects.filter(pk__in=env["known"]["document_id"][1:]).order_by("pk").first()
    cases = [
        (f"/cases/{decided}/documents/{doc.pk}/reissue", {"corrections": {"facts": "违法\x00事实"}, "reason": "笔误"}, "corrections"),
        (f"/cases/{decided}/documents/{doc.pk}/reissue", {"corrections": {"a\x00": "x"}, "reason": "笔误"}, "corrections"),
        (f"/cases/{decided}/documents/{doc.pk}/reissue", {"corrections": _nested(300), "reason": "笔误"}, "corrections"),
        ("/documents/preview", {"kind": "penalty_decision", "data": _nested(300)}, "data"),
        (f"/cases/{investigating}/actions/seize", {"kind": "seizure", "items": [{"name": "桌\x00子"}]}, "items.0"),
        (f"/cases/{investigating}/actions/complete_review", {"result": "pass", "checklist": {"证据\x00": True}}, None),
    ]
    for path, body, field in cases:
        response = _post(env, "officer1", path, body)
        assert response.status_code == 422, (path, response.content)
        errors = response.json()["errors"]
        assert all(_chinese(e["message"]) for e in errors), errors
        if field:
            assert errors[0]["field"] == field, errors


def test_inspection_result_case_id_beyond_bigint_is_422(env):
    """``case_id`` of an inspection result is a BigIntegerField: a larger id overflowed it (a 500)."""
    inspection_id = env["known"]["inspection_id"][0]
    response = _post(env, "officer1", f"/inspections/inspections/{inspection_id}/result",
                     {"inspected_on": "2026-11-23", "outcome": "case", "findings": "无证经营", "case_id": 2**63})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "case_id"


def test_pydantic_messages_are_chinese(env):
    """Pydantic's English messages (extra field, too many digits, too many items) are not shown."""
    investigating = env["known"]["case_id"][0]
    response = _post(env, "officer1", f"/cases/{investigating}/actions/remind", {"unexpected": 1})
    assert response.status_code == 422 and response.json()["errors"][0]["message"] == "不允许的字段"
    response = _post(env, "officer1", f"/cases/{investigating}/actions/pay", {"amount": "123456789012345.5"})
    assert response.status_code == 422 and all(_chinese(e["message"]) for e in response.json()["errors"])
