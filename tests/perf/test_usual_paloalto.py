"""PAN-OS on the native walker: which records are usual (their columns read as free columns,
see ``test_free_columns.py``), and that the parser agrees with the walker on each of them (the
contract of ``formats/_usual.py``, checked as ``test_usual_profiles.py`` does)."""

from __future__ import annotations

import pytest

from sentinelle.formats import ParseContext, get_format
from sentinelle.inputs import decode
from tests.perf import _paloalto as pan
from tests.perf.test_usual_profiles import _check_unflagged, walker_says

HIRES = "2026-03-02T09:14:05.123+01:00"


def _said(raw: bytes) -> str:
    return walker_says("paloalto", raw)


CASES = [
    (pan.SHAPES[0], "chat.example.fr"),
    (pan.SHAPES[1], "chat.example.fr"),
    (pan.SHAPES[2], "chat.example.fr"),
    (pan.SHAPES[3], "chat.example.fr"),
    (pan.SHAPES[4], "Chat.Example.FR"),
    (pan.SHAPES[5], "parser"),
    (pan.SHAPES[6], "skipped"),
    (pan.SHAPES[7], "no host"),
    (pan.SHAPES[8], "no host"),
    (pan.SHAPES[9], "no host"),
    (pan.SHAPES[10], "chat.example.fr"),
    (pan.SHAPES[11], "Chat.Example.FR."),
    # a decryption record without a name, an address as its name, a name with a port or quoted
    # (the parser then reads the certificate's name, or a host the walker leaves to it)
    (pan.decryption_record(sni=""), "parser"),
    (pan.decryption_record(sni="104.18.32.47"), "parser"),
    (pan.decryption_record(sni="chat.example.fr:443"), "parser"),
    (pan.decryption_record(sni='"chat.example.fr"'), "parser"),
    (pan.decryption_record(sni="none"), "parser"),
    (pan.decryption_record(sni="a..b.fr"), "parser"),
    (pan.decryption_record(at=999), "parser"),
    (pan.decryption_record(columns=63, at=999), "parser"),
    # PAN-OS 9 and before: no High Resolution Timestamp, a local Generated Time
    (pan.url_record(at=999), "parser"),
    (pan.traffic_record(at=999), "parser"),
    # the timestamp in another shape (microseconds, no fraction, no offset)
    (pan.url_record(hires="2026-03-02T09:14:05.123456+01:00"), "parser"),
    (pan.url_record(hires="2026-03-02T09:14:05+01:00"), "parser"),
    (pan.url_record(hires="2026-03-02T09:14:05.123"), "parser"),
    # an impossible time or offset
    (pan.url_record(hires="2026-02-29T09:14:05.123+01:00"), "parser"),
    (pan.url_record(hires="2026-03-02T09:14:05.123+24:00"), "parser"),
    # a time-like column before it, the first: the time (the parser's choice too)
    (pan.url_record(ua="2026-03-01T00:00:00.000Z"), "chat.example.fr"),
    (pan.url_record(ua="2026-03-01T00:00:00,000Z"), "parser"),
    # the URL: a scheme, a port too long or not digits, a colon in the path, no host
    (pan.url_record(url='"https://chat.example.fr/"'), "parser"),
    (pan.url_record(url='"chat.example.fr:443443/"'), "parser"),
    (pan.url_record(url='"chat.example.fr:x/"'), "parser"),
    (pan.url_record(url='"chat.example.fr/r?u=https://other.fr/"'), "parser"),
    (pan.url_record(url='"10.0.0.1/"'), "parser"),
    (pan.url_record(url='"a..b.fr/"'), "parser"),
    (pan.url_record(url='"none"'), "parser"),
    (pan.url_record(url="chat.example.fr/"), "parser"),
    # quoting the csv module reads otherwise, a non-ASCII T-column before the time
    (pan.url_record(ua='"Mozilla ""5"""'), "parser"),
    (pan.url_record(ua='"Mozilla" x'), "parser"),
    (pan.url_record(ua="Téléphone T"), "parser"),
    (pan.url_record(ua="téléphone"), "chat.example.fr"),
    # byte counts that are not digits; a subtype in capitals (a URL record to the parser)
    (pan.traffic_record(sent="-1"), "parser"),
    (pan.traffic_record(received="1" * 19), "parser"),
    (pan.url_record(subtype="URL"), "parser"),
    # too few columns for the rules
    (pan.url_record(columns=40, at=999), "parser"),
    # other headers
    (pan.url_record(header="<14>Feb 30 09:14:05 PA-3220 "), "parser"),
    (pan.url_record(header="<14>Mar  2 09:14:05 -PA "), "parser"),
    (pan.url_record(header=""), "parser"),
]


@pytest.mark.parametrize(("raw", "said"), CASES)
def test_a_record_is_usual_as_the_table_says_and_the_parser_agrees(raw: bytes, said: str) -> None:
    assert _said(raw) == said, raw
    _check_unflagged("paloalto", raw)  # usual: the parser's host, time and kind agree


def test_a_usual_record_is_the_parser_s_event_at_its_high_resolution_time() -> None:
    parser = get_format("paloalto").new_parser(ParseContext(path="t.log"))
    event = parser.parse(decode(pan.SHAPES[0]))
    assert event is not None
    assert event.destination_domain == "chat.example.fr"
    assert event.timestamp.isoformat() == "2026-03-02T08:14:05.123000+00:00"
