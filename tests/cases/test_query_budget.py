"""Issue 21 (3), lean actions: the SQL queries of each act of the normal procedure through the API,
of the case detail and of the whole procedure are bounded (city scale: a case costs a small,
fixed number of queries whatever the city's size), and an action's answer — built from what the act
read — is the case detail as ``GET /cases/{id}`` gives it.

Counts are per request, as the test database sees them: the bearer token with the actor's officer
and supervision post (1 query), the act's own transaction (a savepoint pair inside the test's
transaction; BEGIN/COMMIT in production) and the answer. Measured at the change (SQLite): register
12, file 13, show_credentials 7, update_party 8, record_evidence 8, end_investigation 10,
review_case 7, notify 14, waive_defence 7, decide 18, serve 11, pay 9, close 11, archive 17; the
detail 4; the whole procedure 152 (404 at first, 251 before this change; docs/performance.md), of
which 28 are the acts' savepoint pairs: 124 in production on PostgreSQL. The bounds leave a little
room but catch a query per row, a re-read of the case or a guard's N+1.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import TODAY

pytestmark = pytest.mark.django_db

NEW = {
    "item_code": "SJJ-CF-001", "party_kind": "organisation", "party_name": "示例商贸有限公司",
    "party_id_code": "91650200MA0000001X", "party_address": "示例市人民路2号", "party_legal_representative": "王示例",
    "act_date": (TODAY - dt.timedelta(days=30)).isoformat(), "clue": "群众举报销售过期食品", "source": "complaint",
}
REASONING = "当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。"

# The most queries each request may take (see the module docstring for what they were).
BUDGET = {
    "register": 13, "file": 15, "show_credentials": 8, "update_party": 9, "record_evidence": 9,
    "end_investigation": 12, "review_case": 8, "notify": 16, "waive_defence": 8, "decide": 20, "serve": 13,
    "pay": 10, "close": 13, "archive": 19,
}
DETAIL_BUDGET = 5
PROCEDURE_BUDGET = 160  # the whole normal procedure through the API, 14 requests (152 measured)
ACT_SAVEPOINTS = 28  # a savepoint pair per request inside the test's transaction (BEGIN/COMMIT in production)


def steps(cw) -> list[tuple[str, str, dict]]:
    """The normal procedure after registration: ``(account, action, data)``."""
    o1, o2 = cw.officer("officer1").pk, cw.officer("officer2").pk
    return [
        ("head1", "file", {"officer_ids": [o1, o2]}),
        ("officer1", "show_credentials", {"place": "示例市人民路2号"}),
        ("officer1", "update_party", {"service_address": "示例市人民路2号收发室"}),
        ("officer1", "record_evidence", {"kind": "record", "title": "现场检查笔录"}),
        ("officer1", "end_investigation", {"report": "销售过期食品属实", "facts": "销售过期食品", "proposed_kinds": ["fine"],
                                           "proposed_amount": "5000.00", "act_place": "示例市人民路2号"}),
        ("head1", "review_case", {"opinion": "同意"}),
        ("officer1", "notify", {"kinds": ["fine"], "amount": "5000.00"}),
        ("officer1", "waive_defence", {}),
        ("head1", "decide", {"outcome": "penalty", "kinds": ["fine"], "amount": "5000.00", "reasoning": REASONING}),
        ("officer1", "serve", {"method": "direct"}),
        ("officer1", "pay", {"amount": "5000.00"}),
        ("head1", "close", {}),
        ("officer1", "archive", {}),
    ]


def counted(fn):
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    return len(ctx.captured_queries), response


def run_procedure(cw, api_as, check=None) -> tuple[dict[str, int], int]:
    """The whole procedure through the API; the queries of each request; ``check(name, answer)``."""
    clients = {name: api_as(name) for name in ("officer1", "head1")}
    n, response = counted(lambda: clients["officer1"].post("/api/v1/cases", NEW))
    assert response.status_code == 201, response.content.decode()
    counts, cid = {"register": n}, response.json()["id"]
    if check:
        check("register", response.json())
    for who, code, data in steps(cw):
        n, response = counted(lambda: clients[who].post(f"/api/v1/cases/{cid}/actions/{code}", data))
        assert response.status_code == 200, (code, response.content.decode())
        counts[code] = n
        if check:
            check(code, response.json())
    return counts, cid


def test_i21_each_action_of_the_normal_procedure_stays_within_its_query_budget(cw, api_as):
    counts, cid = run_procedure(cw, api_as)
    over = {code: (n, BUDGET[code]) for code, n in counts.items() if n > BUDGET[code]}
    assert not over, f"over budget (queries, budget): {over}; all: {counts}"
    assert sum(counts.values()) <= PROCEDURE_BUDGET, counts
    assert sum(counts.values()) - ACT_SAVEPOINTS <= 130, counts  # as production counts them (PostgreSQL)
    reader = api_as("officer1")
    n, response = counted(lambda: reader.get(f"/api/v1/cases/{cid}"))
    assert response.status_code == 200 and response.json()["state"] == "archived"
    assert n <= DETAIL_BUDGET


def test_i21_the_calendar_stamp_is_read_once_per_action_request(cw, api_as):
    """Legal-rules §0 at volume: the act and its answer count with one calendar (stamp read once)."""
    clients = {name: api_as(name) for name in ("officer1", "head1")}
    cid = clients["officer1"].post("/api/v1/cases", NEW).json()["id"]
    for who, code, data in steps(cw)[:9]:
        with CaptureQueriesContext(connection) as ctx:
            assert clients[who].post(f"/api/v1/cases/{cid}/actions/{code}", data).status_code == 200
        stamps = sum(1 for q in ctx.captured_queries if "MAX(loaded_at)" in q["sql"].replace('"', ""))
        assert stamps <= 1, (code, stamps)


def test_i21_an_actions_answer_is_the_case_detail(cw, api_as):
    """The answer built from what the act read equals a fresh ``GET /cases/{id}`` at every step
    (deadlines, allowed actions, officers, party) — for each account that acted."""
    clients = {name: api_as(name) for name in ("officer1", "head1")}
    mismatches = []

    def check(code, answer):
        fresh = clients["officer1"].get(f"/api/v1/cases/{answer['id']}").json()
        for key in answer:  # allowed_actions are the acting account's (next test)
            if key != "allowed_actions" and answer[key] != fresh[key]:
                mismatches.append((code, key, answer[key], fresh[key]))

    run_procedure(cw, api_as, check)
    assert not mismatches, mismatches


def test_i21_allowed_actions_in_the_answer_are_the_actors(cw, api_as):
    """``allowed_actions`` of an answer are the acting account's, as its own detail gives them."""
    clients = {name: api_as(name) for name in ("officer1", "head1")}
    cid = clients["officer1"].post("/api/v1/cases", NEW).json()["id"]
    for who, code, data in steps(cw)[:6]:
        answer = clients[who].post(f"/api/v1/cases/{cid}/actions/{code}", data).json()
        fresh = clients[who].get(f"/api/v1/cases/{cid}").json()
        assert answer["allowed_actions"] == fresh["allowed_actions"], code
        assert answer["deadlines"] == fresh["deadlines"] and answer["officer_ids"] == fresh["officer_ids"], code


def test_i21_a_pause_added_by_the_act_shows_in_its_answer(cw, api_as):
    """The deadlines of an answer follow a pause the act itself added (the lock's "no pause yet"
    is updated by the act; ``seize`` does the same for a seizure)."""
    head, officer = api_as("head1"), api_as("officer1")
    cid = officer.post("/api/v1/cases", NEW).json()["id"]
    o1, o2 = cw.officer("officer1").pk, cw.officer("officer2").pk
    before = head.post(f"/api/v1/cases/{cid}/actions/file", {"officer_ids": [o1, o2]}).json()
    decision_before = next(d["due"] for d in before["deadlines"] if d["kind"] == "decision")
    paused = officer.post(f"/api/v1/cases/{cid}/actions/pause",
                       {"kind": "testing", "start": TODAY.isoformat(), "end": (TODAY + dt.timedelta(days=10)).isoformat(),
                        "reason": "送检"})
    assert paused.status_code == 200, paused.content.decode()
    decision_after = next(d["due"] for d in paused.json()["deadlines"] if d["kind"] == "decision")
    assert decision_after > decision_before
    assert paused.json()["deadlines"] == officer.get(f"/api/v1/cases/{cid}").json()["deadlines"]


def test_i21_the_whole_normal_procedure_through_the_services_stays_within_budget(cw):
    """The acts alone (``services``, as ``walk`` drives them: 13 acts, registration to archive):
    138 queries at the change (272 at first, 206 before it), of which 28 are the acts' savepoint
    pairs inside the test's transaction."""
    with CaptureQueriesContext(connection) as ctx:
        cw.walk(cw.register(), "archived")
    assert len(ctx.captured_queries) <= 145


def test_i21_reads_the_case_list_a_case_and_its_record_within_budget(cw, api_as):
    """The read mix of the load bench: the list (token, count, the page with the calendar stamp and
    whether each case has pauses or seizures, the officers, the actor's certificate), a case (the
    same without the count) and its record (token, visibility, count, page)."""
    officer = api_as("officer1")
    ids = [officer.post("/api/v1/cases", {**NEW, "party_id_code": f"91650200MA000000{n}X"}).json()["id"] for n in range(3)]
    n, listed = counted(lambda: officer.get("/api/v1/cases?page_size=20"))
    assert listed.status_code == 200 and {c["id"] for c in listed.json()["items"]} >= set(ids) and n <= 5, n
    n, one = counted(lambda: officer.get(f"/api/v1/cases/{ids[0]}"))
    assert one.status_code == 200 and n <= 4, n
    n, record = counted(lambda: officer.get(f"/api/v1/cases/{ids[0]}/record?page_size=50"))
    assert record.status_code == 200 and record.json()["count"] == 1 and n <= 4, n
    assert api_as("officer_other").get(f"/api/v1/cases/{ids[0]}/record").status_code == 404


def test_i21_the_list_reads_pauses_only_for_the_cases_that_have_them_and_shows_their_deadlines(cw, api_as):
    head, officer = api_as("head1"), api_as("officer1")
    o1, o2 = cw.officer("officer1").pk, cw.officer("officer2").pk
    paused, plain = (officer.post("/api/v1/cases", {**NEW, "party_id_code": f"91650200MA000001{n}X"}).json()["id"] for n in range(2))
    for cid in (paused, plain):
        assert head.post(f"/api/v1/cases/{cid}/actions/file", {"officer_ids": [o1, o2]}).status_code == 200
    assert officer.post(f"/api/v1/cases/{paused}/actions/pause",
                        {"kind": "testing", "start": TODAY.isoformat(), "end": (TODAY + dt.timedelta(days=10)).isoformat(),
                         "reason": "送检"}).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        listed = officer.get("/api/v1/cases?page_size=20").json()["items"]
    pause_reads = [q for q in ctx.captured_queries if "cases_pause" in q["sql"] and "EXISTS" not in q["sql"]]
    assert len(pause_reads) == 1 and f"({paused})" in pause_reads[0]["sql"].replace(" ", "")
    for item in listed:
        if item["id"] in (paused, plain):
            assert item["deadlines"] == officer.get(f"/api/v1/cases/{item['id']}").json()["deadlines"]
