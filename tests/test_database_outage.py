"""Issue 15 §6: the database going away in the middle of a request answers a Chinese 503 (JSON under
``/api/``, the page elsewhere, ``Retry-After``), never a traceback; once it is back the next
requests are served (the broken connection is closed, a reused one health-checked).

The first two tests break the connection from inside (a query raising the driver's error) on
SQLite and PostgreSQL alike; the last one, on PostgreSQL only, really cuts it: the test's
connection goes through a TCP relay on the loopback interface, which is closed in the middle of
a request (every open socket shut) and opened again."""
from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.test import Client

OUTAGE = "数据库暂时无法连接"


def _staff(world) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users["officer1"])
    return client


@contextlib.contextmanager
def _failing_after(queries: int):
    """Every query after the first ``queries`` of the block fails as a dropped connection does."""
    seen = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        seen["n"] += 1
        if seen["n"] > queries:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def _assert_outage_page(answer):
    html = answer.content.decode()
    assert answer.status_code == 503 and answer["Retry-After"] == "5"
    assert OUTAGE in html and "Traceback" not in html and "OperationalError" not in html


def _assert_outage_json(answer):
    assert answer.status_code == 503 and answer["Content-Type"].startswith("application/json")
    assert OUTAGE in answer.json()["detail"] and "Traceback" not in answer.content.decode()


@pytest.mark.parametrize("after", [0, 3])  # before the session is read; in the middle of the view
def test_r15_database_gone_mid_request_is_a_chinese_503(world, after, settings):
    settings.SECURE_SSL_REDIRECT = False
    client = _staff(world)
    assert client.get("/cases/").status_code == 200
    with _failing_after(after):
        _assert_outage_page(client.get("/cases/"))
    with _failing_after(after):
        _assert_outage_json(client.get("/api/v1/cases"))
    assert client.get("/cases/").status_code == 200  # back: served again
    assert client.get("/api/v1/cases").status_code == 200


def test_r15_database_gone_on_a_write_leaves_nothing_half_written(world, settings):
    from zhifa.cases.models import Case
    from zhifa.core.ledger import RecordEntry

    settings.SECURE_SSL_REDIRECT = False
    client = _staff(world)
    cases, records = Case.objects.count(), RecordEntry.objects.count()
    with _failing_after(6):
        answer = client.post("/api/v1/cases", {"item_code": "X", "party_kind": "person", "party_name": "张三"},
                             content_type="application/json")
    assert answer.status_code in (503, 422)
    assert Case.objects.count() == cases and RecordEntry.objects.count() == records


class Relay:
    """A TCP relay on 127.0.0.1 to PostgreSQL that can be cut (every socket closed, the port
    refused) and restored on the same port."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.sockets: list[socket.socket] = []
        self.listener = None
        self.port = 0
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port, self.listener = listener.getsockname()[1], listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=5)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()


@pytest.mark.django_db(transaction=True)
def test_r15_postgresql_cut_mid_request_then_back(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("cuts a PostgreSQL connection (run with DATABASE_URL=postgres://…)")
    settings.SECURE_SSL_REDIRECT = False
    relay = Relay(connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432))
    relay.start()
    saved = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", relay.port
    try:
        client = _staff(world)
        assert client.get("/cases/").status_code == 200
        seen = {"n": 0}

        def cut_in_the_middle(execute, sql, params, many, context):
            seen["n"] += 1
            if seen["n"] == 3:
                relay.cut()  # the database goes away between two queries of the request
            return execute(sql, params, many, context)

        with connection.execute_wrapper(cut_in_the_middle):
            _assert_outage_page(client.get("/cases/"))
        _assert_outage_json(client.get("/api/v1/cases"))  # still away: refused at once, no hang
        relay.start()  # back on the same port
        started = time.monotonic()
        answers = [client.get("/cases/").status_code for _ in range(2)]
        assert answers[-1] == 200 and time.monotonic() - started < 10
        assert client.get("/api/v1/cases").status_code == 200
    finally:
        relay.cut()
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = saved


@pytest.mark.django_db(transaction=True)
def test_r15_a_read_that_met_a_dropped_connection_is_served_on_a_fresh_one(world, settings):
    """A backend killed under a reused connection costs one failed query, not a failed page: the
    read runs once more on a new connection (nothing is open to be half-kept); a write is not
    retried and answers the 503."""
    settings.SECURE_SSL_REDIRECT = False
    client = _staff(world)
    failures = {"left": 0}

    def drop_once(execute, sql, params, many, context):
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_once):
        failures["left"] = 1
        assert client.get("/cases/").status_code == 200
        failures["left"] = 1
        answer = client.get("/api/v1/cases")
        assert answer.status_code == 200 and "items" in answer.json()
        failures["left"] = 2  # down for longer than one retry: the 503, at once
        _assert_outage_json(client.get("/api/v1/cases"))
        failures["left"] = 1  # a write is not run twice: the 503, and the user decides
        write = client.post("/api/v1/cases", {"item_code": "X", "party_kind": "person", "party_name": "张三"},
                            content_type="application/json")
        _assert_outage_json(write)
    assert client.get("/cases/").status_code == 200
