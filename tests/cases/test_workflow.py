"""The workflow table (workflow.py) is consistent and matches the services."""
from zhifa.cases import services, workflow

ROLES = {"staff", "officer", "head", "reviewer"}


def test_r14_every_action_names_known_states_roles_and_procedures():
    for a in workflow.ACTIONS:
        assert set(a.sources) <= set(workflow.STATES), a.code
        assert a.target is None or a.target in workflow.STATES, a.code
        assert a.role in ROLES and set(a.procedures) <= set(workflow.PROCEDURES), a.code
        assert a.label and a.effect and "WRONG_STATE" in a.guards, a.code


def test_r14_every_state_is_reachable_and_only_terminal_states_have_no_way_out():
    reached, frontier = {"source"}, ["source"]
    while frontier:
        state = frontier.pop()
        for a in workflow.ACTIONS:
            if state in a.sources:
                for nxt in filter(None, (a.target, "executed" if a.code in ("serve", "decide_on_spot") else None,
                                         "closed" if a.code == "correct" else None)):
                    if nxt not in reached:
                        reached.add(nxt)
                        frontier.append(nxt)
    assert reached == set(workflow.STATES)
    for state in workflow.STATES:
        leaving = [a for a in workflow.ACTIONS if state in a.sources and a.target not in (None, state)]
        assert bool(leaving) == (state not in workflow.TERMINAL), state


def test_r14_table_and_services_cover_the_same_actions():
    assert set(services.PERFORM) == set(workflow.BY_CODE)


def test_r14_allowed_actions_depend_on_state_procedure_and_role():
    scene = {"show_credentials", "inform_rights", "update_party"}  # R15: on-scene acts of any officer; the party completed
    assert set(workflow.allowed_actions("source", "normal", {"staff", "officer"})) == scene
    assert set(workflow.allowed_actions("source", "normal", {"officer", "head"})) == {"file", "decline", "assign", "escalate", "extend_filing"} | scene
    assert set(workflow.allowed_actions("source", "simple", {"officer"})) == {"decide_on_spot"} | scene
    assert "decide" in workflow.allowed_actions("notified", "normal", {"head"})
    assert workflow.allowed_actions("archived", "normal", {"staff", "officer", "head", "reviewer"}) == []
    assert "complete_review" in workflow.allowed_actions("reviewed", "normal", {"reviewer"})
