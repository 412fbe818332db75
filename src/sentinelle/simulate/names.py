"""Made-up but plausible host names, server addresses and URL paths for the tables."""

from __future__ import annotations

from typing import Any

import numpy as np

ERROR_URL = "error:transaction-end-before-headers"


_SYL = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "ca",
    "ce",
    "ci",
    "co",
    "da",
    "de",
    "di",
    "do",
    "fa",
    "fe",
    "fi",
    "fo",
    "ga",
    "ge",
    "gi",
    "go",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "va",
    "ve",
    "vi",
    "vo",
    "za",
    "zo",
    "tra",
    "pro",
    "gre",
    "bla",
    "cli",
    "stu",
    "mar",
    "por",
    "ver",
    "tel",
    "lin",
    "net",
    "med",
    "soft",
    "web",
    "data",
]
_TLD = np.array(["com", "fr", "net", "org", "eu", "de", "io", "info", "be", "ch", "co.uk", "es"])
_SUB = np.array(["www.", "", "cdn.", "api.", "static.", "img.", "m.", "auth.", "mail."])


def long_tail(n: int, rng: np.random.Generator) -> list[str]:
    """Plausible but made-up hosts, plus CDN-style names; none ends in an AI domain."""
    syl = np.array(_SYL)
    words = np.char.add(
        np.char.add(syl[rng.integers(0, len(syl), n)], syl[rng.integers(0, len(syl), n)]),
        syl[rng.integers(0, len(syl), n)],
    )
    sub = _SUB[rng.integers(0, len(_SUB), n)]
    tld = _TLD[rng.integers(0, len(_TLD), n)]
    names = [
        f"{a}{w}.{t}" for a, w, t in zip(sub.tolist(), words.tolist(), tld.tolist(), strict=True)
    ]
    k = n // 5
    cdn = [f"e{rng.integers(1000, 99999)}.dscb.akamaiedge.net" for _ in range(k // 2)]
    cdn += [f"d{rng.integers(16**12, 16**13):x}.cloudfront.net" for _ in range(k - k // 2)]
    return names[: n - k] + cdn


def server_addresses(n: int, rng: np.random.Generator) -> list[str]:
    a = rng.integers(0, 256, (n, 4))
    a[:, 0] = rng.choice([13, 20, 23, 34, 52, 104, 142, 151, 172, 185, 192, 212], n)
    out = [f"{w}.{x}.{y}.{z}" for w, x, y, z in a.tolist()]
    six = np.flatnonzero(rng.random(n) < 0.08)
    for i in six.tolist():
        out[i] = f"2606:4700::{int(a[i, 2]):x}{int(a[i, 3]):02x}"
    return out


def plain_paths(rng: np.random.Generator) -> list[str]:
    fixed = [
        "/",
        "/index.html",
        "/favicon.ico",
        "/robots.txt",
        "/api/v1/status",
        "/wpad.dat",
        "/connecttest.txt",
        "/success.txt",
        "/generate_204",
    ]
    stems = [
        "/static/js/app.",
        "/assets/img/",
        "/images/",
        "/css/main.",
        "/api/v2/items/",
        "/fr/actualites/",
        "/article/",
        "/media/",
        "/pdf/recommandation-",
    ]
    exts = [".js", ".png", ".css", ".html", ".json", ".jpg", ".pdf", ""]
    gen = [
        f"{stems[rng.integers(len(stems))]}{rng.integers(1, 99999)}{exts[rng.integers(len(exts))]}"
        for _ in range(400)
    ]
    return fixed + gen


def ai_paths() -> list[str]:
    return [
        "/backend-api/conversation",
        "/api/append_message",
        "/c/6849f0a2-81c4",
        "/_next/static/chunks/main.js",
        "/api/organizations",
        "/app",
        "/search/new",
    ]


def referral_paths(prof: dict[str, Any]) -> list[str]:
    return [f"/article/{k}{q}" for k, q in enumerate(prof["referrer_queries"])]
