"""Issue 15 §6: `zhifa backup` and `zhifa restore` — a backup restored into an empty database
holds every case, document and record chain intact, and the stored files; a damaged backup or a
database that already holds data is refused."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from zhifa.core import backup, ledger
from zhifa.core.security import audit

pytestmark = pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                reason="the SQLite path; PostgreSQL goes through pg_dump/pg_restore")


def _zhifa(var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({"ZHIFA_VAR_DIR": str(var_dir), "ZHIFA_DEBUG": "1", "ZHIFA_SQLITE_PATH": str(var_dir / "restored.sqlite3")})
    return subprocess.run([sys.executable, "-m", "zhifa", *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def stored(transactional_db, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "决定书.pdf").write_bytes(b"%PDF-1.7 example")
    for n in range(3):
        ledger.append(f"case:{900 + n}", "register", {"n": n}, actor=world.users["officer1"])
        audit.record("login", user=world.users["officer1"], request=False)
    return settings.MEDIA_ROOT


def test_backup_then_restore_into_an_empty_database_keeps_everything(stored, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    folder = backup.backup(tmp_path / "backups", dt.datetime(2026, 11, 23, 18, 0))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"database.sqlite3", "media.tar"}
    assert manifest["counts"]["record_entries"] >= 3 and manifest["counts"]["audit_entries"] >= 3
    target = tmp_path / "target"
    target.mkdir()
    restored = _zhifa(target, "restore", str(folder))
    assert restored.returncode == 0, restored.stderr
    assert "校验完整" in restored.stdout
    assert (target / "media" / "documents" / "决定书.pdf").read_bytes() == b"%PDF-1.7 example"
    verified = _zhifa(target, "verify-records")
    assert verified.returncode == 0 and "全部完整" in verified.stdout, verified.stderr
    # a second restore into the now non-empty database is refused
    again = _zhifa(target, "restore", str(folder))
    assert again.returncode != 0 and "已有数据" in again.stderr


def test_a_damaged_backup_is_refused(stored, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    folder = backup.backup(tmp_path / "backups", dt.datetime(2026, 11, 23, 18, 0))
    with (folder / "media.tar").open("ab") as file:
        file.write(b"tampered")
    with pytest.raises(backup.BackupError, match="SHA-256"):
        backup.check(folder)
    target = tmp_path / "target"
    target.mkdir()
    result = _zhifa(target, "restore", str(folder))
    assert result.returncode != 0 and "损坏" in result.stderr
