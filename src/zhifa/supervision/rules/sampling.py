"""The random sample of closed case files (案卷随机抽查, R31), drawn verifiably like the
inspection draws (inspections/rules/draw.py): the pool of files is frozen and published with the
commitment to a secret; at the draw a witness value is entered and the secret revealed; the seed is
SHA-256 of the pool's digest, the secret and the witness; the files are drawn by the same partial
Fisher–Yates shuffle (``draw_positions``). Anyone can re-run it from the published values."""
from __future__ import annotations

from typing import Sequence

from zhifa.inspections.rules.draw import commitment_of, draw_positions, final_seed, sha256_hex  # noqa: F401

POOL_HEADER = "zhifa-case-file-sample/1"


def pool_document(plan: str, size: int, files: Sequence[tuple[int, str]]) -> str:
    """The frozen pool (抽查名单): one line per closed case file, ``<case id>,<binding hash>``,
    in case-id order, after a header naming the plan and the sample size."""
    lines = [POOL_HEADER, f"plan:{plan}", f"sample:{size}", f"count:{len(files)}"]
    lines += [f"{case_id},{digest}" for case_id, digest in sorted(files)]
    return "\n".join(lines) + "\n"


def pool_cases(document: str) -> list[int]:
    lines = document.splitlines()
    count = int(lines[3].split(":", 1)[1])
    return [int(line.split(",", 1)[0]) for line in lines[4:4 + count]]


def draw(document: str, secret_hex: str, witness: str, size: int) -> tuple[str, list[int]]:
    """(seed, the case ids drawn in draw order) from the published pool, the secret and the witness."""
    seed = final_seed(sha256_hex(document), secret_hex, witness)
    cases = pool_cases(document)
    positions = draw_positions(seed, len(cases), [], min(size, len(cases)))
    return seed, [cases[p] for p in positions]
