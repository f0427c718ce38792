"""Candidates' personal data at rest: AES-GCM for name + ID number, HMAC-SHA256 for de-duplication.

The master key lives outside the database: `ONEX_ID_KEY_FILE` (a path) or `ONEX_ID_KEY`
(base64 of 32 random bytes). Without either, a development key is generated once under
`var/onex_id.key` (mode 0600) so the demo works; production must set one of the two, and
whoever loses the key loses the ID numbers (the counts and masked forms stay readable).
Two sub-keys are derived from the master key with HKDF, so the hash key cannot decrypt.
A sealed value starts with a version byte, so the key can be rotated later.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
import threading
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
NONCE_BYTES = 12
SEPARATOR = "\x1f"
AAD = b"onex.monitoring.candidate"
NONCE = struct.Struct(">8sI")  # the random prefix, then the counter


@dataclass(frozen=True)
class Keys:
    aead: AESGCM
    mac: bytes
    # HMAC-SHA256 (RFC 2104) with the key's inner and outer blocks hashed once: each hash then
    # costs two state copies instead of a fresh HMAC (a million rows an import, see bench/).
    inner: object = None
    outer: object = None


def dev_key_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "onex_id.key"


def _read_master_key() -> bytes:
    path = os.environ.get("ONEX_ID_KEY_FILE")
    if path:
        text = Path(path).read_text(encoding="ascii").strip()
    elif os.environ.get("ONEX_ID_KEY"):
        text = os.environ["ONEX_ID_KEY"].strip()
    else:
        text = _dev_key()
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as exc:
        raise ImproperlyConfigured("ONEX_ID_KEY must be base64 of 32 random bytes") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("ONEX_ID_KEY must be base64 of 32 random bytes")
    return key


def _dev_key() -> str:
    path = dev_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(text + "\n")
    return path.read_text(encoding="ascii").strip()


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@lru_cache(maxsize=1)
def keys() -> Keys:
    master = _read_master_key()
    mac = _derive(master, b"onex id hmac v1")
    block = mac.ljust(64, b"\0")  # SHA-256's block size; the key is shorter, so it is padded
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return Keys(aead=AESGCM(_derive(master, b"onex id aead v1")), mac=mac, inner=inner, outer=outer)


class _Nonces:
    """96-bit GCM nonces: 8 random bytes per process and key, then a 32-bit counter (NIST SP 800-38D
    §8.2.1, deterministic construction): unique without a system call for every row."""

    def __init__(self):
        self.lock = threading.Lock()
        self.start()

    def start(self) -> None:
        self.prefix = os.urandom(8)
        self.counter = 0
        self.pid = os.getpid()

    def reserve(self, count: int) -> tuple[bytes, int]:
        """(prefix, first counter) of `count` nonces no other caller gets, in any thread."""
        with self.lock:
            if self.counter + count > 1 << 32 or self.pid != os.getpid():  # exhausted, or a forked child
                self.start()
            first = self.counter
            self.counter += count
            return self.prefix, first

    def next(self) -> bytes:
        return NONCE.pack(*self.reserve(1))


_nonces = _Nonces()


def forget_keys() -> None:
    """Drop the cached keys (after the environment changed, e.g. in tests)."""
    keys.cache_clear()
    with _nonces.lock:
        _nonces.start()


def id_hash(number: str) -> bytes:
    """HMAC-SHA256 of the number: de-duplicates candidates without storing the number in the clear."""
    return Sealer().hash(number)


def seal(name: str, number: str) -> bytes:
    """AES-256-GCM of name and number, with the version byte and the nonce in front."""
    return Sealer().seal(name, number)


class Sealer:
    """`hash` and `seal` with the keys looked up once, for loops over a million rows."""

    def __init__(self):
        found = keys()
        self.inner, self.outer, self.aead = found.inner, found.outer, found.aead

    def hash(self, number: str) -> bytes:
        inner = self.inner.copy()
        inner.update(number.encode("ascii"))
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def seal(self, name: str, number: str) -> bytes:
        nonce = _nonces.next()
        return VERSION + nonce + self.aead.encrypt(nonce, f"{name}{SEPARATOR}{number}".encode(), AAD)

    def hash_many(self, numbers: list[str]) -> list[bytes]:
        """`hash` of each number (ASCII: checked before), the loop kept to C calls on locals."""
        out: list[bytes] = []
        inner, outer = self.inner.copy, self.outer.copy
        append = out.append
        for number in numbers:
            first = inner()
            first.update(number.encode())
            second = outer()
            second.update(first.digest())
            append(second.digest())
        return out

    def seal_many(self, names: list[str], numbers: list[str]) -> list[bytes]:
        """`seal` of each (name, number) pair, with consecutive nonces; the loops run inside map()."""
        prefix, first = _nonces.reserve(len(numbers))
        nonces = list(map(NONCE.pack, repeat(prefix), range(first, first + len(numbers))))
        plain = map(str.encode, map(SEPARATOR.join, zip(names, numbers, strict=True)))
        sealed = map(self.aead.encrypt, nonces, plain, repeat(AAD))
        return list(map(add, map(VERSION.__add__, nonces), sealed))


def unseal(blob: bytes) -> tuple[str, str]:
    """(name, ID number) from a sealed value; raises InvalidTag if it was tampered with."""
    blob = bytes(blob)
    if blob[:1] != VERSION:
        raise ValueError("unknown sealed-value version")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    name, _sep, number = keys().aead.decrypt(nonce, body, AAD).decode().partition(SEPARATOR)
    return name, number
