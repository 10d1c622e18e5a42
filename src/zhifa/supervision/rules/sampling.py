"""The random sample of closed case files (案卷随机抽查, R31), drawn verifiably like the
inspection draws (inspections/rules/draw.py).

1. Commit (冻结): the pool — every bound file of the plan's bodies closed in its period, one line
   ``<body id>,<case id>,<binding hash>`` in (body, case) order after a header — is frozen and
   published with the commitment ``SHA-256(secret)`` to a secret nobody else knows.
2. Draw (抽取): a witness value (见证值) is entered, unknown at commitment (a lottery number of
   the day); the secret is revealed; the seed is ``final_seed(SHA-256(pool), secret, witness)``.
3. Per body, ``files_per_body`` files are drawn by the partial Fisher–Yates shuffle of the
   inspection draws (``draw_positions``) driven by ``<seed>/body:<id>``.

Anyone can re-run ``draw`` from the published pool, secret and witness and get the same files.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from zhifa.inspections.rules.draw import commitment_of, draw_positions, final_seed, sha256_hex  # noqa: F401

POOL_HEADER = "zhifa-case-file-sample/1"


def pool_document(plan: str, per_body: int, files: Sequence[tuple[int, int, str]]) -> str:
    """The frozen pool: header (plan, files per body, count), then ``body,case,hash`` lines."""
    lines = [POOL_HEADER, f"plan:{plan}", f"per_body:{per_body}", f"count:{len(files)}"]
    lines += [f"{body},{case},{digest}" for body, case, digest in sorted(files)]
    return "\n".join(lines) + "\n"


def parse_pool(document: str) -> tuple[int, dict[int, list[int]]]:
    """(files per body, body id → its case ids in pool order)."""
    lines = document.splitlines()
    if len(lines) < 4 or lines[0] != POOL_HEADER:
        raise ValueError("不是案卷抽查名单")
    per_body, count = int(lines[2].split(":", 1)[1]), int(lines[3].split(":", 1)[1])
    strata: dict[int, list[int]] = defaultdict(list)
    for line in lines[4:4 + count]:
        body, case, _ = line.split(",", 2)
        strata[int(body)].append(int(case))
    return per_body, dict(strata)


def draw(document: str, secret_hex: str, witness: str) -> tuple[str, list[tuple[int, int]]]:
    """(seed, the (body id, case id) pairs drawn: bodies in id order, each body's in draw order)."""
    seed = final_seed(sha256_hex(document), secret_hex, witness)
    per_body, strata = parse_pool(document)
    drawn = []
    for body in sorted(strata):
        cases = strata[body]
        for p in draw_positions(f"{seed}/body:{body}", len(cases), [], min(per_body, len(cases))):
            drawn.append((body, cases[p]))
    return seed, drawn
