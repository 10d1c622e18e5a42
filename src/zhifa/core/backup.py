"""Backup and restore (数据备份恢复, GB/T 22239-2019 8.1.4.9): ``zhifa backup`` and
``zhifa restore``.

A backup is a folder ``zhifa-backup-YYYYmmdd-HHMMSS`` holding

- ``database.sqlite3`` (SQLite, through its online backup API: a consistent copy while the site
  runs) or ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media.tar`` — the stored files (documents, evidence, photos, imports);
- ``manifest.json`` — engine, time, the SHA-256 and size of each file, and the counts of the
  tables that matter (cases, documents, record entries, audit entries) for the restore to check.

``restore`` checks every hash first, refuses a database that already holds data, loads the
database (a copy of the file, or ``pg_restore``), unpacks the files, then compares the counts and
verifies every record chain; it says what it found. Schedule: docs/security.md.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
COUNTED = {
    "cases": "cases_case",
    "documents": "documents_document",
    "record_entries": "core_recordentry",
    "audit_entries": "core_securityevent",
    "users": "auth_user",
}


class BackupError(Exception):
    """Told to the operator in one Chinese line."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for name, table in COUNTED.items():
            if table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 — fixed table names
                counts[name] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432),
            "--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    return args, env


def _run(command: list[str], env: dict) -> subprocess.CompletedProcess:
    """Run PostgreSQL's client program; a missing one is told in Chinese, not as a traceback."""
    if shutil.which(command[0], path=env.get("PATH")) is None:
        raise BackupError(f"未找到 {command[0]}：请安装与数据库同版本的 PostgreSQL 客户端（Debian: postgresql-client）后重试")
    return subprocess.run(command, env=env, capture_output=True, text=True)


def backup(into: Path, now: dt.datetime) -> Path:
    """Write a backup folder under ``into``; returns it."""
    folder = Path(into) / f"zhifa-backup-{now:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    files = {}
    engine = _engine()
    if engine == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        target = folder / "database.dump"
        args, env = _pg_env()
        result = _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
        if result.returncode != 0:
            raise BackupError(f"pg_dump 失败：{result.stderr.strip()[:300]}")
    files[target.name] = target
    media = folder / "media.tar"
    with tarfile.open(media, "w") as archive:
        root = Path(settings.MEDIA_ROOT)
        if root.exists():
            archive.add(root, arcname="media")
    files[media.name] = media
    manifest = {
        "format": 1, "engine": engine, "created_at": now.isoformat(), "counts": _counts(),
        "files": {name: {"sha256": _sha256(path), "bytes": path.stat().st_size} for name, path in files.items()},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def check(folder: Path) -> dict:
    """The manifest, once every file's hash matches it (else ``BackupError``)."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} 中没有 {MANIFEST}：不是 zhifa 备份")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for name, expected in manifest["files"].items():
        file = Path(folder) / name
        if not file.exists() or _sha256(file) != expected["sha256"]:
            raise BackupError(f"备份文件 {name} 缺失或与清单中的 SHA-256 不符：备份已损坏，不能恢复")
    return manifest


def _database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return True
    counts = _counts()
    return not any(counts.values())


def restore(folder: Path) -> dict:
    """Restore a checked backup into the configured, empty database and media folder; returns
    ``{"counts": …, "expected": …, "chains": n, "broken": [...]}``."""
    from zhifa.core import ledger
    from zhifa.core.security import audit

    folder = Path(folder)
    manifest = check(folder)
    if manifest["engine"] != _engine():
        raise BackupError(f"备份来自 {manifest['engine']}，当前数据库是 {_engine()}：请恢复到同类数据库")
    if not _database_is_empty():
        raise BackupError("目标数据库已有数据：恢复只写入空数据库（请新建数据库后再恢复）")
    if manifest["engine"] == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(folder / "database.sqlite3")
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        args, env = _pg_env()
        connection.close()
        result = _run(["pg_restore", "--no-owner", "--exit-on-error", *args, str(folder / "database.dump")], env)
        if result.returncode != 0:
            raise BackupError(f"pg_restore 失败：{result.stderr.strip()[:300]}")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media") or ".." in Path(member.name).parts or member.issym() or member.islnk():
                raise BackupError(f"备份中的文件名不合法：{member.name}")
            relative = Path(member.name).relative_to("media")
            if member.isdir():
                (media_root / relative).mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                (media_root / relative).parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, (media_root / relative).open("wb") as target:
                    shutil.copyfileobj(source, target)
    count, broken = ledger.verify_all()
    return {"counts": _counts(), "expected": manifest["counts"], "chains": count,
            "broken": [b.as_dict() for b in broken], "audit": audit.verify()}
