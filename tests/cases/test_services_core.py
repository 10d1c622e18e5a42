"""The skeleton of the case use cases (services/_core.py): the action table filled by ``@action``,
``perform`` returning the case as the act left it, and every act marked and recorded."""
from __future__ import annotations

import inspect

import pytest
from django.http import Http404

from zhifa.cases import services as s
from zhifa.cases import workflow
from zhifa.cases.services import _core
from zhifa.core import ledger
from zhifa.core.usecase import kind_of


def test_r14_every_workflow_action_is_registered_once_next_to_its_function():
    assert set(s.PERFORM) == set(workflow.BY_CODE)
    for code, fn in s.PERFORM.items():
        assert kind_of(fn) == "use_case", code
        assert fn.__module__.startswith("zhifa.cases.services."), code
        params = inspect.signature(fn).parameters
        assert list(params)[0] == "case_id" and params["actor"].kind is inspect.Parameter.KEYWORD_ONLY, code
    with pytest.raises(ValueError):
        _core.action("file")(lambda case_id, *, actor: None)


def test_r14_perform_returns_the_case_even_when_the_act_returns_something_else(cw):
    case = cw.walk(cw.register(), "investigating")
    off = cw.actor("officer1")
    # ``pause_clock`` returns the pause; ``perform`` the case it changed, as the act left it.
    returned = s.perform(case.pk, "pause", {"kind": "testing", "reason": "送检"}, actor=off)
    assert isinstance(returned, s.Case) and returned.pk == case.pk
    case.refresh_from_db()
    assert (returned.state, returned.version, returned.next_due) == (case.state, case.version, case.next_due)
    entry = ledger.RecordEntry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert entry.action == "pause" and entry.payload["version"] == returned.version


def test_r14_perform_returns_the_moved_case_of_a_state_change(cw):
    case = cw.register()
    returned = s.perform(case.pk, "file", {"officer_ids": [cw.officer("officer1").pk, cw.officer("officer2").pk]},
                         actor=cw.actor("head1"))
    assert returned.state == "investigating" and returned.filed_on is not None
    assert ledger.RecordEntry.objects.filter(stream=case.stream, action="file").count() == 1


def test_r14_perform_of_an_unknown_action_is_a_404(cw):
    case = cw.register()
    with pytest.raises(Http404):
        s.perform(case.pk, "nonexistent", {}, actor=cw.actor("head1"))


def test_the_reads_stay_importable_from_services():
    from zhifa.cases import selectors

    for name in ("visible_cases", "get_case", "registrable_items", "pending_approvals", "pending_reviews", "record_of",
                 "deadlines_of", "allowed_actions", "situation", "policy", "overdue_counts", "case_documents"):
        assert getattr(s, name) is getattr(selectors, name), name
    assert kind_of(s.recompute_deadlines) == kind_of(s.recompute_after_holidays) == "derived"
    assert kind_of(s.register_source) == kind_of(s.reissue_case_document) == kind_of(s.perform) == "use_case"


def test_r15_every_act_of_a_whole_case_appends_its_entry_on_the_case_stream(cw):
    case = cw.walk(cw.register(), "archived")
    entries = list(ledger.RecordEntry.objects.filter(stream=f"case:{case.pk}").order_by("seq"))
    actions = [e.action for e in entries]
    assert actions[0] == "register"
    assert set(actions[1:]) <= set(workflow.BY_CODE) | {"review_invalidated"}
    for code in ("file", "show_credentials", "end_investigation", "review_case", "notify", "waive_defence", "decide",
                 "serve", "pay", "close", "archive"):
        assert code in actions, code
    versions = [e.payload["version"] for e in entries if e.action in workflow.BY_CODE]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)  # one version per act
    assert ledger.verify(case.stream) is None
