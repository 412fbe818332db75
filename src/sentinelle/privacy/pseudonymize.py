"""Keyed pseudonyms (HMAC-SHA-256) for user names and workstation identities.

The key is a per-establishment secret created on first use in a file readable by its owner only,
kept *outside* the store (default ``~/.config/sentinelle/secret.key``; ``--secret FILE`` or
``SENTINELLE_SECRET`` to move it).  Without the key a pseudonym cannot be linked back to a name.
"""

from __future__ import annotations

import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from sentinelle.errors import PrivacyError

DEFAULT_SECRET = Path("~/.config/sentinelle/secret.key")


def secret_path(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    env = os.environ.get("SENTINELLE_SECRET")
    return Path(env) if env else DEFAULT_SECRET.expanduser()


def load_or_create_secret(path: Path | None = None) -> bytes:
    """The establishment's key, created (32 random bytes, mode 0600) when absent."""
    path = secret_path(path)
    try:
        if path.exists():
            key = bytes.fromhex(path.read_text().strip())
            if len(key) < 16:
                raise PrivacyError(f"{path}: the secret is too short ({len(key)} bytes)")
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key.hex() + "\n")
        return key
    except ValueError:
        raise PrivacyError(
            f"{path}: the secret file is not hexadecimal",
            hint="restore it from your backup; a new key breaks continuity",
        ) from None
    except OSError as e:
        raise PrivacyError(
            f"{path}: cannot read or create the secret ({e.strerror})",
            hint="set --secret FILE or SENTINELLE_SECRET to a writable place outside the store",
        ) from None


class Pseudonymizer:
    """``pseudonym(kind, value)``: the same (key, kind, value) always gives the same token."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self.pseudonym = lru_cache(maxsize=1 << 17)(self._pseudonym)

    def _pseudonym(self, kind: str, value: str | None) -> str | None:
        if value is None:
            return None
        mac = hmac.digest(self._key, f"{kind}\x00{value}".encode(), "sha256")  # one C call
        return f"{kind[0]}_{mac.hex()[:24]}"
