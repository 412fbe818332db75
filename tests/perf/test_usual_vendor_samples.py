"""How many of the vendors' own lines the fast path counts at once (``../shared/samples``).

The usual layouts were written from the vendors' documentation and fixtures, and the simulator
writes them; a deployment's logs may be of another version or other settings, whose lines the
parser then reads (the same counts, slower: the scan names such files).  For each sample file:
(lines the parser makes an event with a host of, those of them the fast path counts at once,
as ``test_usual_profiles`` decides it; lines it makes an event without a host of, those of them
the fast path counts at once).  A change of a profile that makes it take more or fewer
of the vendors' lines shows here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._usual import Profile
from sentinelle.scan import fast, native
from tests.perf.test_usual_profiles import _usual as _format_usual

CASES = {
    ("squid", "squid/test-access.log"): (100, 98, 0, 0),
    # the web filter records (2), the application control records written with `devname` and
    # `tz` (3) and the DNS filter responses (3); an application control record without them
    # goes to the parser.  Without a host: 9 traffic records, an SSL anomaly and a relayed
    # application control record; the traffic records with `eventtime` and `tz` (after `vd`, or
    # before `logid` as FortiOS 7 writes them) are counted: 7, all but the two without `tz`
    ("fortigate", "fortigate/test-fortinet.log"): (9, 8, 11, 7),
    # a connection record with a `dstname`, a filter record without a host: both counted at
    # once (free pairs after `startime`, `logtype` one of the families the parser reads)
    ("stormshield", "stormshield/test-firewall.log"): (1, 1, 1, 1),
    ("sophos", "sophos/test-sophos-18-5-content-filtering-http.log"): (8, 7, 0, 0),
    # Sophos UTM, another product than SFOS/XG: read by the parser
    ("sophos", "sophos/test-sophos-utm-http.log"): (8, 0, 0, 0),
    ("opnsense-squid", "pfsense_opnsense/test-opnsense-squid.log"): (5, 5, 0, 0),
    ("bind", "bind/logstash-patterns-core_bind_spec.messages.log"): (2, 0, 0, 0),
    ("cisco-umbrella-proxy", "cisco_umbrella/test-umbrella-proxylogs.log"): (9, 8, 0, 0),
    (
        "cisco-wsa",
        "cisco_wsa/Azure-Sentinel_SampleData_Syslog_CiscoWSA.json.SyslogMessage-squid-style.log",
    ): (3, 3, 0, 0),
    # the R81 exporter's records: a URL Filtering record with `resource` (and `http_host`) and
    # a firewall record, both with the policy tag's escape; not the two legacy Fields@
    # records, nor a Log Update record without a destination (skipped by the parser)
    ("checkpoint", "checkpoint/test-r81x.lines-1-2-3-5-17.log"): (1, 1, 3, 1),
    # PAN-OS 8.1: no High Resolution Timestamp (PAN-OS 10 and later write it), so the local
    # Generated Time is the parser's to read; the traffic records have no host
    ("paloalto", "panos/test-panw-panos-threat-sample.lines-1-3-21.log"): (4, 0, 0, 0),
    ("paloalto", "panos/test-panw-panos-traffic-sample.lines-1-3-5-6-9-23to27.log"): (0, 0, 10, 0),
    # SGOS 6.7's main layout, its header without cs(User-Agent) (the lines write it anyway,
    # after cs(Referer): both engines read them by the header, as the parser does), one line
    # with four more columns: all counted at once, by the header's layout's usual line
    ("bluecoat", "bluecoat_proxysg/test-proxy-main.log"): (11, 11, 0, 0),
    # Log Streaming's JSON records (146 keys): only its CSV layouts have a usual line
    ("netskope", "netskope/test-transaction.lines-1-3.log"): (2, 0, 0, 0),
    # the Elastic integration's template (blanks in the wrapper, 33 keys): all counted at once
    ("zscaler", "zscaler_nss/test-web.log"): (6, 6, 0, 0),
    # in each, the en-GB query (day first, a 24-hour clock) and the en-US one (a 12-hour
    # clock, month first: its own layout) are counted at once; packets sent and responses are
    # skipped by the parser
    ("windows-dns", "windows_dns_debug/usiem-windns_README.examples.log"): (2, 2, 0, 0),
    ("windows-dns", "windows_dns_debug/usiem-windns_parsers_mod.rs.tests.log"): (2, 2, 0, 0),
    # Zeek's JSON records from Elastic's tests: those whose `ts` the test writer cut short of
    # six decimals (1617105592.9742) go to the parser, as do service names (`_googlecast._tcp`)
    # and JSON conn.log records (events without a host)
    ("zeek", "zeek/test-ssl.log"): (8, 5, 4, 0),
    ("zeek", "zeek/test-http.log"): (3, 2, 5, 0),
    ("zeek", "zeek/test-dns.log"): (8, 4, 0, 0),
    ("zeek", "zeek/test-conn.log"): (0, 0, 18, 0),
    # Zeek's documentation: its JSON examples (the ssl page's are conn.log records), and TSV
    # files by their header's layout: http.log's records counted, conn.log's without a host
    ("zeek", "zeek/zeek-docs_logs_ssl.rst.jsonl"): (0, 0, 2, 0),
    ("zeek", "zeek/zeek-docs_logs_http.rst.jsonl"): (1, 1, 0, 0),
    ("zeek", "zeek/zeek-docs_logs_dns.rst.jsonl"): (3, 3, 0, 0),
    ("zeek", "zeek/zeek-docs_tls-decryption.rst.http.log"): (3, 3, 0, 0),
    ("zeek", "zeek/zeek-docs_tls-decryption.rst.conn.log"): (0, 0, 1, 1),
}


@pytest.mark.parametrize("name,sample", sorted(CASES))
def test_the_fast_path_counts_so_many_vendor_lines(
    shared_samples: Path, name: str, sample: str
) -> None:
    fmt = get_format(name)
    parser = fmt.new_parser(ParseContext(tz=ZoneInfo("UTC"), year=2026))
    hosts = usual = no_host = counted = 0
    layout = fmt.layouts.initial if fmt.layouts is not None else None
    for raw in (shared_samples / sample).read_bytes().split(b"\n"):
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            continue
        if fmt.layouts is not None:  # the usual line of the layout the lines before set
            # (as the scanner asks it: the file's parser, after the lines before: Zeek's header)
            text = raw.decode("utf-8", "surrogateescape")
            layout = parser.layout_of(fmt.layouts, text) or layout
            _usual = functools.partial(_layout_usual, fmt.layouts.usual_for, layout)
        else:
            _usual = _format_usual
        try:
            event = parser.parse(raw.decode("utf-8", "surrogateescape"))
        except ValueError:  # MalformedLine: rejected, never usual
            assert not _usual(name, raw)
            continue
        if event is None:
            continue
        if event.destination_domain is None:
            no_host += 1
            counted += _usual(name, raw)
            continue
        hosts += 1
        usual += _usual(name, raw)
    assert (hosts, usual, no_host, counted) == CASES[name, sample]


def _layout_usual(
    usual_for: Callable[[tuple[str, ...]], Profile | None],
    layout: tuple[str, ...] | None,
    _name: str,
    raw: bytes,
) -> bool:
    """Counted at once by the usual line of ``layout`` (a format whose columns a directive
    names: the walker reads it)."""
    profile = usual_for(layout) if layout is not None else None
    if profile is None:
        return False
    if not native.available():
        pytest.skip("read by the native walker only (not built)")
    return native.walk(fast.program(profile), raw + b"\n").rows.size == 0
