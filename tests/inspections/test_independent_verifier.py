"""tools/verify_draw.py — the published algorithm re-implemented with the standard library alone —
recomputes draws made by the platform from their exported public files (R28: anyone can check)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from zhifa.inspections import services
from zhifa.inspections.models import Entity

from .conftest import TODAY, make_entities
from .test_services import make_task

pytestmark = pytest.mark.usefixtures("frozen_clock")
VERIFIER = Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"


def run_verifier(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(VERIFIER), str(folder)], capture_output=True, text=True, timeout=60)


def export(draw, folder: Path) -> None:
    call_command("verify_draw", str(draw.pk), "--export", str(folder))


def test_r28_verifier_without_zhifa_agrees_with_weights_and_recusals(world, head, item, tmp_path):
    entities = make_entities(60)
    Entity.objects.filter(pk__in=[e.pk for e in entities[::4]]).update(complaint_count=2)
    officer = world.officers["officer1"]
    for entity in entities[:10]:
        services.declare_conflict(officer_id=officer.pk, entity_id=entity.pk, relation="近亲属任股东", starts_on=TODAY, actor=head)
    task = make_task(world, head, item, ratio_percent=None, sample_count=20, flagged_weight=4)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="人大代表 42", actor=head)
    export(draw, tmp_path)
    assert "recusals:0" not in (tmp_path / "frozen.txt").read_text()
    done = run_verifier(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("OK ") == 5 and "FAIL" not in done.stdout

    (tmp_path / "result.txt").write_text((tmp_path / "result.txt").read_text().replace(",", ";", 1), encoding="utf-8")
    tampered = run_verifier(tmp_path)
    assert tampered.returncode == 1 and "FAIL result recomputed matches result.txt" in tampered.stdout


def test_r28_verifier_detects_a_changed_frozen_list(world, head, item, tmp_path):
    make_entities(30)
    task = make_task(world, head, item)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="7", actor=head)
    export(draw, tmp_path)
    frozen = (tmp_path / "frozen.txt").read_text()
    (tmp_path / "frozen.txt").write_text(frozen.replace(",1\n", ",2\n", 1), encoding="utf-8")
    done = run_verifier(tmp_path)
    assert done.returncode == 1 and "FAIL frozen list matches the published digest" in done.stdout
