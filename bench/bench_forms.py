"""Forms that help and the to-do list (issue 20 points 1–2): how long the pages the field officer
and the head open first take, and how many queries they cost, on the demo city.

- the item picker's search (``cases:pick_items``) by code, by name and by pinyin initials (the
  initials scan reads the body's item names once; ``pickers.initials`` is cached per name);
- the registration page, the home page with the to-do list for officer1 and head1 (median of 5).
"""
from __future__ import annotations

import time

from bench.timing import median_time, setup_django


def run() -> list[tuple[str, float, str]]:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from zhifa.cases import pickers

    rows: list[tuple[str, float, str]] = []
    if not get_user_model().objects.filter(username="officer1").exists():
        from zhifa.demo.generator import load_demo

        started = time.perf_counter()
        load_demo(log=lambda _: None)
        rows.append(("demo load", time.perf_counter() - started, "s"))
    clients = {}
    for name in ("officer1", "head1"):
        clients[name] = Client()
        clients[name].force_login(get_user_model().objects.get(username=name))

    def page(name: str, path: str, label: str, **params) -> None:
        client = clients[name]
        client.get(path, params)  # warm
        executed = []
        with connection.execute_wrapper(lambda execute, sql, params_, many, context: (executed.append(sql), execute(sql, params_, many, context))[1]):
            response = client.get(path, params)
        assert response.status_code == 200, (path, response.status_code)
        rows.append((f"{label}: time (median of 5)", median_time(lambda: client.get(path, params), 5) * 1000, "ms"))
        rows.append((f"{label}: queries", len(executed), "queries"))

    started = time.perf_counter()
    clients["officer1"].get("/cases/pick/items/", {"field": "item", "item_q": "wzjy"})
    rows.append(("item picker, pinyin initials, first search of the process (loads the pinyin table)", (time.perf_counter() - started) * 1000, "ms"))
    pickers.initials.cache_clear()
    started = time.perf_counter()
    clients["officer1"].get("/cases/pick/items/", {"field": "item", "item_q": "wzjy"})
    rows.append(("item picker, pinyin initials, cold name cache", (time.perf_counter() - started) * 1000, "ms"))
    page("officer1", "/cases/pick/items/", "item picker, pinyin initials", field="item", item_q="wzjy")
    page("officer1", "/cases/pick/items/", "item picker, name", field="item", item_q="食品")
    page("officer1", "/cases/pick/items/", "item picker, code", field="item", item_q="CF-02")
    page("officer1", "/cases/new/", "registration page")
    page("officer1", "/", "home with to-do list, officer1")
    page("head1", "/", "home with to-do list, head1")
    page("officer1", "/account/", "my account page")
    return rows
