"""The double-random demo data: entities, plans, a revealed draw that verifies, an exclusion."""
from __future__ import annotations

import pytest

from zhifa.inspections import services
from zhifa.inspections.demo import load_inspections_demo
from zhifa.inspections.models import Draw, Entity, Exclusion, Inspection, InspectionPhoto, Plan

from .conftest import TODAY


@pytest.mark.usefixtures("frozen_clock")
def test_demo_loads_verifiable_draws_and_is_idempotent(world):
    created = load_inspections_demo(entities=400, today=TODAY)
    assert Entity.objects.count() == 400 and created["检查对象"] == 400
    assert Plan.objects.filter(year=TODAY.year).exists()
    draws = list(Draw.objects.filter(status=Draw.Status.REVEALED))
    assert len(draws) >= 2
    assert all(services.verify_draw(d).ok for d in draws)
    assert Exclusion.objects.filter(reason_code="recent").exists()
    assert Inspection.objects.exclude(outcome="").exists()
    photos = list(InspectionPhoto.objects.all())
    assert len(photos) == 2 and all(p.thumbnail and p.sha256 for p in photos) and not photos[0].inspection.published_on
    again = load_inspections_demo(entities=400, today=TODAY)
    assert again["检查对象"] == 0 and again["抽取"] == 0
    assert Entity.objects.count() == 400
