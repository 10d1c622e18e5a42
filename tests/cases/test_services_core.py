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
    assert set(actions[1:]) <= set(workflow.BY_CODE) | {"review_invalidated", "bind_file"}  # bind_file: the case file (卷宗), bound on archiving
    for code in ("file", "show_credentials", "end_investigation", "review_case", "notify", "waive_defence", "decide",
                 "serve", "pay", "close", "archive"):
        assert code in actions, code
    versions = [e.payload["version"] for e in entries if e.action in workflow.BY_CODE]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)  # one version per act
    assert ledger.verify(case.stream) is None


# --- The act skeleton: _act, _Act.commit, _set_and_record ----------------------------------

def _entries(case) -> int:
    return ledger.RecordEntry.objects.filter(stream=case.stream).count()


def test_r14_act_refuses_its_checks_after_the_role_and_state_and_changes_nothing(cw):
    from zhifa.core.violations import Refused, Violation

    case = cw.register()
    before, head = _entries(case), cw.actor("head1")
    guard = Violation("REASON_REQUIRED", "请填写理由。")
    for checks in ([guard], lambda locked: [guard] if locked.pk == case.pk else []):
        with pytest.raises(Refused) as refused:
            with _core._act(case.pk, "decline", head, checks) as (_case, act):
                raise AssertionError("the block runs only when the checks pass")
        assert [v.code for v in refused.value.violations] == ["REASON_REQUIRED"]
    # A state the act may not start from: the workflow's refusal comes first, with the checks.
    s.decline_case(case.pk, reason="不存在违法事实", actor=head)
    with pytest.raises(Refused) as refused:
        with _core._act(case.pk, "decline", head, [guard]) as (_case, act):
            pass
    assert [v.code for v in refused.value.violations] == ["WRONG_STATE", "REASON_REQUIRED"]
    assert _entries(case) == before + 1  # only the decline itself


def test_r14_commit_refuses_a_check_added_after_refuse_and_writes_no_entry(cw):
    from zhifa.core.violations import Refused, Violation

    case = cw.register()
    before = _entries(case)
    with pytest.raises(Refused):
        with _core._act(case.pk, "decline", cw.actor("head1")) as (_case, act):
            act.refuse()
            act.v.append(Violation("REASON_REQUIRED", "请填写理由。"))
            act.commit({"reason": ""})
    case.refresh_from_db()
    assert case.state == "source" and _entries(case) == before


def test_r14_set_and_record_saves_the_fields_and_appends_one_entry(cw):
    case = cw.walk(cw.register(), "investigated")
    before = _entries(case)
    s.review_case(case.pk, opinion="同意调查终结意见", is_major=True, actor=cw.actor("head1"))
    case.refresh_from_db()
    assert (case.state, case.case_review_opinion, case.is_major) == ("reviewed", "同意调查终结意见", True)
    entry = ledger.RecordEntry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert _entries(case) == before + 1 and entry.action == "review_case" and entry.payload["is_major"] is True
