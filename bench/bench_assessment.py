"""Annual assessment (R36) and officer workload (R38) at city scale: ``ZHIFA_BENCH_ASSESS_BODIES``
bodies (default 200) of 10 officers each, ``ZHIFA_BENCH_ASSESS_CASES`` cases (default 50,000) with
two officers each, a remedy on one case in 25 and 10 items per body. Times: computing and
storing the year's snapshot (every component is one GROUP BY over all bodies), the assessments
API page, and the workload pages (officers and bodies, 50 a page: a fixed number of GROUP BY
queries restricted to the page's rows).
"""
from __future__ import annotations

import datetime as dt
import os
import statistics
import time

from bench.timing import setup_django


def run() -> list[tuple[str, float, str]]:
    setup_django()
    from django.conf import settings
    from django.test import Client

    from bench.timing import timed
    from tests.factories import build_world
    from zhifa.cases.models import Case, RemedyPeriod
    from zhifa.catalog.models import Item
    from zhifa.core import clock
    from zhifa.registry import access
    from zhifa.registry.models import Body, Officer
    from zhifa.supervision import assessment

    n_bodies = int(os.environ.get("ZHIFA_BENCH_ASSESS_BODIES", "200"))
    n_cases = int(os.environ.get("ZHIFA_BENCH_ASSESS_CASES", "50000"))
    settings.SECURE_SSL_REDIRECT = False
    today = dt.date(2026, 11, 23)
    with clock.frozen(today):
        world = build_world(today)
        bodies = Body.objects.bulk_create([Body(code=f"BB{i:04d}", name=f"基准主体{i}", short_name=f"基{i}", jurisdiction=world.city,
                                                sector=Body.Sector.MARKET) for i in range(n_bodies)])
        officers = Officer.objects.bulk_create([Officer(body=b, name=f"人员{b.pk}-{j}") for b in bodies for j in range(10)])
        items = Item.objects.bulk_create([Item(code=f"BI{b.pk}-{j}", name="事项", kind="penalty", legal_basis="法", body=b,
                                               valid_from=dt.date(2024, 1, 1)) for b in bodies for j in range(10)])
        states = ("investigating", "decided", "closed", "archived")
        cases = Case.objects.bulk_create([
            Case(body=bodies[i % n_bodies], item=items[(i % n_bodies) * 10 + i % 7], state=states[i % 4], clue_received_on=today - dt.timedelta(days=i % 300),
                 party_kind="organisation", party_name=f"当事人{i}", act_date=today - dt.timedelta(days=400),
                 next_due=today + dt.timedelta(days=(i % 20) - 10), publication_due=today - dt.timedelta(days=i % 200),
                 published_on=today - dt.timedelta(days=(i % 200) - (i % 3))) for i in range(n_cases)], batch_size=2000)
        through = Case.officers.through
        through.objects.bulk_create([through(case_id=c.pk, officer_id=officers[(k % n_bodies) * 10 + (k % 10)].pk)
                                     for k, c in enumerate(cases)] +
                                    [through(case_id=c.pk, officer_id=officers[(k % n_bodies) * 10 + ((k + 1) % 10)].pk)
                                     for k, c in enumerate(cases)], batch_size=5000)
        RemedyPeriod.objects.bulk_create([RemedyPeriod(case=c, kind="reconsideration", start=today - dt.timedelta(days=100),
                                                       end=today - dt.timedelta(days=10), result="撤销" if k % 2 else "维持")
                                          for k, c in enumerate(cases[::25])])
        office = access.actor_for(world.users["supervisor"])
        started = time.perf_counter()
        assessment.compute_assessment(2026, actor=office)
        compute = time.perf_counter() - started
        client = Client()
        client.force_login(world.users["supervisor"])

        def median_ms(path):
            return statistics.median(timed(lambda: client.get(path), 5)) * 1000

        api = median_ms("/api/v1/supervision/assessments?year=2026&page_size=50")
        page = median_ms("/supervision/assessments/?year=2026")
        officers_page = median_ms("/api/v1/supervision/workload/officers?page_size=50&sort=open")
        bodies_page = median_ms("/api/v1/supervision/workload/bodies?page_size=50")
        workload_page = median_ms("/supervision/workload/")
    label = f"{n_bodies} bodies, {n_cases} cases"
    return [
        (f"assessment: compute and store the year's snapshot ({label})", compute, "s"),
        ("assessment: GET /api/v1/supervision/assessments (50 a page), median", api, "ms"),
        ("assessment: /supervision/assessments/ page, median", page, "ms"),
        ("workload: GET …/workload/officers sorted by open cases (50 a page), median", officers_page, "ms"),
        ("workload: GET …/workload/bodies (50 a page), median", bodies_page, "ms"),
        ("workload: /supervision/workload/ page, median", workload_page, "ms"),
    ]
