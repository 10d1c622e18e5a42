"""Case handling at volume (R14, issue 4 quality bar): whole case lives through the services and the API.

``run()`` returns rows ``(name, value, unit)`` for ``bench/run.py``. On the demo city's market
bureau (``load_demo`` without demo cases or inspections, loaded when the database is empty), it
takes N cases of the normal procedure (普通程序) from registration to archive, with the demo
accounts head1 (主体负责人) and officer1/officer2 (执法人员), in the order of
``tests/cases/test_api.py::test_r14_full_normal_procedure_through_the_api``:

    register → file → show_credentials → end_investigation → review_case → notify → record_defence
    → decide → serve → pay → close → archive                         (12 actions, 12 record entries)

first through ``zhifa.cases.services`` (one call per action, timed), then through the HTTP API
(Django test ``Client``, bearer tokens of ``POST /api/v1/auth/token``; every answer checked), and
reports cases per minute and p50/p95 ms per action for each path, beside ``GET /api/v1/me`` (the
trivial authenticated endpoint: token lookup + actor + a small JSON answer).

Documents: the document-producing actions (notify, record_defence, decide, serve, close …) issue
their documents through the document service. With ``ZHIFA["DOCUMENT_RENDERING"] = "immediate"``
(the default) each renders a PDF and a DOCX inside the action — about a second per action on two
busy cores, so 1,000 such cases would take hours. The volume therefore runs with rendering
deferred (``documents.services.render_mode("deferred")``: the document is checked, numbered and
its data stored in the transaction, the files rendered on first download), which measures the
workflow itself; a sample runs as configured by default. Rows say which: "documents deferred" or
"documents rendered (default)". Without a deferral switch, everything runs as configured.

Sizes (environment): ``ZHIFA_BENCH_CASES`` through the services (default 1000),
``ZHIFA_BENCH_API_CASES`` through the API (default: as many as through the services, 1,000, as issue 4 asks;
200 keeps ``make bench`` near five minutes
on two cores), ``ZHIFA_BENCH_RENDERED_CASES`` per path with default rendering (default 5, 0 to
skip). Also reported: the SQL queries of each action (one warm case through the services), and
``ledger.verify`` of every case's full-process record at the end (a broken chain fails the bench).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import json
import os
import time
from decimal import Decimal

from bench.timing import quantile_ms, setup_django

VIOLATED = "《中华人民共和国食品安全法》第三十四条第（十）项"  # 违反的条款, cited apart from the penalty basis (§F+)
ACTIONS = ("register", "file", "show_credentials", "end_investigation", "review_case", "notify", "record_defence", "decide", "serve", "pay",
           "close", "archive")
AMOUNT = Decimal("5000.00")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


class World:
    """The market bureau of the demo city, its head and two officers, and a penalty item it may
    enforce for which a 5,000-yuan fine to an organisation needs neither legal review nor hearing."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from zhifa.registry import access
        from zhifa.registry.models import Officer

        users = {u.username: u for u in get_user_model().objects.filter(username__in=["head1", "officer1", "officer2"])}
        self.head = access.actor_for(users["head1"])
        self.officer = access.actor_for(users["officer1"])
        self.officer_ids = [Officer.objects.get(user=users["officer1"]).pk, Officer.objects.get(user=users["officer2"]).pk]
        self.body_id = self.officer.body_id
        self.item_code = self._item()
        self.serial = 0

    def _item(self) -> str:
        """The first penalty item of the body's own competence whose whole case passes without
        legal review, hearing or an outside-benchmark reason (tried on a throw-away case, with
        rendering deferred when the document service can defer it)."""
        from django.db import transaction

        from zhifa.catalog.models import Item
        from zhifa.core.violations import Refused
        from zhifa.catalog import selectors as catalog

        defer = _deferred()
        own = sorted(catalog.competence_of(self.body_id).own_item_ids)
        refusals = []
        for item in Item.objects.filter(pk__in=own, kind=Item.Kind.PENALTY).order_by("code")[:30]:
            try:
                with (defer("deferred") if defer else _nothing()), transaction.atomic():
                    self.item_code = item.code
                    self.serial = 0
                    service_case(self, {})
                    transaction.set_rollback(True)
                return item.code
            except (Refused, AssertionError) as exc:
                refusals.append(f"{item.code}: {getattr(exc, 'violations', exc)}")
        raise RuntimeError("市场监管局没有可以完整办理的处罚事项：\n" + "\n".join(refusals[:5]))

    def new(self) -> dict:
        """The registration data of the next case (a different party each time: APL art.29 one fine per act)."""
        self.serial += 1
        from zhifa.core import clock

        return {
            "item_code": self.item_code, "party_kind": "organisation", "party_name": f"示例商贸有限公司{self.serial}",
            "party_id_code": f"91650200MA{self.serial:07d}X", "party_address": "示例市人民路2号",
            "party_legal_representative": "王示例",  # a decision names the organisation's representative (§F+)
            "act_date": clock.today() - dt.timedelta(days=30), "clue": "群众举报销售过期食品", "source": "complaint",
        }


@contextlib.contextmanager
def _nothing():
    yield


def service_case(w: World, times: dict[str, list[float]]) -> int:
    """One whole case through ``zhifa.cases.services``; appends each action's seconds to ``times``."""
    from zhifa.cases import services as s

    head, off = w.head, w.officer
    steps = [
        ("register", lambda: s.register_source(**w.new(), actor=off)),
        ("file", lambda: s.file_case(cid, officer_ids=w.officer_ids, actor=head)),
        ("show_credentials", lambda: s.show_credentials(cid, place="示例市人民路2号", actor=off)),  # R15: 亮证
        ("show_credentials", lambda: s.show_credentials(cid, actor=off)),
        ("end_investigation", lambda: s.end_investigation(cid, report="经调查，当事人销售过期食品属实。", facts="销售过期食品",
                                                          proposed_kinds=["fine"], proposed_amount=AMOUNT,
                                                          violated_provision=VIOLATED, actor=off)),
        ("review_case", lambda: s.review_case(cid, opinion="事实清楚，同意", actor=head)),
        ("notify", lambda: s.notify(cid, kinds=["fine"], amount=AMOUNT, actor=off)),
        ("record_defence", lambda: s.record_defence(cid, statement="当事人称不知道食品过期", actor=off)),
        ("decide", lambda: s.decide(cid, outcome="penalty", kinds=["fine"], amount=AMOUNT, reasoning="当事人销售过期食品，依法应予处罚。",
                                    actor=head)),
        ("serve", lambda: s.serve(cid, actor=off)),
        ("pay", lambda: s.pay(cid, amount=AMOUNT, actor=off)),
        ("close", lambda: s.close_case(cid, actor=head)),
        ("archive", lambda: s.archive_case(cid, actor=off)),
    ]
    cid = None
    for name, step in steps:
        started = time.perf_counter()
        result = step()
        times.setdefault(name, []).append(time.perf_counter() - started)
        if cid is None:
            cid = result.pk
    state = s.Case.objects.filter(pk=cid).values_list("state", flat=True).get()
    assert state == "archived", state
    return cid


class Api:
    """A Django test client speaking JSON with a bearer token (as ``tests/conftest.py``)."""

    def __init__(self, username: str):
        from django.test import Client

        self.client = Client()
        response = self.client.post("/api/v1/auth/token", json.dumps({"username": username, "password": "zhifa-demo"}),
                                    content_type="application/json")
        assert response.status_code == 200, response.content
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    def get(self, path: str):
        return self.client.get(path, **self.headers)

    def post(self, path: str, data: dict | None = None):
        return self.client.post(path, json.dumps(data or {}, default=str), content_type="application/json", **self.headers)


def api_case(w: World, officer: Api, head: Api, times: dict[str, list[float]]) -> int:
    """One whole case through the API; every answer's status checked, the final state too."""
    amount = str(AMOUNT)
    started = time.perf_counter()
    response = officer.post("/api/v1/cases", w.new())
    times.setdefault("register", []).append(time.perf_counter() - started)
    assert response.status_code == 201, response.content.decode()
    cid = response.json()["id"]
    steps = [
        (head, "file", {"officer_ids": w.officer_ids}),
        (officer, "show_credentials", {"place": "示例市人民路2号"}),
        (officer, "show_credentials", {}),
        (officer, "end_investigation", {"report": "销售过期食品属实", "facts": "销售过期食品", "proposed_kinds": ["fine"],
                                        "proposed_amount": amount, "violated_provision": VIOLATED}),
        (head, "review_case", {"opinion": "同意"}),
        (officer, "notify", {"kinds": ["fine"], "amount": amount}),
        (officer, "record_defence", {"statement": "当事人称不知道食品过期"}),
        (head, "decide", {"outcome": "penalty", "kinds": ["fine"], "amount": amount, "reasoning": "应予处罚"}),
        (officer, "serve", {"method": "direct"}),
        (officer, "pay", {"amount": amount}),
        (head, "close", {}),
        (officer, "archive", {}),
    ]
    body = {}
    for client, action, data in steps:
        started = time.perf_counter()
        response = client.post(f"/api/v1/cases/{cid}/actions/{action}", data)
        times.setdefault(action, []).append(time.perf_counter() - started)
        assert response.status_code == 200, f"{action}: {response.status_code} {response.content.decode()[:500]}"
        body = response.json()
    assert body["state"] == "archived", body["state"]
    return cid


def _drive(label: str, n: int, one, between=None) -> tuple[list[tuple[str, float, str]], list[int]]:
    """Run ``one(times)`` n times; rows: cases per minute, then p50/p95 of each action.
    ``between()`` runs after each case, outside the measured time."""
    if n <= 0:
        return [], []
    times: dict[str, list[float]] = {}
    one({})  # warm up: templates, fonts, the calendar cache, the token
    ids = []
    elapsed = 0.0
    for _ in range(n):
        started = time.perf_counter()
        ids.append(one(times))
        elapsed += time.perf_counter() - started
        if between is not None:
            between()
    rows = [(f"{label}: {n} whole cases", n / elapsed * 60, "cases/min")]
    for action in ACTIONS:
        if action in times:
            rows.append((f"{label}: {action} p50", quantile_ms(times[action], 0.5), "ms"))
            rows.append((f"{label}: {action} p95", quantile_ms(times[action], 0.95), "ms"))
    per_case = [sum(t[i] for t in times.values()) for i in range(n)]
    rows.append((f"{label}: whole case ({len(ACTIONS)} actions) p50", quantile_ms(per_case, 0.5), "ms"))
    rows.append((f"{label}: whole case ({len(ACTIONS)} actions) p95", quantile_ms(per_case, 0.95), "ms"))
    return rows, ids


class Me:
    """``GET /api/v1/me``, the trivial authenticated endpoint: token, actor, a small JSON answer."""

    def __init__(self, client: Api):
        self.client = client
        self.samples: list[float] = []
        for _ in range(5):
            client.get("/api/v1/me")

    def sample(self, repeat: int = 1) -> None:
        for _ in range(repeat):
            started = time.perf_counter()
            response = self.client.get("/api/v1/me")
            self.samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code

    def rows(self, label: str) -> list[tuple[str, float, str]]:
        n = len(self.samples)
        return [(f"GET /api/v1/me (trivial authenticated), {label}, {n} calls p50", quantile_ms(self.samples, 0.5), "ms"),
                (f"GET /api/v1/me (trivial authenticated), {label}, {n} calls p95", quantile_ms(self.samples, 0.95), "ms")]


def _deferred():
    """The document service's context manager that defers rendering (``render_mode("deferred")``), or None."""
    try:
        from zhifa.documents import services as documents
    except ImportError:
        return None
    for name in ("render_mode", "rendering"):
        switch = getattr(documents, name, None)
        if callable(switch) and not inspect.ismodule(switch):
            return switch
    return None


def _rendering_mode() -> str:
    try:
        from zhifa.documents import services as documents
    except ImportError:
        return "none"
    mode = getattr(documents, "rendering_mode", None)
    return mode() if mode else "immediate"


def _queries(w: World) -> list[tuple[str, float, str]]:
    """SQL queries of each action of one whole case through the services (bounded: issue 4)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    service_case(w, {})  # warm: the calendar, the competence and the lists caches
    counts: dict[str, int] = {}

    class Counting(dict):
        def setdefault(self, name, default):
            counts[name] = len(ctx) - sum(counts.values())
            return default

    with CaptureQueriesContext(connection) as ctx:
        service_case(w, Counting())
    return [(f"services: {a} SQL queries", counts[a], "queries") for a in ACTIONS if a in counts]


def run() -> list[tuple[str, float, str]]:
    setup_django()
    from zhifa.core import ledger, workdays
    from zhifa.registry.models import Body

    rows: list[tuple[str, float, str]] = []
    if not Body.objects.filter(code="SJJ").exists():
        from zhifa.demo.generator import load_demo

        started = time.perf_counter()
        params = inspect.signature(load_demo).parameters
        load_demo(**{k: False for k in ("cases", "inspections") if k in params}, log=lambda _: None)
        rows.append(("demo load (registry, items, lists; no cases)", time.perf_counter() - started, "s"))
    workdays.clear_cache()
    n_services = _env_int("ZHIFA_BENCH_CASES", 1000)
    n_api = _env_int("ZHIFA_BENCH_API_CASES", n_services)
    n_rendered = _env_int("ZHIFA_BENCH_RENDERED_CASES", 5)
    w = World()
    officer, head = Api("officer1"), Api("head1")
    default = _rendering_mode()
    defer = _deferred()
    paths = [("services", lambda t: service_case(w, t)), ("API", lambda t: api_case(w, officer, head, t))]

    alone, between = Me(officer), Me(officer)
    alone.sample(200)
    rows += alone.rows("alone")
    ids: list[int] = []
    if default == "immediate" and defer is not None:
        # The volume runs with rendering deferred (the workflow's own cost); a sample as configured.
        with defer("deferred"):
            rows += _queries(w)
            for (label, one), n in zip(paths, (n_services, n_api)):
                more, done = _drive(f"{label}, documents deferred", n, one, between.sample if label == "API" else None)
                rows, ids = rows + more, ids + done
        for label, one in paths:
            more, done = _drive(f"{label}, documents rendered (default)", n_rendered, one)
            rows, ids = rows + more, ids + done
    else:
        docs = {"immediate": "documents rendered", "deferred": "documents deferred", "none": "no documents"}.get(default, default)
        rows += _queries(w)
        for (label, one), n in zip(paths, (n_services, n_api)):
            more, done = _drive(f"{label}, {docs}", n, one, between.sample if label == "API" else None)
            rows, ids = rows + more, ids + done
    if between.samples:
        rows += between.rows("one call after each API case")

    started = time.perf_counter()
    broken = [cid for cid in ids if ledger.verify(f"case:{cid}") is not None]
    assert not broken, f"records broken: {broken[:10]}"
    rows.append((f"record verify, {len(ids)} cases", (time.perf_counter() - started) / max(1, len(ids)) * 1000, "ms/case"))
    return rows
