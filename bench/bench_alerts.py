"""The alert engine at volume (R33, issue 18 quality bar: the nightly sweep of all alert rules over
1,000,000 cases finishes under 5 minutes on PostgreSQL).

``run()`` returns rows ``(name, value, unit)`` for ``bench/run.py``. On the demo city's registry
(``load_demo`` without cases or inspections, loaded when the database is empty) it bulk-inserts N
cases (``ZHIFA_BENCH_ALERT_CASES``, default 20,000) spread over the bodies and items, in every
state, with their officers; about a third decided with a fine and a decision (grade ranges,
reasoning), a few per cent with a passed deadline, a missing notice, an unhanded collection, a
lone certified officer, an outlying fine. Then it times

- the first full sweep (``services.alerts.run_alerts()``: every rule, raising all alerts);
- a second full sweep (nothing new: the steady nightly cost) and a per-case run (the hook);
- each rule's evaluation alone (``evaluate(today, [code])``),

and extrapolates the steady sweep linearly to 1,000,000 cases. The selectors are set-based (one
query per rule, filtered and grouped in SQL; only the fines of the 同案不同罚 rule are read as
narrow tuples), so the cost grows with the rows that break a rule and, for that one rule, with the
fines of the look-back period — linear, no per-case query.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import time
from decimal import Decimal

from bench.timing import setup_django

TODAY = dt.date(2026, 11, 23)


def _populate(n: int, seed: int = 7) -> int:
    """Insert ``n`` cases (bulk, no services: the sweep reads data, it does not care how it came)."""
    from django.db import transaction

    from zhifa.cases.models import Case, Decision
    from zhifa.catalog.models import Item
    from zhifa.registry.models import Officer

    rng = random.Random(seed)
    items = list(Item.objects.filter(kind="penalty").values_list("pk", "body_id")[:400])
    officers: dict[int, list[int]] = {}
    for pk, body_id in Officer.objects.filter(is_auxiliary=False).values_list("pk", "body_id"):
        officers.setdefault(body_id, []).append(pk)
    items = [(i, b) for i, b in items if len(officers.get(b, [])) >= 2]
    states = ["source", "investigating", "notified", "decided", "served", "closed", "archived"]
    start = Case.objects.count()
    batch = 2000
    for lo in range(0, n, batch):
        cases, decisions, links = [], [], []
        for k in range(lo, min(n, lo + batch)):
            item_id, body_id = items[k % len(items)]
            state = states[k % len(states)]
            decided = state in ("decided", "served", "closed", "archived")
            clue = TODAY - dt.timedelta(days=rng.randint(1, 1500))
            due = None if state in ("closed", "archived") else TODAY + dt.timedelta(days=rng.randint(-20, 80))
            cases.append(Case(
                body_id=body_id, item_id=item_id, number=f"B{start + k}", procedure="normal", state=state, clue_received_on=clue,
                party_kind="organisation", party_name=f"企业{k % 5000}", party_id_code=f"9144{k % 5000:014d}",
                act_date=clue - dt.timedelta(days=3), filed_on=None if state == "source" else clue + dt.timedelta(days=5),
                decided_on=clue + dt.timedelta(days=40) if decided else None, outcome="penalty" if decided else "",
                decision_amount=None, notice_served_on=(clue + dt.timedelta(days=30)) if decided and k % 50 else None,
                is_major=k % 40 == 0, review_status="pass" if k % 80 else "",
                collective_discussion_on=clue + dt.timedelta(days=35) if k % 3 else None,
                collected_on_spot_on=TODAY - dt.timedelta(days=5) if k % 500 == 0 else None,
                next_due=due, next_due_kind=rng.choice(["decision", "filing", "service", "payment"]) if due else ""))
        with transaction.atomic():
            made = Case.objects.bulk_create(cases, batch_size=batch)
            for c in made:
                pool = officers[c.body_id]
                pair = rng.sample(pool, 2) if c.pk % 97 else pool[:1]
                links += [Case.officers.through(case_id=c.pk, officer_id=o) for o in pair]
                if c.decided_on:
                    amount = Decimal(rng.randint(40, 60) * 100) if c.pk % 200 else Decimal(rng.choice([500, 30000]))
                    decisions.append(Decision(case_id=c.pk, outcome="penalty", kinds=["fine"], amount=amount, decided_on=c.decided_on,
                                              reasoning="当事人违法事实清楚，情节一般，依照裁量基准第二档予以处罚。" if c.pk % 300 else "",
                                              benchmark_low=Decimal(1000), benchmark_high=Decimal(10000)))
            Case.officers.through.objects.bulk_create(links, batch_size=batch)
            Decision.objects.bulk_create(decisions, batch_size=batch)
    return Case.objects.count()


def run() -> list[tuple[str, float, str]]:
    setup_django()
    from django.db import connection

    from zhifa.cases.models import Case
    from zhifa.demo.generator import load_demo
    from zhifa.registry.models import Body
    from zhifa.supervision import selectors_alerts as sel
    from zhifa.supervision.models import Alert
    from zhifa.supervision.services import alerts

    n = int(os.environ.get("ZHIFA_BENCH_ALERT_CASES", "").strip() or 20000)
    if not Body.objects.exists():
        load_demo(today=TODAY, real_lists=False, cases=False, inspections=False)
    started = time.perf_counter()
    total = _populate(n)
    rows: list[tuple[str, float, str]] = [(f"cases in the database ({connection.vendor})", total, "cases"),
                                           ("bulk insert", round(time.perf_counter() - started, 1), "s")]

    def timed(fn):
        t = time.perf_counter()
        out = fn()
        return time.perf_counter() - t, out

    first, r1 = timed(lambda: alerts.run_alerts(today=TODAY))
    rows += [("first sweep (all rules, raising)", round(first, 2), "s"), ("alerts raised by the first sweep", r1["raised"], "alerts")]
    second, r2 = timed(lambda: alerts.run_alerts(today=TODAY))
    assert r2["raised"] == 0 and r2["closed"] == 0, r2
    rows.append(("second sweep (steady: nothing new)", round(second, 2), "s"))
    rows.append(("steady sweep extrapolated to 1,000,000 cases", round(second * 1_000_000 / total, 1), "s"))
    rows.append(("first sweep extrapolated to 1,000,000 cases", round(first * 1_000_000 / total, 1), "s"))
    one = Case.objects.order_by("pk").values_list("pk", flat=True)[total // 2]
    hook, _ = timed(lambda: alerts.run_alerts([one], today=TODAY))
    rows.append(("per-case run (hook after a case act)", round(hook * 1000, 1), "ms"))
    for code in sel.catalogue():
        t, _ = timed(lambda code=code: alerts.evaluate(TODAY, [code]))
        rows.append((f"evaluate {code}", round(t * 1000, 1), "ms"))
    rows.append(("alerts in the database", Alert.objects.count(), "alerts"))
    return rows
