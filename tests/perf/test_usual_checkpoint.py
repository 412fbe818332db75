"""Check Point on the native walker: which records are usual (their pairs read as free pairs of
the colon grammar, see ``test_colon_pairs.py``), and that the parser agrees with the walker on
each of them (the contract of ``formats/_usual.py``, as ``test_usual_profiles.py`` checks it)."""

from __future__ import annotations

import pytest

from tests.perf import _checkpoint as cp
from tests.perf.test_usual_profiles import _check_unflagged, walker_says


def _said(raw: bytes) -> str:
    return walker_says("checkpoint", raw)


def _with(shape: tuple[str, ...], key: str, value: str | None) -> bytes:
    """``shape`` with ``key``'s value replaced (None: the pair left out)."""
    pairs = [p for p in shape if not p.startswith(f"{key}:")]
    return cp.record(*pairs, *([f'{key}:"{value}"'] if value is not None else []))


U, F = cp.URL_FILTERING, cp.FIREWALL
CASES = [
    (cp.SHAPES[0], "chatgpt.com"),
    (cp.SHAPES[1], "chatgpt.com"),
    (cp.SHAPES[2], "chatgpt.com"),
    (cp.SHAPES[3], "chatgpt.com"),
    (cp.SHAPES[4], "Chat.Example.FR"),
    (cp.SHAPES[5], "no host"),
    (cp.SHAPES[6], "no host"),
    # the time: not epoch seconds, or none (the header's: the parser's to read)
    (_with(U, "time", "1772439245123"), "parser"),
    (_with(U, "time", None), "parser"),
    # the destination: none (a record the parser may skip), not an address
    (_with(U, "dst", None), "parser"),
    (_with(F, "dst", "none"), "parser"),
    # the URL: without a scheme (http_host's then), with a user, an address, a bad port
    (_with(U, "resource", "chatgpt.com/backend-api"), "parser"),
    (_with(U, "resource", "https://jd@chatgpt.com/"), "parser"),
    (_with(U, "resource", "https://104.18.32.47/"), "parser"),
    (_with(U, "resource", "https://chatgpt.com:x/"), "parser"),
    (_with(U, "resource", "https://chat..gpt.com/"), "parser"),
    (_with(U, "resource", "https://unknown/"), "parser"),
    # http_host: the parser's host without a URL, not with one; byte counts not numbers;
    # escapes, read by the parser as the walker reads them, but in the values it reads
    (_with(F, "http_host", "chatgpt.com"), "parser"),
    (_with(U, "http_host", "other.example.fr"), "chatgpt.com"),
    (_with(F, "client_inbound_bytes", "-1"), "parser"),
    (_with(F, "rule_name", 'web \\"out\\" \\]'), "no host"),
    (_with(F, "dst", "104.18.32.4\\7"), "parser"),
    # the legacy Fields@ and splunk layouts, another header
    (b'<134>1 2026-03-02T08:14:05Z gw CP - Log [Fields@1.3.6.1.4.1.2620 src="10.0.0.1"]', "parser"),
    (b"time=1772439245|src=10.20.3.14|dst=104.18.32.47|product=VPN-1", "parser"),
    (cp.record(*U, header="Mar  2 08:14:05 gw-chu CheckPoint: "), "parser"),
]


@pytest.mark.parametrize(("raw", "said"), CASES)
def test_a_record_is_usual_as_the_table_says_and_the_parser_agrees(raw: bytes, said: str) -> None:
    assert _said(raw) == said, raw
    _check_unflagged("checkpoint", raw)  # usual: the parser's host, time and kind agree
