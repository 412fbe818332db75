"""Re-identification of one pseudonym, when the establishment's procedure allows it.

No table from pseudonyms back to names exists anywhere.  Re-identifying means holding the secret
and a list of *candidate* clear identities (the inventory's host names and addresses, the
directory's user names, or a plain list), recomputing each candidate's HMAC and comparing.
Every attempt — found or not — appends one JSON line to ``reidentify-audit.log`` beside the secret:
when, who (the operating-system user), why, which pseudonym, how many candidates, whether one
matched.  The clear identity found is printed, never logged.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sentinelle.errors import ConfigError, PrivacyError
from sentinelle.privacy.pseudonymize import Pseudonymizer, load_or_create_secret, secret_path

__all__ = ["AUDIT_LOG", "Reidentification", "audit_path", "candidates_from", "reidentify"]

AUDIT_LOG = "reidentify-audit.log"
_KINDS = {"w": "workstation", "u": "user"}
_COLUMNS = (
    "hostname",
    "ip",
    "name",
    "user",
    "username",
    "login",
    "samaccountname",
    "uid",
    "identity",
    "workstation",
)


@dataclass(frozen=True)
class Reidentification:
    pseudonym: str
    kind: str
    identity: str | None
    candidates: int
    audit_log: Path


def audit_path(secret: Path | None = None) -> Path:
    return secret_path(secret).parent / AUDIT_LOG


def candidates_from(path: Path) -> list[str]:
    """Clear identities from a CSV with a header (host name, address, user columns) or a list."""
    try:
        text = path.read_text("utf-8-sig")
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the candidates ({e.strerror})") from None
    first = text.split("\n", 1)[0].strip().lower()
    if any(c in first.replace(";", ",").split(",") for c in _COLUMNS) and (
        "," in first or ";" in first or first in _COLUMNS
    ):
        dialect = csv.Sniffer().sniff(first or ",", delimiters=",;\t") if first else csv.excel
        out: list[str] = []
        for row in csv.DictReader(io.StringIO(text), dialect=dialect):
            out += [
                v.strip()
                for k, v in row.items()
                if k and k.strip().lower() in _COLUMNS and v and v.strip()
            ]
        return out
    return [line.strip() for line in text.splitlines() if line.strip()]


def _variants(value: str, kind: str) -> Iterable[str]:
    """The spellings the scan could have hashed (host names are lower-cased, users as logged)."""
    yield value
    low = value.lower().rstrip(".")
    yield low
    if kind == "workstation":
        yield low.split(".", 1)[0]
    else:
        yield low.rsplit("\\", 1)[-1].split("@", 1)[0]


def reidentify(
    pseudonym: str, candidates: Iterable[str], why: str, secret: Path | None = None
) -> Reidentification:
    """Find which candidate has ``pseudonym`` under the secret; audit the attempt."""
    kind = _KINDS.get(pseudonym[:1]) if pseudonym[1:2] == "_" else None
    if kind is None:
        raise ConfigError(
            f"{pseudonym!r} is not a sentinelle pseudonym",
            hint="pseudonyms look like w_3f2a… (workstation) or u_9c01… (user)",
        )
    if len(why.strip()) < 10:
        raise PrivacyError(
            "--why must say why this re-identification is allowed",
            hint="e.g. --why 'security incident #2026-114, DPO approval 2026-09-02'",
        )
    path = secret_path(secret)
    if not path.exists():
        raise PrivacyError(
            f"{path}: no secret here; re-identification needs the establishment's secret",
            hint="point --secret or SENTINELLE_SECRET at the key file",
        )
    pseudo = Pseudonymizer(load_or_create_secret(path))
    pool = list(dict.fromkeys(candidates))
    found = next(
        (c for c in pool for v in _variants(c, kind) if pseudo.pseudonym(kind, v) == pseudonym),
        None,
    )
    log = _audit(path.parent / AUDIT_LOG, pseudonym, why, len(pool), found is not None)
    return Reidentification(pseudonym, kind, found, len(pool), log)


def _audit(log: Path, pseudonym: str, why: str, candidates: int, found: bool) -> Path:
    entry = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": _who(),
        "why": why.strip(),
        "pseudonym": pseudonym,
        "candidates": candidates,
        "matched": found,
    }
    try:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError as e:
        raise PrivacyError(
            f"{log}: cannot write the audit line ({e.strerror}); nothing shown",
            hint="re-identification is only allowed when it can be audited",
        ) from None
    return log


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"
