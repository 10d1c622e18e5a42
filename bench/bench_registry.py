"""Registry at city scale: demo load, health flags, list endpoints (R01–R09).

The city of the brief has 5,000 officers: ``zhifa demo --scale 10`` gives about 5,000 people.
"""
from __future__ import annotations

import statistics
import time

from django.core.management import call_command
from django.test import Client

from bench.timing import quantile_ms, timed


def run():
    from zhifa.registry import access, services
    from zhifa.registry.models import Officer
    from django.contrib.auth import get_user_model

    rows = []
    started = time.perf_counter()
    call_command("demo", verbosity=0, stdout=open("/dev/null", "w"))
    rows.append(("demo load, default size", time.perf_counter() - started, "s"))
    started = time.perf_counter()
    call_command("demo", scale=10, verbosity=0, stdout=open("/dev/null", "w"))
    rows.append(("demo top-up to --scale 10", time.perf_counter() - started, "s"))
    rows.append(("officers (incl. auxiliary) loaded", Officer.objects.count(), "people"))

    supervisor = access.actor_for(get_user_model().objects.get(username="supervisor"))
    samples = timed(lambda: services.health_flags(supervisor), 5)
    rows.append(("health flags, whole city, median", statistics.median(samples) * 1000, "ms"))
    rows.append(("health flags found", len(services.health_flags(supervisor)), "flags"))

    client = Client()
    token = client.post("/api/v1/auth/token", {"username": "supervisor", "password": "zhifa-demo"},
                        content_type="application/json").json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for label, path in [
        ("GET /officers page of 50", "/api/v1/officers?page_size=50&page=20"),
        ("GET /items?q=食品 page of 50", "/api/v1/items?q=%E9%A3%9F%E5%93%81&page_size=50"),
        ("GET /bodies page of 50", "/api/v1/bodies?page_size=50"),
        ("GET /me (trivial authenticated)", "/api/v1/me"),
    ]:
        samples = timed(lambda: client.get(path, **headers), 50)
        rows.append((f"{label} p50", quantile_ms(samples, 0.5), "ms"))
        rows.append((f"{label} p95", quantile_ms(samples, 0.95), "ms"))
    return rows
