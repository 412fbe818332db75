"""A fast generator of CHU-shaped Squid native logs (research/scan-speed-limits.md §3).

~0.5 % AI lines (catalog domains and their subdomains), query-string traps
(``utm_source=chatgpt.com``), look-alike hosts (``chatgpt.com.login-verify.net``,
``notclaude.ai``), a Zipf long tail of ~200,000 ordinary hosts, 5,000 clients, one day
of diurnal traffic.  Deterministic for a given seed.
"""

from __future__ import annotations

import numpy as np

_HEAD = (
    "www.google.com",
    "www.youtube.com",
    "login.microsoftonline.com",
    "outlook.office365.com",
    "www.bing.com",
    "fonts.gstatic.com",
    "www.ameli.fr",
    "www.has-sante.fr",
    "www.vidal.fr",
    "pubmed.ncbi.nlm.nih.gov",
    "www.doctolib.fr",
    "teams.microsoft.com",
    "www.lemonde.fr",
    "update.googleapis.com",
    "ocsp.digicert.com",
    "www.service-public.fr",
    "cdn.jsdelivr.net",
)
_AI = (
    "chatgpt.com",
    "gemini.google.com",
    "claude.ai",
    "cdn.oaistatic.com",
    "copilot.microsoft.com",
    "www.perplexity.ai",
    "ab.chatgpt.com",
    "chat.deepseek.com",
    "chat.openai.com",
    "chat.mistral.ai",
    "files.oaiusercontent.com",
    "api.openai.com",
)
_AI_P = np.array([20, 10, 9, 8, 8, 6, 5, 5, 5, 4, 4, 3], float)
_LOOKALIKE = (
    "chatgpt.com.login-verify.net",
    "notclaude.ai.example.com",
    "mychatgpt.com.fr",
    "gemini.com.phish.io",
    "openai.com-secure.net",
)
_WORDS = (
    "cdn",
    "static",
    "api",
    "img",
    "media",
    "www",
    "assets",
    "edge",
    "m",
    "shop",
    "news",
    "mail",
    "portal",
    "data",
    "sync",
    "auth",
    "files",
    "video",
    "web",
    "app",
)
_TLDS = ("com", "fr", "net", "org", "io", "de", "eu", "co.uk", "info")
_STATUS = (
    ("TCP_TUNNEL/200", 0.75),
    ("TCP_DENIED/407", 0.084),
    ("TCP_MISS/200", 0.08),
    ("TCP_MISS/304", 0.03),
    ("TCP_DENIED/403", 0.019),
    ("TCP_HIT/200", 0.02),
    ("TCP_TUNNEL/503", 0.01),
    ("NONE_NONE/000", 0.007),
)


def _tail_hosts(rng: np.random.Generator, n: int) -> list[str]:
    w = rng.integers(0, len(_WORDS), n)
    t = rng.integers(0, len(_TLDS), n)
    k = rng.integers(0, 1 << 30, n)
    return [f"{_WORDS[a]}.site{c:x}.{_TLDS[b]}" for a, b, c in zip(w, t, k, strict=True)]


def generate(path: str, lines: int, seed: int = 42, ai_share: float = 0.005) -> dict[str, int]:
    """Write ``lines`` Squid lines to ``path``; return the generator's own counts."""
    rng = np.random.default_rng(seed)
    hosts = list(_HEAD) + _tail_hosts(rng, 200_000)
    zipf = 1.0 / np.arange(1, len(hosts) + 1) ** 0.9
    zipf /= zipf.sum()
    ips = [f"10.{20 + i // 250 % 20}.{i // 20 % 250}.{i % 250 + 1}" for i in range(5000)]
    users = ["-"] + [f"u{i:05d}" for i in range(7000)]
    codes, cp = zip(*_STATUS, strict=True)
    cpa = np.array(cp) / sum(cp)
    chunk = 200_000
    counts = {"lines": 0, "ai": 0, "traps": 0, "lookalikes": 0}
    t0 = 1785536580.0
    with open(path, "w", encoding="ascii", newline="\n") as out:
        for start in range(0, lines, chunk):
            n = min(chunk, lines - start)
            counts["lines"] += n
            out.write(
                _chunk(
                    rng, n, start, lines, t0, hosts, zipf, ips, users, codes, cpa, ai_share, counts
                )
            )
    return counts


def _chunk(rng, n, start, total, t0, hosts, zipf, ips, users, codes, cpa, ai_share, counts) -> str:  # type: ignore[no-untyped-def]
    ts = t0 + (start + np.arange(n)) * (86400.0 / total) + rng.random(n) * 0.5
    elapsed = rng.lognormal(4, 2, n).astype(np.int64) % 600000
    cli = rng.integers(0, len(ips), n)
    usr = rng.integers(0, len(users), n)
    code = rng.choice(len(codes), n, p=cpa)
    size = rng.lognormal(7, 2, n).astype(np.int64)
    host = rng.choice(len(hosts), n, p=zipf)
    kind = rng.random(n)
    ai = rng.choice(len(_AI), n, p=_AI_P / _AI_P.sum())
    method = rng.random(n)
    out = []
    for i in range(n):
        k = kind[i]
        if k < ai_share:
            h = _AI[ai[i]]
            counts["ai"] += 1
        elif k < ai_share + 0.0008:
            h = _LOOKALIKE[i % len(_LOOKALIKE)]
            counts["lookalikes"] += 1
        else:
            h = hosts[host[i]]
        m = method[i]
        if k >= ai_share and ai_share + 0.0008 <= k < ai_share + 0.0016:
            counts["traps"] += 1
            url = f"http://{h}/search?q=x&utm_source=chatgpt.com"
            meth = "GET"
        elif m < 0.855:
            url, meth = f"{h}:443", "CONNECT"
        elif m < 0.955:
            url, meth = f"http://{h}/p/{i % 977}.html", "GET"
        elif m < 0.975:
            url, meth = f"https://{h}/api/v{i % 3}/items?id={i % 10007}", "GET"
        elif m < 0.99:
            url, meth = f"http://{h}/submit", "POST"
        else:
            url, meth = f"http://{h}/", "HEAD"
        c = codes[code[i]]
        hier = (
            "HIER_NONE/-"
            if c.startswith(("TCP_DENIED", "TCP_HIT", "NONE"))
            else f"HIER_DIRECT/93.184.{i % 250}.{i % 199}"
        )
        u = "-" if c == "TCP_DENIED/407" else users[usr[i]]
        mime = "text/html" if meth != "CONNECT" else "-"
        out.append(
            f"{ts[i]:.3f} {elapsed[i]:>6} {ips[cli[i]]} {c} {size[i]} {meth} {url} {u} "
            f"{hier} {mime}\n"
        )
    return "".join(out)
