"""Inputs for the fast-path guard: garbage-laden Squid logs, and stores to compare."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb

from sentinelle.scan import ScanOptions, scan

# (table, ORDER BY): every stored row the two engines must agree on.  ``files`` is compared
# without its name (the same content may sit in two directories).
TABLES = {
    "files": "file_id",
    "hits": "file_id, seq",
    "rejects": "file_id, line",
    "discovery": "file_id, period, host, workstation",
}

HOSTS = [
    "www.example.org",
    "chatgpt.com",
    "CLAUDE.ai.",
    "cdn.oaistatic.com",
    "notchatgpt.com",
    "chatgpt.com.example.net",
    "intranet.chu",
    "gemini.google.com",
    "x.ai",
    "box.com",
    "my-ai-notes.io",
    "chatai.example.fr",
    "talbot.fr",
    "api.openai.com",
    "copilot.ai",
    "m365.cloud.microsoft",
    "perplexity.ai",
    "a--.example.com",
    "www.bing.com",
]
URLS = [
    "{h}:443",
    "http://{h}/p?utm_source=chatgpt.com",
    "https://{h}:8443/chat/x",
    "https://user:pw@{h}/",
    "http://{h}./",
    "{h}",
    "/relative/{h}",
    "error:invalid-request",
    "10.1.2.3:443",
    "[2001:db8::1]:443",
    "http://[2001:db8::1]/",
    "https://{h}/c?ref={h}",
    "HTTP://{h}:80#frag",
    "{h}:44x",
    "ftp://{h}",
    "http://{h}-/",
    "{h}://example.org/x",  # CONNECT takes the scheme as the host
    "error://{h}/",
]
GARBAGE = [
    "",
    "   ",
    "\t",
    "this is not a log line",
    "1785536587.000 garbage",
    "1785536588.abc    412 10.20.3.14 TCP_TUNNEL/200 5321 CONNECT chatgpt.com:443 x y -",
    "<134>Aug  1 00:00:01 pfsense (squid-1)[123]: ",
    "\x00\x01binary\xff",
    "é",
]


def line(rng: random.Random, t: float) -> str:
    host = rng.choice(HOSTS)
    url = rng.choice(URLS).format(h=host)
    method = rng.choice(["CONNECT", "GET", "POST", "connect", "HEAD"])
    code = rng.choice(["TCP_TUNNEL/200", "TCP_DENIED/407", "TCP_MISS/200", "NONE_NONE/000"])
    client = rng.choice(["10.1.0.10", "10.2.5.7", "2001:db8:1::42", "pc-sec-01", "not_an_ip!"])
    user = rng.choice(["-", "jdupont", "a%20user"])
    sep = rng.choice([" ", " ", " ", "  ", "\t"])
    ts = rng.choice([f"{t:.3f}", f"{t:.3f}", f"{t:.1f}", f"{t:.6f}", f"{int(t) % 10**9}.5"])
    text = sep.join(
        [
            ts,
            f"{rng.randint(0, 99999):>6}",
            client,
            code,
            str(rng.randint(0, 9999)),
            method,
            url,
            user,
            "HIER_DIRECT/192.0.2.1",
            rng.choice(["-", "text/html"]),
        ]
    )
    if rng.random() < 0.05:
        text += " trailing column"
    return text


def garbage_log(
    path: Path,
    n: int,
    seed: int,
    *,
    crlf: bool = False,
    final_newline: bool = True,
    mutate: float = 0.05,
) -> Path:
    """``n`` lines: valid ones of every shape, garbage, and random mutations of valid lines."""
    rng = random.Random(seed)
    out = []
    t = 1785536580.0
    for _ in range(n):
        t += rng.random() * 30
        if rng.random() < 0.05:
            out.append(rng.choice(GARBAGE))
            continue
        text = line(rng, t)
        if rng.random() < mutate:
            i = rng.randrange(len(text) + 1)
            text = (
                text[:i]
                + rng.choice(["", " ", "x", ":", "/", "\r", "-", "\t", "."])
                + text[i + rng.randint(0, 3) :]
            )
        out.append(text)
    eol = "\r\n" if crlf else "\n"
    data = eol.join(out) + (eol if final_newline else "")
    path.write_bytes(data.encode("utf-8", "surrogateescape"))
    return path


def stored(store: Path) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    con = duckdb.connect(str(store / "sentinelle.duckdb"), read_only=True)
    try:
        out = {}
        for table, order in TABLES.items():
            cols = "* EXCLUDE (name)" if table == "files" else "*"
            out[table] = con.execute(f"SELECT {cols} FROM {table} ORDER BY {order}").fetchall()
        return out
    finally:
        con.close()


def scan_with(
    paths: list[str], store: Path, engine: str, jobs: int = 1, **options: object
) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    scan(paths, store, ScanOptions(engine=engine, jobs=jobs, **options))  # type: ignore[arg-type]
    return stored(store)
