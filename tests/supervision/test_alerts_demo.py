"""R33 on the demo city: ``zhifa demo`` ends with a sweep of the alert rules, which raises alerts
over the demo data; a second run raises none twice."""
from __future__ import annotations

import pytest

from tests.demo.test_demo import TODAY
from zhifa.demo.generator import load_demo
from zhifa.supervision.models import Alert
from zhifa.supervision.services import alerts


@pytest.mark.django_db
def test_r33_the_demo_ends_with_alerts_raised_by_a_sweep(media_root):
    result = load_demo(today=TODAY, real_lists=True)
    n = Alert.objects.count()
    assert n > 0 and 0 < result.created.get("执法监督预警", 0) <= n  # the rest raised by the hook after the demo's case acts
    by_rule = dict(Alert.objects.values_list("rule").annotate(__import__("django.db.models", fromlist=["Count"]).Count("pk")))
    print("demo alerts by rule:", by_rule)
    assert alerts.run_alerts(today=TODAY)["raised"] == 0
