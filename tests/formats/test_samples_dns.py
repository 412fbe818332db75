"""Real vendor samples (../shared/samples) for the DNS formats and Zeek: detection and accounting.

For every sample file: auto-detection picks the right format, every record is accounted for
(events + skipped + rejected = lines) with the exact counts below, and the destination hosts
are the ones the vendor lines carry.  Why each count is what it is:

* windows_dns_debug: only ``Rcv`` queries (no ``R``) are events; ``Snd`` packets (to forwarders
  or answers to clients) and ``Rcv … R`` responses from forwarders are skipped.
* bind: the third line has neither BIND's print-time prefix nor a syslog header: no time, so
  it is rejected with that reason.
* dnsmasq: only the ``query[A]`` line is an event; ``forwarded`` and the two ``reply`` lines
  are skipped.
* zeek: every JSON record is an event (the Elastic fixtures' last lines are Splunk exports
  wrapping the record in ``result._raw``, unwrapped); TSV header lines are skipped.
  ``zeek-docs_logs_ssl.rst.jsonl`` actually holds conn.log records (no ``server_name``), so
  its events are host-less ``network`` ones.

The files are read only from ../shared at test time (licences: never copied here).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, detect_format
from sentinelle.schema import Event

DIRS = ("windows_dns_debug", "bind", "dnsmasq_pihole", "zeek")
NOT_LOGS = {"usiem-windns_README.header-legend.txt"}  # the legend alone: tested separately
ES = "dd625ffb4fc54735b281862aa1cd6cd4.us-west1.gcp.cloud.es.io"
SWIFT = "splunk-api.swiftcrypto.com"


@dataclass(frozen=True)
class Expect:
    fmt: str
    events: int
    skipped: int
    rejected: int
    hosts: tuple[str | None, ...]  # destination.domain of each event, in order


EXPECT: dict[str, Expect] = {
    "windows_dns_debug/usiem-windns_README.examples.log": Expect(
        "windows-dns", 2, 6, 0, ("somecomputer.domain.com", "login.live.com")
    ),
    "windows_dns_debug/usiem-windns_parsers_mod.rs.tests.log": Expect(
        "windows-dns", 2, 3, 0, ("login.live.com", "somecomputer.domain.com")
    ),
    "bind/logstash-patterns-core_bind_spec.messages.log": Expect(
        "bind", 2, 0, 1, ("test.example.com", "91.2.10.170.in-addr.internal")
    ),
    "dnsmasq_pihole/pihole-docs_guides_dns_unbound.md.log": Expect(
        "dnsmasq", 1, 3, 0, ("en.wikipedia.org",)
    ),
    "zeek/test-conn.log": Expect("zeek", 18, 0, 0, (None,) * 18),
    "zeek/test-dns.log": Expect(
        "zeek",
        8,
        0,
        0,
        (
            ES,
            "_googlecast._tcp.local",
            "_googlecast._tcp.local",
            "manage.office.com",
            "login.microsoftonline.com",
            "login.microsoftonline.com",
            "manage.office.com",
            "_googlecast._tcp.local",
        ),
    ),
    "zeek/test-http.log": Expect(
        "zeek", 8, 0, 0, ("ocsp.apple.com", "httpbin.org", *(None,) * 5, "httpbin.org")
    ),
    "zeek/test-ssl.log": Expect(
        "zeek",
        12,
        0,
        0,
        (
            ES,
            ES,
            ES,
            None,
            None,
            SWIFT,
            "tickets.swiftcrypto.com",
            "rundeck.swiftcrypto.com",
            None,
            SWIFT,
            ES,
            None,
        ),
    ),
    "zeek/zeek-docs_logs_conn.rst.jsonl": Expect("zeek", 2, 0, 0, (None, None)),
    "zeek/zeek-docs_logs_dns.rst.jsonl": Expect("zeek", 3, 0, 0, ("testmyids.com",) * 3),
    "zeek/zeek-docs_logs_http.rst.jsonl": Expect("zeek", 1, 0, 0, ("testmyids.com",)),
    "zeek/zeek-docs_logs_ssl.rst.jsonl": Expect("zeek", 2, 0, 0, (None, None)),
    "zeek/zeek-docs_tls-decryption.rst.conn.log": Expect("zeek", 1, 9, 0, (None,)),
    "zeek/zeek-docs_tls-decryption.rst.http.log": Expect("zeek", 3, 8, 0, ("www.heise.de",) * 3),
}

# Contexts fixed so that times are checkable: samples carry no zone; dnsmasq has no year.
CTX = ParseContext(tz=ZoneInfo("UTC"), year=2020)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _read(path: Path, fmt_name: str) -> tuple[list[Event], Counter[str]]:
    fmt = detect_format(_lines(path)[:100], path=str(path), ctx=CTX)
    assert fmt.name == fmt_name
    parser = fmt.new_parser(CTX)
    events: list[Event] = []
    counts: Counter[str] = Counter()
    for line in _lines(path):
        try:
            event = parser.parse(line)
        except MalformedLine:
            counts["rejected"] += 1
            continue
        if event is None:
            counts["skipped"] += 1
        else:
            counts["events"] += 1
            events.append(event)
    return events, counts


def test_every_sample_file_is_accounted_for(shared_samples: Path) -> None:
    present = {
        f"{d}/{p.name}"
        for d in DIRS
        if (shared_samples / d).is_dir()
        for p in (shared_samples / d).iterdir()
        if p.name not in NOT_LOGS
    }
    assert present <= set(EXPECT), f"samples without expectations: {sorted(present - set(EXPECT))}"


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_sample(shared_samples: Path, name: str) -> None:
    path = shared_samples / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared/samples")
    want = EXPECT[name]
    events, counts = _read(path, want.fmt)
    lines = [ln for ln in _lines(path) if ln.strip()]
    assert counts["events"] + counts["skipped"] + counts["rejected"] == len(lines)
    assert (counts["events"], counts["skipped"], counts["rejected"]) == (
        want.events,
        want.skipped,
        want.rejected,
    )
    assert tuple(e.destination_domain for e in events) == want.hosts
    assert all(e.timestamp.tzinfo is not None for e in events)
    assert all(e.observer_product == want.fmt for e in events)


def _events(shared_samples: Path, name: str) -> list[Event]:
    path = shared_samples / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared/samples")
    return _read(path, EXPECT[name].fmt)[0]


def test_windows_dns_clients_and_locale_dates(shared_samples: Path) -> None:
    events = _events(shared_samples, "windows_dns_debug/usiem-windns_README.examples.log")
    assert [e.source_ip for e in events] == ["10.161.60.71", "10.20.0.6"]
    # "6/5/2013 10:00:32 AM": 12-hour lines of this file are month first (4/21/2017 says so).
    assert [e.timestamp for e in events] == [
        datetime(2013, 6, 5, 10, 0, 32, tzinfo=UTC),
        datetime(2021, 12, 22, 21, 46, 4, tzinfo=UTC),
    ]
    assert {e.network_protocol for e in events} == {"dns"}


def test_windows_dns_date_order_option_wins(shared_samples: Path) -> None:
    path = shared_samples / "windows_dns_debug/usiem-windns_parsers_mod.rs.tests.log"
    if not path.exists():
        pytest.skip("sample absent")
    ctx = ParseContext(tz=ZoneInfo("UTC"), options={"date_order": "dmy"})
    parser = detect_format(_lines(path), path=str(path), ctx=ctx).new_parser(ctx)
    events = [e for ln in _lines(path) if (e := parser.parse(ln)) is not None]
    assert events[-1].timestamp == datetime(2013, 5, 6, 10, 0, 32, tzinfo=UTC)


def test_windows_dns_legend_alone_is_not_a_log_but_is_skipped(shared_samples: Path) -> None:
    legend = shared_samples / "windows_dns_debug/usiem-windns_README.header-legend.txt"
    examples = shared_samples / "windows_dns_debug/usiem-windns_README.examples.log"
    if not legend.exists() or not examples.exists():
        pytest.skip("sample absent")
    from sentinelle.formats import get_format

    fmt = get_format("windows-dns")
    assert not fmt.detect(_lines(legend), CTX)
    parser = fmt.new_parser(CTX)
    assert all(parser.parse(ln) is None for ln in _lines(legend))
    with_legend = _lines(legend) + _lines(examples)
    assert detect_format(with_legend, path="dns.log", ctx=CTX).name == "windows-dns"


def test_bind_clients_and_times(shared_samples: Path) -> None:
    events = _events(shared_samples, "bind/logstash-patterns-core_bind_spec.messages.log")
    assert [e.source_ip for e in events] == ["172.26.0.1", "192.168.10.48"]
    assert [e.timestamp for e in events] == [
        datetime(2018, 2, 17, 23, 6, 56, 326000, tzinfo=UTC),
        datetime(2018, 6, 30, 15, 50, 0, 999000, tzinfo=UTC),
    ]


def test_dnsmasq_client_and_time(shared_samples: Path) -> None:
    (event,) = _events(shared_samples, "dnsmasq_pihole/pihole-docs_guides_dns_unbound.md.log")
    assert event.source_ip == "127.0.0.1"
    assert event.timestamp == datetime(2020, 11, 24, 11, 57, 47, tzinfo=UTC)


def test_zeek_fields(shared_samples: Path) -> None:
    (http,) = _events(shared_samples, "zeek/zeek-docs_logs_http.rst.jsonl")
    assert (http.source_ip, http.destination_ip, http.destination_port) == (
        "192.168.4.76",
        "31.3.245.133",
        80,
    )
    assert (http.http_request_method, http.http_response_status_code) == ("GET", 200)
    assert (http.source_bytes, http.destination_bytes, http.network_protocol) == (0, 39, "http")
    assert http.timestamp == datetime(2020, 6, 5, 14, 39, 59, 512593, tzinfo=UTC)
    conn = _events(shared_samples, "zeek/zeek-docs_tls-decryption.rst.conn.log")[0]
    assert (conn.source_bytes, conn.destination_bytes) == (10853, 151695)
    assert conn.network_protocol == "network"
    ssl = _events(shared_samples, "zeek/test-ssl.log")
    assert {e.network_protocol for e in ssl} == {"tls"}
    assert _events(shared_samples, "zeek/test-http.log")[0].user_name == "user"
    iso = _events(shared_samples, "zeek/test-conn.log")[16]  # "ts" as an ISO 8601 string
    assert iso.timestamp == datetime(2021, 6, 9, 20, 55, 13, 160328, tzinfo=UTC)


def test_umbrella_dns_never_takes_the_umbrella_proxy_sample(shared_samples: Path) -> None:
    path = shared_samples / "cisco_umbrella/test-umbrella-proxylogs.log"
    if not path.exists():
        pytest.skip("sample absent")
    from sentinelle.formats import get_format

    assert not get_format("cisco-umbrella-dns").detect(_lines(path), CTX)
