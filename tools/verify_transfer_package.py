#!/usr/bin/env python3
"""Check a zhifa transfer package (移送案卷包, ``zhifa-transfer-package/1``) without zhifa.

    python3 verify_transfer_package.py package.json

Only Python's standard library is used (SM3 through OpenSSL's ``hashlib.new("sm3")``). Checked:

1. the package's digest: SHA-256 of the canonical package without its ``digest`` member;
2. every document's data hash: SHA-256 of canonical ``{"number", "version", "kind", "data"}``;
3. every record stream: entries numbered 1, 2, …, each linked to the previous entry's hash, each
   hash = H(previous_hash ‖ canonical(content)) with the entry's algorithm;
4. every document the transfer's record names carries the data hash the document has.

``canonical`` is JSON with sorted keys, separators "," and ":", non-ASCII kept, UTF-8.
Prints each problem; exit 0 when every check holds.
"""
from __future__ import annotations

import hashlib
import json
import sys

GENESIS = "0" * 64


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check(package: dict) -> list[str]:
    problems = []
    if package.get("format") != "zhifa-transfer-package/1":
        problems.append(f"unknown format {package.get('format')!r}")
    body = {k: v for k, v in package.items() if k != "digest"}
    if hashlib.sha256(canonical(body)).hexdigest() != package.get("digest", {}).get("value"):
        problems.append("package digest does not match")
    hashes = {}
    for doc in package.get("documents", []):
        data = {"number": doc["number"], "version": doc["version"], "kind": doc["kind"], "data": doc["data"]}
        if hashlib.sha256(canonical(data)).hexdigest() != doc["data_sha256"]:
            problems.append(f"document {doc['number']}: data hash does not match")
        hashes[(doc["number"], doc["version"])] = doc["data_sha256"]
    for stream, entries in package.get("records", {}).items():
        previous = GENESIS
        for n, entry in enumerate(entries, start=1):
            content = entry["content"]
            if content.get("seq") != n or content.get("stream") != stream:
                problems.append(f"{stream}: entry {n} missing or out of order")
                break
            if entry["previous_hash"] != previous:
                problems.append(f"{stream} #{n}: not linked to the previous entry")
            digest = hashlib.new(entry["algorithm"])
            digest.update(entry["previous_hash"].encode())
            digest.update(canonical(content))
            if digest.hexdigest() != entry["hash"]:
                problems.append(f"{stream} #{n}: content does not match its hash")
            for named in content.get("payload", {}).get("documents", []) or []:
                key = (named.get("number"), named.get("version"))
                if key in hashes and hashes[key] != named.get("data_sha256"):
                    problems.append(f"{stream} #{n}: document {key[0]} differs from the one recorded")
            previous = entry["hash"]
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        package = json.load(f)
    problems = check(package)
    for p in problems:
        print("FAIL", p)
    if not problems:
        streams = package.get("records", {})
        print(f"OK: digest {package['digest']['value']}, {len(package.get('documents', []))} documents, "
              + ", ".join(f"{s} ({len(e)} entries)" for s, e in streams.items()))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
