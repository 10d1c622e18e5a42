#!/usr/bin/env python3
"""Check a zhifa transfer package (移送案卷包, ``zhifa-transfer-package/1``) without zhifa.

    python3 verify_transfer_package.py package.json [--key PUBLIC_KEY_OR_FINGERPRINT]

Python's standard library (SM3 through OpenSSL's ``hashlib.new("sm3")``) and ``cryptography``
(Ed25519) are used. Checked:

1. the package's digest: SHA-256 of the canonical package without its ``digest`` and ``signature``
   members; the body's signature (Ed25519 over the digest's hex) with the public key the package
   names — and, with ``--key``, that this key is the one the body gave you (its Base64 public key
   or its 16-hex-digit fingerprint, the first digits of SHA-256 of the raw public key);
2. every document's data hash: SHA-256 of canonical ``{"number", "version", "kind", "data"}``;
3. every record stream: entries numbered 1, 2, …, each linked to the previous entry's hash, each
   hash = H(previous_hash ‖ canonical(content)) with the entry's algorithm;
4. every document the transfer's record names carries the data hash the document has.

``canonical`` is JSON with sorted keys, separators "," and ":", non-ASCII kept, UTF-8.
Prints each problem; exit 0 when every check holds.
"""
from __future__ import annotations

import base64
import hashlib
import json
import sys

GENESIS = "0" * 64


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check_signature(package: dict, expected_key: str = "") -> list[str]:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    sig = package.get("signature") or {}
    if sig.get("algorithm") != "Ed25519" or sig.get("signed") != "digest":
        return ["package not signed (no Ed25519 signature of the digest)"]
    try:
        raw = base64.b64decode(sig["public_key"], validate=True)
        fingerprint = hashlib.sha256(raw).hexdigest()[:16]
        Ed25519PublicKey.from_public_bytes(raw).verify(base64.b64decode(sig["value"], validate=True),
                                                       str(package.get("digest", {}).get("value", "")).encode())
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return ["signature does not match the digest and the named key"]
    problems = []
    if fingerprint != sig.get("key_id"):
        problems.append("signature key fingerprint does not match its public key")
    if expected_key and expected_key not in (sig["public_key"], fingerprint):
        problems.append(f"signed with key {fingerprint}, not with the key you were given")
    return problems


def check(package: dict, expected_key: str = "") -> list[str]:
    problems = []
    if package.get("format") != "zhifa-transfer-package/1":
        problems.append(f"unknown format {package.get('format')!r}")
    body = {k: v for k, v in package.items() if k not in ("digest", "signature")}
    if hashlib.sha256(canonical(body)).hexdigest() != package.get("digest", {}).get("value"):
        problems.append("package digest does not match")
    problems += check_signature(package, expected_key)
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
    args = argv[1:]
    expected = ""
    if "--key" in args:
        at = args.index("--key")
        if at + 1 >= len(args):
            print(__doc__)
            return 2
        expected = args[at + 1]
        del args[at:at + 2]
    if len(args) != 1:
        print(__doc__)
        return 2
    with open(args[0], encoding="utf-8") as f:
        package = json.load(f)
    problems = check(package, expected)
    for p in problems:
        print("FAIL", p)
    if not problems:
        streams = package.get("records", {})
        sig = package["signature"]
        print(f"OK: signed by {sig.get('body', '')} with Ed25519 key {sig['key_id']}"
              + ("" if expected else " (compare this fingerprint with the one the body gave you, or pass --key)"))
        print(f"OK: digest {package['digest']['value']}, {len(package.get('documents', []))} documents, "
              + ", ".join(f"{s} ({len(e)} entries)" for s, e in streams.items()))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
