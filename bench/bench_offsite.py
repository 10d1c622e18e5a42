"""Off-site enforcement (R22): a batch of captures imported (issue 16's bar).

- import: ``offsite.services.import_captures`` of a 10,000-row manifest with its 10,000 files
  (read from disk one at a time, hashed in chunks and stored under their hash), in one batch:
  rows/s, and the growth of the process's peak memory during the import (the files are streamed,
  never all in memory);
- re-import of the same batch (every row a duplicate: nothing stored, one record entry);
- PostgreSQL only: a plain ``COPY`` of the same rows (hashes already computed, no files) into a
  table of the capture table's shape (``LIKE offsite_capture INCLUDING ALL``: keys and indexes),
  and the ratios: the whole import, and its rows (the files apart), to it (bar: 50 %).

Sizes: ZHIFA_BENCH_CAPTURES (10000), ZHIFA_BENCH_CAPTURE_BYTES (20000, the size of each file);
ZHIFA_BENCH_ROUNDS (3): the COPY is timed that many times and the best kept.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Mapping

from bench.timing import best_copy_seconds


class DiskFiles(Mapping):
    """The uploaded files of a batch as they sit on disk: each opened when the import asks for it
    and closed once read (``close_after_read``), so 10,000 files never hold 10,000 descriptors."""

    close_after_read = True

    def __init__(self, folder: str, names: list[str]):
        self.folder, self.names = folder, set(names)

    def __getitem__(self, name):
        from django.core.files import File

        if name not in self.names:
            raise KeyError(name)
        return File(open(os.path.join(self.folder, name), "rb"), name=name)

    def __iter__(self):
        return iter(self.names)

    def __len__(self):
        return len(self.names)


def _setup():
    from django.contrib.auth.models import User

    from zhifa.catalog.models import Item, Law
    from zhifa.registry import access
    from zhifa.registry.models import Body, Jurisdiction

    city, _ = Jurisdiction.objects.get_or_create(code="659800", defaults=dict(name="基准市", level="city"))
    body, _ = Body.objects.get_or_create(code="BENCH-JJ", defaults=dict(
        name="基准市公安局交通警察支队", jurisdiction=city, sector="other", legal_representative="某某", address="某路1号",
        supervision_phone="12345"))
    item, _ = Item.objects.get_or_create(code="BENCH-FXC-1", defaults=dict(
        name="对违反禁止标线指示的处罚", kind="penalty", legal_basis="《中华人民共和国道路交通安全法》第九十条", body=body,
        valid_from=dt.date(2024, 1, 1)))
    law, _ = Law.objects.get_or_create(title="中华人民共和国道路交通安全法", version_date=dt.date(2021, 4, 29), defaults=dict(
        short_title="道路交通安全法", level="law", effective_from=dt.date(2021, 4, 29)))
    user, _ = User.objects.get_or_create(username="bench-admin", defaults=dict(is_superuser=True, is_staff=True))
    return access.actor_for(user), body, item, law


def run() -> list[tuple[str, float, str]]:
    from django.db import connection
    from django.test import override_settings

    from zhifa.core import clock
    from zhifa.offsite import inputs, services
    from zhifa.offsite.models import Capture

    n = int(os.environ.get("ZHIFA_BENCH_CAPTURES", "10000"))
    size = int(os.environ.get("ZHIFA_BENCH_CAPTURE_BYTES", "20000"))
    rounds = int(os.environ.get("ZHIFA_BENCH_ROUNDS", "3"))
    folder = tempfile.mkdtemp(prefix="zhifa-bench-captures-")
    media = tempfile.mkdtemp(prefix="zhifa-bench-media-")
    out: list[tuple[str, float, str]] = []
    try:
        actor, body, item, law = _setup()
        today = clock.today()
        device = services.register_device(
            code="BENCH-CAM-1", name="基准路口摄像机", kind="camera", item_code=item.code, location="基准市人民路口",
            basis_law_id=law.pk, basis_article="第一百一十四条", legal_review_on=today - dt.timedelta(days=400),
            technical_review_on=today - dt.timedelta(days=400), signage_on=today - dt.timedelta(days=400),
            published_on=today - dt.timedelta(days=400), body_id=body.pk, actor=actor)
        start = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(0, 0))
        lines = ["taken_at,subject,file,description,party_name"]
        copy_rows = io.StringIO()
        names = []
        for i in range(n):
            name = f"cap{i:06d}.jpg"
            content = hashlib.sha256(str(i).encode()).digest() * (size // 32 + 1)
            content = content[:size]
            with open(os.path.join(folder, name), "wb") as f:
                f.write(content)
            names.append(name)
            taken = start + dt.timedelta(seconds=17 * i)
            subject = f"新A{i % 90000:05d}"
            lines.append(f"{taken.isoformat()},{subject},{name},机动车违反禁止标线指示,车主{i}")
            sha = hashlib.sha256(content).hexdigest()
            copy_rows.write(f"{device.pk}\t\\N\t{taken.isoformat()}+08:00\t{subject}\t机动车违反禁止标线指示\t车主{i}\t"
                            f"captures/{device.pk}/{sha[:2]}/{sha}.jpg\t{sha}\t{size}\timage/jpeg\tpending\t\t\t\t\t\t[]\n")
        manifest = "\n".join(lines).encode()
        with override_settings(MEDIA_ROOT=media):
            # Best of ``rounds`` (the machine is shared): each round a new device of the same
            # file, so that every round imports the 10,000 captures afresh.
            elapsed = rows_elapsed = files_elapsed = float("inf")
            growth = 0
            for r in range(rounds):
                target = device if r == 0 else services.register_device(
                    code=f"BENCH-CAM-{r + 1}", name="基准路口摄像机", kind="camera", item_code=item.code, location="基准市人民路口",
                    basis_law_id=law.pk, basis_article="第一百一十四条", legal_review_on=today - dt.timedelta(days=400),
                    technical_review_on=today - dt.timedelta(days=400), signage_on=today - dt.timedelta(days=400),
                    published_on=today - dt.timedelta(days=400), body_id=body.pk, actor=actor)
                started = time.perf_counter()
                rows = inputs.parse_manifest("bench.csv", manifest)
                peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                import_started = time.perf_counter()
                batch = services.import_captures(target.pk, rows=rows, files=DiskFiles(folder, names), manifest_name="bench.csv",
                                                 actor=actor)
                done = time.perf_counter()
                elapsed = min(elapsed, done - started)
                growth = max(growth, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before)
                # The database part: everything after the files, up to the commit (the foreign-key
                # checks and index writes PostgreSQL defers to it included).
                rows_elapsed = min(rows_elapsed, done - import_started - batch.timings["files"])
                files_elapsed = min(files_elapsed, batch.timings["files"])
                assert batch.created == n, (batch.created, batch.refusals[:3])
                if os.environ.get("ZHIFA_BENCH_DETAIL"):
                    print({k: round(v, 3) for k, v in batch.timings.items()}, "commit", round(done - import_started - batch.timings["files"] - batch.timings["rows"], 3))
                del rows, batch
            out.append((f"capture import, {n:,} rows with {n:,} files of {size:,} bytes (manifest parsed, files hashed and stored; "
                        f"best of {rounds})", n / elapsed, "rows/s"))
            out.append((f"  of which the database part (look-up of stored keys, batch, COPY, counts, record, commit), {n:,} rows", n / rows_elapsed, "rows/s"))
            out.append((f"  of which the streaming pass (file opened, SHA-256, stored; row checked and built), {n:,} files", n / files_elapsed, "files/s"))
            out.append((f"peak memory growth during an import ({n * size / 1e6:,.0f} MB of files)", growth / 1024, "MB"))
            started = time.perf_counter()
            again = services.import_captures(device.pk, rows=inputs.parse_manifest("bench.csv", manifest),
                                             files=DiskFiles(folder, names), manifest_name="bench.csv", actor=actor)
            out.append((f"capture re-import, {n:,} duplicate rows (files hashed again, nothing stored)",
                        n / (time.perf_counter() - started), "rows/s"))
            assert again.created == 0 and again.duplicates == n
        assert Capture.objects.filter(device=device).count() == n
        if connection.vendor == "postgresql":
            data = copy_rows.getvalue().encode()
            # The capture table's own shape: columns, defaults, primary key, unique key and every
            # index (not the foreign keys, which COPY into a copy cannot check).
            copy_elapsed = best_copy_seconds(
                rounds, "bench_capture_copy", "CREATE TABLE bench_capture_copy (LIKE offsite_capture INCLUDING ALL)",
                "COPY bench_capture_copy (device_id, batch_id, taken_at, subject, description, party_name, file, sha256, size, "
                "content_type, state, measured_value, party_id_code, reviewer_name, reject_code, reject_reason, regions) FROM STDIN",
                lambda copy: copy.write(data))
            out.append((f"plain COPY of the same {n:,} rows (same table shape and indexes, hashes known, no files; best of {rounds})", n / copy_elapsed, "rows/s"))
            out.append(("capture import speed (rows and files) / plain COPY speed", 100 * copy_elapsed / elapsed, "%"))
            out.append(("capture import speed (the database part) / plain COPY speed (bar: 50)", 100 * copy_elapsed / rows_elapsed, "%"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(media, ignore_errors=True)
    return out
