"""The body's signature on a transfer package (移送案卷包签名): Ed25519 (RFC 8032) through
``cryptography``.

- ``new_key_pair()``: a fresh key pair as stored — the raw public key in Base64, its fingerprint
  (``key_id``: the first 16 hex digits of SHA-256 of the raw public key) and the private key as
  encrypted PKCS#8 (the password derived from the site's ``SECRET_KEY`` with HKDF-SHA256, so a copy
  of the database alone does not sign);
- ``sign(stored_private_key, message)`` / ``verify(public_key_b64, message, signature_b64)``.

What is signed is the package's digest (SHA-256 of the canonical package without its ``digest``
and ``signature`` members), as ASCII hex: ``tools/verify_transfer_package.py`` recomputes the
digest, then checks the signature with the public key the package names, and compares that key
with the one the recipient was given (``--key``) when given one.

SM2 (GB/T 32918) would be the national algorithm; no maintained Python library implements it
(``gmssl``'s last release is of 2023, pure Python, unaudited), so Ed25519 is used; the package
names its algorithm, so a later SM2 key is a new ``algorithm`` value, not a new format.
"""
from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

ALGORITHM = "Ed25519"


def _password() -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"zhifa", info=b"transfer package signing key").derive(
        settings.SECRET_KEY.encode())


def key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def new_key_pair() -> tuple[str, str, bytes]:
    """(key_id, public key in Base64, encrypted private key)."""
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    sealed = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                   serialization.BestAvailableEncryption(_password()))
    return key_id(public_raw), base64.b64encode(public_raw).decode(), sealed


def sign(sealed_private_key: bytes, message: bytes) -> str:
    private = serialization.load_der_private_key(bytes(sealed_private_key), password=_password())
    return base64.b64encode(private.sign(message)).decode()


def verify(public_key_b64: str, message: bytes, signature_b64: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64)).verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True
