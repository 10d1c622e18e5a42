#!/usr/bin/env python3
"""Check a zhifa random draw (双随机抽取) from its published files, without zhifa.

    python3 verify_draw.py DIR

DIR holds what the platform publishes for a draw (``zhifa verify-draw ID --export DIR``, or the
draw's public API: ``frozen.txt``, ``draw.json``, ``result.txt``). Only Python's standard library
is used: this file is the algorithm of docs/inspections.md written out a second time,
independently of zhifa's code, so that anyone can re-run a draw. Exit 0 when every check holds.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def sha256_hex(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def read_frozen(text: str) -> dict:
    lines = text.split("\n")[:-1]
    algorithm, pos = lines[0], 1
    head = {}
    for key in ("task", "sample", "per_entity", "candidates"):
        name, value = lines[pos].split(":", 1)
        assert name == key, f"line {pos + 1}: expected {key}:"
        head[key] = value
        pos += 1
    n = int(head["candidates"])
    candidates = [(code, int(weight)) for code, weight in (line.split(",") for line in lines[pos:pos + n])]
    pos += n
    sections = {}
    for key in ("inspectors", "recusals", "excluded"):
        name, count = lines[pos].split(":")
        assert name == key, f"line {pos + 1}: expected {key}:"
        sections[key] = lines[pos + 1:pos + 1 + int(count)]
        pos += 1 + int(count)
    return {"algorithm": algorithm, "sample": int(head["sample"]), "per_entity": int(head["per_entity"]),
            "candidates": candidates, "inspectors": sections["inspectors"],
            "recusals": {tuple(line.split(",", 1)) for line in sections["recusals"]}}


def draw_entities(seed: str, candidates: list[tuple[str, int]], k: int) -> list[str]:
    """Step 3: a Fisher–Yates shuffle of the tickets, SHA-256 in counter mode."""
    tickets = list(range(len(candidates)))
    for round_ in range(1, max((w for _, w in candidates), default=1)):
        tickets += [position for position, (_, weight) in enumerate(candidates) if weight > round_]
    drawn: list[int] = []
    i = 0
    while len(drawn) < min(k, len(candidates)):
        j = i + int(sha256_hex(f"{seed}:{i}"), 16) % (len(tickets) - i)
        tickets[i], tickets[j] = tickets[j], tickets[i]
        if tickets[i] not in drawn:
            drawn.append(tickets[i])
        i += 1
    return [candidates[p][0] for p in drawn]


def draw_inspectors(seed: str, entities: list[str], inspectors: list[str], m: int, recusals: set) -> list[list[str]] | None:
    """Step 4: the inspectors in hash order, dealt round-robin, skipping recused ones."""
    queue = sorted(inspectors, key=lambda i: (sha256_hex(f"{seed}:inspector:{i}"), i))
    teams = []
    for code in entities:
        chosen, skipped = [], []
        while queue and len(chosen) < m:
            inspector = queue.pop(0)
            (skipped if (code, inspector) in recusals else chosen).append(inspector)
        queue = skipped + queue + chosen
        if len(chosen) < m:
            return None  # step 5: the draw cannot be completed
        teams.append(chosen)
    return teams


def main(folder: Path) -> int:
    frozen_text = (folder / "frozen.txt").read_text(encoding="utf-8")
    published = json.loads((folder / "draw.json").read_text(encoding="utf-8"))
    frozen = read_frozen(frozen_text)
    checks = [("frozen list matches the published digest", sha256_hex(frozen_text) == published["document_digest"])]
    secret, witness = published.get("secret"), published.get("witness")
    if secret is None:
        print("the draw has not been made yet: nothing more to check")
        return 1
    checks.append(("secret matches the commitment", sha256_hex(secret) == published["commitment"]))
    seed = sha256_hex(f"{frozen['algorithm']}\n{published['document_digest']}\n{secret}\n{witness.strip()}")
    checks.append(("seed recomputed", seed == published["seed"]))
    entities = draw_entities(seed, frozen["candidates"], frozen["sample"])
    teams = draw_inspectors(seed, entities, frozen["inspectors"], frozen["per_entity"], frozen["recusals"])
    if teams is None:
        checks.append(("the draw could not be completed, as recorded", published.get("status") == "refused"))
    else:
        result = "".join(f"{rank},{code},{'|'.join(team)}\n" for rank, (code, team) in enumerate(zip(entities, teams), 1))
        checks.append(("result recomputed matches the published digest", sha256_hex(result) == published.get("result_digest")))
        stored = folder / "result.txt"
        if stored.exists():
            checks.append(("result recomputed matches result.txt", stored.read_text(encoding="utf-8") == result))
    for text, ok in checks:
        print(("OK   " if ok else "FAIL ") + text)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
