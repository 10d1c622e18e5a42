"""Issue 15 §6 on PostgreSQL: `zhifa backup` through ``pg_dump`` and `zhifa restore` through
``pg_restore`` into a new, empty database keep every case, document, record chain and audit
entry; without the PostgreSQL client programs both stop with one Chinese line. Skipped on
SQLite (tests/core/test_backup.py) and, cleanly, where ``pg_dump`` is not installed."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.core.test_backup import stored  # noqa: F401 - the same stored data as the SQLite test
from zhifa.core import backup

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                reason="PostgreSQL only (run with DATABASE_URL=postgres://…)")
needs_client = pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
                                  reason="pg_dump/pg_restore not installed")


@pytest.fixture
def empty_database():
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"
    yield url
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _zhifa(var_dir: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({"ZHIFA_VAR_DIR": str(var_dir), "ZHIFA_DEBUG": "1", "DATABASE_URL": url})
    return subprocess.run([sys.executable, "-m", "zhifa", *args], env=env, capture_output=True, text=True, timeout=300)


@needs_client
def test_r15_pg_dump_backup_restores_into_an_empty_database(stored, empty_database, tmp_path):
    folder = backup.backup(tmp_path / "backups", dt.datetime(2026, 11, 23, 18, 0))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgresql" and set(manifest["files"]) == {"database.dump", "media.tar"}
    assert manifest["counts"]["record_entries"] >= 3 and manifest["counts"]["audit_entries"] >= 3
    target = tmp_path / "target"
    target.mkdir()
    restored = _zhifa(target, empty_database, "restore", str(folder))
    assert restored.returncode == 0, restored.stderr
    assert "校验完整" in restored.stdout
    assert (target / "media" / "documents" / "决定书.pdf").read_bytes() == b"%PDF-1.7 example"
    verified = _zhifa(target, empty_database, "verify-records")
    assert verified.returncode == 0 and "全部完整" in verified.stdout, verified.stderr
    again = _zhifa(target, empty_database, "restore", str(folder))
    assert again.returncode != 0 and "已有数据" in again.stderr


def test_r15_without_pg_dump_backup_stops_with_a_chinese_line(stored, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(backup.BackupError, match="未找到 pg_dump"):
        backup.backup(tmp_path / "backups", dt.datetime(2026, 11, 23, 18, 0))
