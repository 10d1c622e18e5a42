"""The load suite (issue 21 (4)): the server as a city runs it, under concurrent clients.

``bench/run.py load`` (part of ``make bench``). On the bench's database (PostgreSQL when
``DATABASE_URL`` is set — the figures that matter — else the bench's SQLite file) with the demo
city (``load_demo`` without demo cases or inspections, as ``bench_cases``) it starts **gunicorn as
documented** (``zhifa.wsgi``, 2 sync workers, production settings: no debug, no test mode, documents
rendered as configured by default) on a free loopback port, and drives it with 10 and then 50
concurrent clients (threads, one ``httpx.Client`` each, bearer tokens of the demo accounts) for a
bounded time per row on:

* ``me`` — the trivial authenticated endpoint ``GET /api/v1/me`` (token, actor, a small JSON);
* ``reads`` — a read mix: the case list, a case, its full-process record, in turn, over cases made
  before the run (half archived, half just registered);
* ``actions`` — the normal procedure's actions through ``POST /api/v1/cases`` and
  ``/cases/{id}/actions/…`` (register → file → show_credentials → update_party → record_evidence →
  end_investigation → review_case → notify → waive_defence → decide → serve → pay → close →
  archive), each client taking its own cases from registration to archive; every answer is one
  sample, a refusal or an error is counted and the client starts a new case.

It prints one table — requests/s, p50/p95/p99 ms, errors and each row's requests/s as a share of
``me`` at the same concurrency — and the largest resident memory of one worker after each row; the rows are also
returned for ``run.py``'s table. The client threads run on the same cores as the server: the
ratios, measured in one run, are the figures to compare; absolute figures move with the load of
the machine. Environment: ``ZHIFA_BENCH_LOAD_SECONDS`` per row (default 15),
``ZHIFA_BENCH_LOAD_CLIENTS`` (default ``10,50``), ``ZHIFA_BENCH_LOAD_WORKERS`` (default 2),
``ZHIFA_BENCH_LOAD_TASK_WORKERS`` (task workers beside them, default 1). After the rows it waits for
the documents of the run and prints, per document, the seconds from the action to its files.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
AMOUNT = "5000.00"
REASONING = "当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# --- The server -------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(var_dir: str) -> dict[str, str]:
    """Production settings on the bench's database: no debug, no test mode, the default rendering."""
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + settings["NAME"]))
    else:
        env["ZHIFA_SQLITE_PATH"] = str(settings["NAME"])
    env.update({
        "DJANGO_SETTINGS_MODULE": "zhifa.settings", "PYTHONPATH": os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]),
        "ZHIFA_SECRET_KEY": secrets.token_urlsafe(50), "ZHIFA_ALLOWED_HOSTS": "127.0.0.1", "ZHIFA_SSL_REDIRECT": "0",
        "ZHIFA_INSECURE_HTTP": "1", "ZHIFA_VAR_DIR": var_dir, "ZHIFA_LOG_LEVEL": "ERROR",
    })
    return env


class Server:
    """``gunicorn zhifa.wsgi:application --workers N`` on a free loopback port (README, deploying)."""

    def __init__(self, workers: int, task_workers: int = 1):
        self.var_dir = tempfile.mkdtemp(prefix="zhifa-load-")
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(self.var_dir) / "gunicorn.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "zhifa.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "120", "--backlog", "2048"],
            env=_server_env(self.var_dir), stdout=self.log, stderr=subprocess.STDOUT,
        )
        # The task worker beside the web server, as `make run` and deploy/ start it: documents are
        # rendered after the action commits (documents/tasks.py), the alert rules of the case acted on.
        self.workers = [subprocess.Popen(
            [sys.executable, "-m", "zhifa", "task_worker", "--queue-name", "documents,alerts", "--no-reload", "--interval", "0.5"],
            env=_server_env(self.var_dir), stdout=self.log, stderr=subprocess.STDOUT,
        ) for _ in range(task_workers)]
        self._wait()

    def _wait(self) -> None:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn 未能启动：\n" + (Path(self.var_dir) / "gunicorn.log").read_text()[-3000:])
            try:
                httpx.get(self.base + "/api/v1/me", timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn 60 秒内未响应")

    def worker_rss_mb(self) -> float:
        """The largest resident memory of one worker (MB), from /proc (0 where there is none)."""
        largest = 0
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(self.proc.pid):
                largest = max(largest, int(fields.get("VmRSS", "0 kB").split()[0]))
        return largest / 1024

    def stop(self) -> None:
        for worker in self.workers:
            worker.terminate()
        for worker in self.workers:
            worker.wait(timeout=30)
        self.proc.terminate()  # the master stops its workers and closes their connections
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# --- The clients --------------------------------------------------------------------------------

class Result:
    """One row: the requests of ``clients`` clients on ``scenario`` for ``seconds``."""

    def __init__(self, scenario: str, clients: int):
        self.scenario, self.clients = scenario, clients
        self.seconds, self.latencies, self.errors, self.first_error = 0.0, [], 0, ""
        self.rss = 0.0  # the largest worker's resident memory after the row (MB)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def _drive(base: str, scenario: str, clients: int, seconds: float, make) -> Result:
    """``clients`` threads, each calling its ``make(i)()`` step — one request, returning an error
    text or "" — until ``seconds`` have passed; every request is timed, errors counted."""
    import httpx

    result, lock = Result(scenario, clients), threading.Lock()
    start = time.monotonic()
    stop_at = start + seconds

    def loop(i: int) -> None:
        step = make(i)
        with httpx.Client(base_url=base, timeout=120) as client:
            while time.monotonic() < stop_at:
                began = time.perf_counter()
                try:
                    error = step(client)
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - began
                with lock:
                    result.latencies.append(elapsed)
                    if error:
                        result.errors += 1
                        result.first_error = result.first_error or error
    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - start
    return result


def _check(response, status: int = 200) -> str:
    return "" if response.status_code == status else f"{response.request.method} {response.request.url.path} → {response.status_code} {response.text[:300]}"


def me(tokens):
    headers = {"Authorization": f"Bearer {tokens['officer1']}"}

    def make(_i):
        return lambda client: _check(client.get("/api/v1/me", headers=headers))
    return make


def reads(tokens, case_ids: list[int]):
    """The case list, a case, its record — in turn, each client over the cases from its own offset."""
    headers = {"Authorization": f"Bearer {tokens['officer1']}"}

    def make(i):
        paths = itertools.cycle(
            p for cid in case_ids[i % len(case_ids):] + case_ids[:i % len(case_ids)]
            for p in ("/api/v1/cases?page_size=20", f"/api/v1/cases/{cid}", f"/api/v1/cases/{cid}/record?page_size=50"))
        return lambda client: _check(client.get(next(paths), headers=headers))
    return make


def procedure_steps(officer_ids: list[int]):
    """The normal procedure after registration: ``(account, action, data)``."""
    return [
        ("head1", "file", {"officer_ids": officer_ids}),
        ("officer1", "show_credentials", {"place": "示例市人民路2号"}),
        ("officer1", "update_party", {"legal_representative": "王示例", "service_address": "示例市人民路2号收发室"}),
        ("officer1", "record_evidence", {"kind": "record", "title": "现场检查笔录"}),
        ("officer1", "end_investigation", {"report": "销售过期食品属实", "facts": "销售过期食品", "proposed_kinds": ["fine"],
                                           "proposed_amount": AMOUNT, "act_place": "示例市人民路2号",
                                           "violated_provision": "《中华人民共和国食品安全法》第三十四条第（十）项"}),
        ("head1", "review_case", {"opinion": "同意"}),
        ("officer1", "notify", {"kinds": ["fine"], "amount": AMOUNT}),
        ("officer1", "waive_defence", {}),
        ("head1", "decide", {"outcome": "penalty", "kinds": ["fine"], "amount": AMOUNT, "reasoning": REASONING}),
        ("officer1", "serve", {"method": "direct"}),
        ("officer1", "pay", {"amount": AMOUNT}),
        ("head1", "close", {}),
        ("officer1", "archive", {}),
    ]


def registration(item_code: str, n: int) -> dict:
    """The registration of the ``n``-th case: a different party each time (APL art.29)."""
    return {"item_code": item_code, "party_kind": "organisation", "party_name": f"负载测试商贸有限公司{n}",
            "party_id_code": f"91650200MB{n:07d}X", "party_address": "示例市人民路2号", "party_legal_representative": "王示例",
            "act_date": (dt.date.today() - dt.timedelta(days=30)).isoformat(), "clue": "群众举报销售过期食品",
            "source": "complaint"}


def actions(tokens, item_code: str, officer_ids: list[int], serial: itertools.count, done: list):
    """Each client takes its own cases through the whole normal procedure, one request per step."""
    headers = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
    steps = procedure_steps(officer_ids)

    def make(_i):
        state = {"case": None, "at": 0}

        def step(client) -> str:
            if state["case"] is None:
                response = client.post("/api/v1/cases", headers=headers["officer1"], json=registration(item_code, next(serial)))
                error = _check(response, 201)
                if not error:
                    state["case"], state["at"] = response.json()["id"], 0
                return error
            who, code, data = steps[state["at"]]
            response = client.post(f"/api/v1/cases/{state['case']}/actions/{code}", headers=headers[who], json=data)
            error = _check(response)
            state["at"] += 1
            if error or state["at"] == len(steps):
                if not error:
                    done.append(state["case"])
                state["case"] = None
            return error
        return step
    return make


# --- The run --------------------------------------------------------------------------------------

class _InProcess:
    """The API in this process (Django's test ``Client``), for the cases made before the run."""

    def __init__(self, username: str):
        from django.test import Client

        self.client = Client()
        response = self.client.post("/api/v1/auth/token", {"username": username, "password": "zhifa-demo"},
                                    content_type="application/json")
        assert response.status_code == 200, response.content
        self.token = response.json()["token"]
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def post(self, path: str, data: dict):
        return self.client.post(path, data, content_type="application/json", **self.headers)


def _case(clients: dict, item_code: str, officer_ids: list[int], n: int, whole: bool) -> int:
    """One case through the API in this process: registered, and with ``whole`` archived."""
    response = clients["officer1"].post("/api/v1/cases", registration(item_code, n))
    assert response.status_code == 201, response.content.decode()
    cid = response.json()["id"]
    for who, code, data in procedure_steps(officer_ids) if whole else ():
        response = clients[who].post(f"/api/v1/cases/{cid}/actions/{code}", data)
        assert response.status_code == 200, (item_code, code, response.content.decode())
    return cid


def _prepare() -> tuple[str, list[int], list[int], dict[str, str]]:
    """The demo city (once); the market bureau's penalty item whose whole case passes (tried on a
    throw-away case), its two officers; cases to read: 10 archived, 10 registered (documents
    deferred: their making is not what is measured); the accounts' API tokens (issued here: the
    bench's test settings hash passwords with a hasher the production settings do not read)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from zhifa.catalog import selectors as catalog
    from zhifa.catalog.models import Item
    from zhifa.core import workdays
    from zhifa.documents import services as documents
    from zhifa.registry.models import Body, Officer

    if not Body.objects.filter(code="SJJ").exists():
        import inspect

        from zhifa.demo.generator import load_demo

        params = inspect.signature(load_demo).parameters
        load_demo(**{k: False for k in ("cases", "inspections") if k in params}, log=lambda _: None)
    workdays.clear_cache()
    users = get_user_model().objects.filter(username__in=["officer1", "officer2"])
    officer_ids = sorted(Officer.objects.filter(user__in=users).values_list("pk", flat=True))
    body_id = Officer.objects.get(user__username="officer1").body_id
    clients = {name: _InProcess(name) for name in ("officer1", "head1")}
    refusals = []
    defer = getattr(documents, "render_mode", None)  # rendering off the request path may make it moot
    with defer("deferred") if defer else contextlib.nullcontext():
        own = sorted(catalog.competence_of(body_id).own_item_ids)
        for item in Item.objects.filter(pk__in=own, kind=Item.Kind.PENALTY).order_by("code")[:30]:
            try:
                with transaction.atomic():
                    _case(clients, item.code, officer_ids, 0, True)
                    transaction.set_rollback(True)
                break
            except AssertionError as exc:
                refusals.append(str(exc)[:300])
        else:
            raise RuntimeError("市场监管局没有可以完整办理的处罚事项：\n" + "\n".join(refusals[:3]))
        ids = [_case(clients, item.code, officer_ids, 9_000_000 + n, n % 2 == 0) for n in range(20)]
    return item.code, officer_ids, ids, {name: c.token for name, c in clients.items()}


def _table(results: list[Result], rss: float, workers: int) -> str:
    from django.db import connection

    base = {r.clients: r.per_second for r in results if r.scenario == "me"}
    lines = [f"\nload — gunicorn {workers} sync workers, {connection.vendor}, {os.cpu_count()} cores, "
             f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; largest worker RSS {rss:.0f} MB",
             f"{'scenario':<10} {'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
             f"{'errors':>7} {'vs me':>7} {'worker MB':>10}"]
    lines.append("-" * len(lines[-1]))
    for r in results:
        ratio = r.per_second / base[r.clients] * 100 if base.get(r.clients) else 0.0
        lines.append(f"{r.scenario:<10} {r.clients:>7} {len(r.latencies):>9} {r.per_second:>8.1f} {r.p(0.50):>8.0f} "
                     f"{r.p(0.95):>8.0f} {r.p(0.99):>8.0f} {r.errors:>7} {ratio:>6.0f}% {r.rss:>10.0f}")
    for r in results:
        if r.first_error:
            lines.append(f"first error ({r.scenario}, {r.clients} clients): {r.first_error}")
    return "\n".join(lines)


def _documents_ready(since: dt.datetime, limit: float = 600.0) -> tuple[int, float, list[float]]:
    """How many documents the run issued, how long after the last action the worker had them all
    rendered (polled; at most ``limit`` seconds), and for each render task of the run the seconds
    from the action's commit (the task row is written by the issuing transaction) to the files
    stored (the task finished)."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from zhifa.documents.models import Document
    from zhifa.documents.services import _pending_filter

    connection.close()
    issued = Document.objects.filter(issued_at__gte=since)
    t0 = time.monotonic()
    while issued.filter(_pending_filter()).exists() and time.monotonic() - t0 < limit:
        time.sleep(0.5)
    waits = [(done - queued).total_seconds() for queued, done in DBTaskResult.objects.filter(
        queue_name="documents", task_path__endswith="render_document", enqueued_at__gte=since, status="SUCCESSFUL",
    ).values_list("enqueued_at", "finished_at")]
    return issued.count(), time.monotonic() - t0, sorted(waits)


def run() -> list[tuple[str, float, str]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    item_code, officer_ids, case_ids, tokens = _prepare()
    seconds = float(os.environ.get("ZHIFA_BENCH_LOAD_SECONDS", "15"))
    clients = [int(c) for c in os.environ.get("ZHIFA_BENCH_LOAD_CLIENTS", "10,50").split(",") if c.strip()]
    workers = _env_int("ZHIFA_BENCH_LOAD_WORKERS", 2)
    task_workers = _env_int("ZHIFA_BENCH_LOAD_TASK_WORKERS", 1)
    from django.db import connection

    connection.close()  # the server's workers own the database from here
    server = Server(workers, task_workers)
    results: list[Result] = []
    rss = 0.0
    done: list[int] = []
    started = dt.datetime.now(dt.timezone.utc)
    try:
        serial = itertools.count(1)
        scenarios = [("me", me(tokens)), ("reads", reads(tokens, case_ids)),
                     ("actions", actions(tokens, item_code, officer_ids, serial, done))]
        _drive(server.base, "warm-up", 2, 2, scenarios[0][1])  # workers import and connect
        for n in clients:
            for name, make in scenarios:
                results.append(_drive(server.base, name, n, seconds, make))
                results[-1].rss = server.worker_rss_mb()
                rss = max(rss, results[-1].rss)
        documents_wait = _documents_ready(started)
    finally:
        server.stop()
    print(_table(results, rss, workers))
    waits = documents_wait[2]

    def pick(q: float) -> float:
        return waits[min(len(waits) - 1, int(q * len(waits)))] if waits else 0.0
    print(f"documents issued during the run: {documents_wait[0]}; all rendered {documents_wait[1]:.1f} s after the last action"
          f" ({task_workers} task worker(s) beside the web server); action → files per document: p50 {pick(0.5):.1f} s,"
          f" p95 {pick(0.95):.1f} s, max {pick(1.0):.1f} s; within 10 s: {sum(w <= 10 for w in waits)} of {len(waits)}")
    rows = []
    base = {r.clients: r.per_second for r in results if r.scenario == "me"}
    for r in results:
        label = f"{r.scenario}, {r.clients} clients"
        rows += [(f"{label}: requests/s", r.per_second, "req/s"), (f"{label}: p50", r.p(0.5), "ms"),
                 (f"{label}: p95", r.p(0.95), "ms"), (f"{label}: p99", r.p(0.99), "ms"),
                 (f"{label}: errors", float(r.errors), "requests"),
                 (f"{label}: share of me", r.per_second / base[r.clients] * 100 if base.get(r.clients) else 0.0, "%")]
    rows += [("cases archived during the run", float(len(done)), "cases"), ("largest worker RSS", rss, "MB"),
             ("documents issued during the run", float(documents_wait[0]), "documents"),
             ("all documents rendered, after the last action", documents_wait[1], "s"),
             ("action → files, p50", pick(0.5), "s"), ("action → files, p95", pick(0.95), "s"),
             ("action → files, max", pick(1.0), "s")]
    return rows
