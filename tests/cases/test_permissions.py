"""Who may do what on a case (permissions.py): one place for the services, the selectors and the pages."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhifa.cases import permissions as p
from zhifa.cases import services as s
from zhifa.registry.models import Officer


def test_r14_roles_on_a_case(cw):
    case = s.Case.objects.select_related("body").get(pk=cw.register().pk)
    assert p.case_roles(cw.actor("officer1"), case) == {"staff", "officer"}
    assert p.case_roles(cw.actor("aux1"), case) == {"staff"}  # auxiliary staff never act as officers (R05)
    assert p.case_roles(cw.actor("head1"), case) == {"staff", "officer", "head"}
    assert "reviewer" in p.case_roles(cw.actor("reviewer1"), case)
    assert p.case_roles(cw.actor("officer_other"), case) == frozenset()
    with pytest.raises(PermissionDenied, match="本主体负责人"):
        p.require_role(cw.actor("officer1"), case, "head", "立案")
    p.require_role(cw.actor("head1"), case, "head", "立案")


def test_r14_an_officer_no_longer_active_has_no_role(cw):
    case = s.Case.objects.select_related("body").get(pk=cw.register().pk)
    Officer.objects.filter(pk=cw.officer("officer1").pk).update(status=Officer.Status.LEFT)
    assert p.case_roles(cw.actor("officer1"), case) == frozenset()


def test_r14_queues_and_registration(cw):
    assert p.is_head(cw.actor("head1")) and not p.is_head(cw.actor("officer1"))
    assert p.is_reviewer(cw.actor("reviewer1")) and not p.is_reviewer(cw.actor("officer1"))
    with pytest.raises(PermissionDenied):
        p.require_head(cw.actor("officer1"))
    with pytest.raises(PermissionDenied):
        p.require_reviewer(cw.actor("head1"))
    body = cw.officer("officer1").body_id
    assert p.may_register(cw.actor("aux1"), body) and p.may_register(cw.actor("aux1"))
    assert not p.may_register(cw.actor("officer_other"), body)
    with pytest.raises(PermissionDenied):
        p.require_register(cw.actor("officer_other"), body)
