"""R25: the case package for the police and the procuratorate — JSON verifiable without zhifa
(tools/verify_transfer_package.py, standard library only), PDF index with the digest."""
from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_transfer_package.py"


def _tool():
    spec = importlib.util.spec_from_file_location("verify_transfer_package", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def package(api_as, tw):
    t = tw.walk(tw.report(), "received")
    r = api_as("officer1").get(f"/api/v1/transfers/{t.pk}/package.json")
    assert r.status_code == 200
    return json.loads(r.content)


def test_r25_package_verifies_without_zhifa(package, tmp_path):
    tool = _tool()
    assert tool.check(package) == []
    assert {d["kind"] for d in package["documents"]} >= {"crime_transfer_letter", "crime_case_report", "crime_exhibit_list"}
    assert len(package["records"]) == 2  # the transfer's and the case's
    path = tmp_path / "p.json"
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    assert tool.main(["x", str(path)]) == 0


def test_r25_package_tampering_is_found(package):
    tool = _tool()
    changed = copy.deepcopy(package)
    changed["documents"][0]["data"]["facts"] = "另写的事实"
    assert any("data hash" in p for p in tool.check(changed))
    changed = copy.deepcopy(package)
    stream = next(iter(changed["records"]))
    changed["records"][stream][0]["content"]["payload"]["report"] = "改过"
    problems = tool.check(changed)
    assert any("does not match its hash" in p for p in problems) and any("package digest" in p for p in problems)


def test_r25_package_pdf_and_scope(api_as, tw, media_root):
    t = tw.walk(tw.report(), "dispatched")
    r = api_as("officer1").get(f"/api/v1/transfers/{t.pk}/package.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    assert api_as("officer_other").get(f"/api/v1/transfers/{t.pk}/package.json").status_code == 404


def test_r25_package_is_signed_by_the_body_key(package, tmp_path, capsys):
    from zhifa.transfers.models import SigningKey

    tool = _tool()
    key = SigningKey.objects.get(retired_at__isnull=True)
    sig = package["signature"]
    assert sig["algorithm"] == "Ed25519" and sig["key_id"] == key.key_id and sig["public_key"] == key.public_key
    assert key.private_key and bytes(key.private_key)[:1] == b"0"  # DER, encrypted PKCS#8: no raw key stored
    assert tool.check(package, key.key_id) == [] and tool.check(package, key.public_key) == []
    path = tmp_path / "p.json"
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    assert tool.main(["x", str(path), "--key", key.key_id]) == 0
    assert key.key_id in capsys.readouterr().out
    assert tool.main(["x", str(path), "--key", "0" * 16]) == 1


def test_r25_package_signature_tampering_is_found(package):
    """A forger who changes a document and recomputes every hash still cannot sign: the signature
    fails; a package re-signed with another key fails the pinned key; an unsigned one fails."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    tool = _tool()
    pinned = package["signature"]["key_id"]
    forged = copy.deepcopy(package)
    doc = forged["documents"][0]
    doc["data"]["facts"] = "另写的事实"
    doc["data_sha256"] = hashlib.sha256(tool.canonical(
        {"number": doc["number"], "version": doc["version"], "kind": doc["kind"], "data": doc["data"]})).hexdigest()
    body = {k: v for k, v in forged.items() if k not in ("digest", "signature")}
    forged["digest"]["value"] = hashlib.sha256(tool.canonical(body)).hexdigest()
    problems = tool.check(forged, pinned)
    assert "signature does not match the digest and the named key" in problems and not any("package digest" in p for p in problems)
    other = Ed25519PrivateKey.generate()
    raw = other.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    forged["signature"].update(public_key=base64.b64encode(raw).decode(), key_id=hashlib.sha256(raw).hexdigest()[:16],
                               value=base64.b64encode(other.sign(forged["digest"]["value"].encode())).decode())
    assert not any("signature" in p for p in tool.check(forged))  # consistent in itself …
    assert any("not with the key you were given" in p for p in tool.check(forged, pinned))  # … but not the body's key
    unsigned = copy.deepcopy(package)
    del unsigned["signature"]
    assert tool.check(unsigned) == ["package not signed (no Ed25519 signature of the digest)"]


def test_r25_signing_key_rotation_by_the_head_recorded(api_as, tw, package):
    from zhifa.core.ledger import RecordEntry
    from zhifa.transfers.models import SigningKey

    old = SigningKey.objects.get(retired_at__isnull=True)
    assert api_as("officer1").post("/api/v1/transfers/keys/rotate", {"reason": "例行轮换"}).status_code == 403
    r = api_as("head1").post("/api/v1/transfers/keys/rotate", {"reason": ""})
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "INVALID_INPUT"
    r = api_as("head1").post("/api/v1/transfers/keys/rotate", {"reason": "负责人变更，例行轮换"})
    assert r.status_code == 201, r.content
    new = r.json()
    old.refresh_from_db()
    assert old.retired_at is not None and new["key_id"] != old.key_id
    entries = list(RecordEntry.objects.filter(stream=f"signing-key:{old.body_id}").order_by("seq"))
    assert [e.action for e in entries] == ["create", "rotate"]
    assert entries[1].content()["payload"]["retired_key_id"] == old.key_id
    keys = api_as("officer1").get("/api/v1/transfers/keys").json()
    assert [k["key_id"] for k in keys] == [new["key_id"], old.key_id] and "private_key" not in keys[0]
    assert api_as("officer_other").get("/api/v1/transfers/keys").json() == []
    t_id = package["transfer"]["id"]
    again = json.loads(api_as("officer1").get(f"/api/v1/transfers/{t_id}/package.json").content)
    assert again["signature"]["key_id"] == new["key_id"] and _tool().check(again, new["key_id"]) == []
    assert _tool().check(package, old.key_id) == []  # an older package still verifies with the retired key
