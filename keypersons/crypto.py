"""The register's cryptography (GB/T 39786-2021, level 3: approved commercial cryptography for
the confidentiality of important data): SM4 in GCM mode for the values kept secret, and an
SM3 HMAC for finding a person by his ID number without decrypting anyone.

A stored value names its algorithm and key version: "sm4gcm:v2:<base64 of nonce, ciphertext
and tag>", so keys can be rotated (`manage.py keyperson_rotate_keys` re-encrypts every value
under the current version) and a value under a retired or unknown key fails loudly instead of
decrypting into rubbish. The 12-byte nonce is random per value; the field the value belongs to
is bound in as associated data, so a ciphertext copied into another column does not decrypt.

Keys: KEYPERSON_KEYS ("1:<32 hex digits>,2:<32 hex digits>"), new values under
KEYPERSON_KEY_VERSION (0: the highest given), the lookup key KEYPERSON_LOOKUP_KEY (hex). Left
empty (the demo, the tests), they are derived from SECRET_KEY with HKDF over SM3 (SHA-256 where
OpenSSL lacks SM3): never a key in the repository. Encryption is done explicitly by the
services (not by a custom model field), so nothing decrypts a value unless it asks for it, and
no query can silently compare a column with a plain value."""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "sm4gcm"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16


class DecryptionError(ValueError):
    """A stored value that cannot be read: unknown algorithm or key version, or tampered."""


def _sm3_available() -> bool:
    try:
        digest = hashes.Hash(hashes.SM3())
        digest.update(b"")
        digest.finalize()
        return True
    except Exception:  # an OpenSSL without SM3
        return False


HASH = hashes.SM3 if _sm3_available() else hashes.SHA256
HASH_NAME = "sm3" if HASH is hashes.SM3 else "sha256"


def _derive(secret: str, info: str, length: int = KEY_BYTES) -> bytes:
    return HKDF(algorithm=HASH(), length=length, salt=b"huxue-keypersons", info=info.encode()).derive(secret.encode())


@lru_cache(maxsize=8)
def _keys(configured: str, version: int, secret: str) -> tuple[dict[int, bytes], int]:
    keys: dict[int, bytes] = {}
    if configured.strip():
        for item in configured.split(","):
            number, _, hex_key = item.strip().partition(":")
            try:
                key_version = int(number)
                key = bytes.fromhex(hex_key.strip())
            except ValueError:
                raise ImproperlyConfigured("KEYPERSON_KEYS: write each key as <version>:<32 hex digits>") from None
            if key_version < 1 or len(key) != KEY_BYTES:
                raise ImproperlyConfigured("KEYPERSON_KEYS: versions from 1, keys of 32 hex digits (128 bits)")
            keys[key_version] = key
    else:
        keys[1] = _derive(secret, "keypersons sm4 key v1")
    current = version or max(keys)
    if current not in keys:
        raise ImproperlyConfigured(f"KEYPERSON_KEY_VERSION {current} is not among KEYPERSON_KEYS")
    return keys, current


def keys() -> tuple[dict[int, bytes], int]:
    """Every key by version, and the version new values are written under."""
    return _keys(settings.KEYPERSON_KEYS or "", settings.KEYPERSON_KEY_VERSION or 0, settings.SECRET_KEY)


def current_version() -> int:
    return keys()[1]


def current_prefix() -> str:
    """How a value written now begins: a value that does not is due for rotation."""
    return f"{ALGORITHM}:v{current_version()}:"


def encrypt(text: str, *, field: str) -> str:
    """`text` encrypted under the current key, bound to `field`; empty stays empty."""
    if text is None or text == "":
        return ""
    all_keys, version = keys()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(all_keys[version]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(field.encode())
    body = encryptor.update(str(text).encode()) + encryptor.finalize()
    return f"{ALGORITHM}:v{version}:{base64.b64encode(nonce + body + encryptor.tag).decode()}"


def key_version_of(stored: str) -> int | None:
    """The key version a stored value was written under (None for an empty value)."""
    if not stored:
        return None
    try:
        algorithm, version, _ = stored.split(":", 2)
        if algorithm != ALGORITHM or not version.startswith("v"):
            raise ValueError
        return int(version[1:])
    except ValueError:
        raise DecryptionError("not a value of the register's format") from None


def decrypt(stored: str, *, field: str) -> str:
    """The plain text of a stored value (empty stays empty). DecryptionError when its key is
    unknown or it was altered."""
    if not stored:
        return ""
    version = key_version_of(stored)
    key = keys()[0].get(version)
    if key is None:
        raise DecryptionError(f"no key of version {version}: is KEYPERSON_KEYS complete?")
    raw = base64.b64decode(stored.split(":", 2)[2])
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(field.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag:
        raise DecryptionError("the value does not match its tag: altered, or another field's") from None


@lru_cache(maxsize=4)
def _lookup_key(configured: str, secret: str) -> bytes:
    if configured.strip():
        try:
            key = bytes.fromhex(configured.strip())
        except ValueError:
            raise ImproperlyConfigured("KEYPERSON_LOOKUP_KEY: write it in hex digits") from None
        if len(key) < KEY_BYTES:
            raise ImproperlyConfigured("KEYPERSON_LOOKUP_KEY: at least 32 hex digits (128 bits)")
        return key
    return _derive(secret, "keypersons lookup key", 32)


def lookup_hash(normalised: str) -> str:
    """The keyed hash (HMAC-SM3) of a normalised ID number: the indexed column a person is
    found by. Without the lookup key, nobody can test a guessed number against a dump."""
    mac = crypto_hmac.HMAC(_lookup_key(settings.KEYPERSON_LOOKUP_KEY or "", settings.SECRET_KEY), HASH())
    mac.update(normalised.encode())
    return mac.finalize().hex()
