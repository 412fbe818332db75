"""Real vendor samples (../shared/samples) of the firewall formats and CEF: detection, accounting.

Every record line of each sample is accounted for as parsed, skipped (a valid record that is not
traffic: statistics, system events...) or rejected with a reason; the expected counts below say
why.  Hosts are compared with the upstream golden excerpt where one exists (FortiGate).  The
samples are read in place and never copied into the repository (licences).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, detect_format, get_format
from sentinelle.schema import Event
from tests.formats._samples import UTC_CTX, check_accounted, run_sample

# sample file → (format, parsed, skipped, rejected)
CASES = {
    # connection (dstname = an FQDN object) and filter records; filterstat, authstat, monitor
    # and 2 system records skipped.
    "stormshield/test-firewall.log": ("stormshield", 2, 5, 0),
    # authstat, monitor and 2 system records: valid Stormshield records, none is traffic.
    "stormshield/test-syslog.log": ("stormshield", 0, 4, 0),
    # 2 webfilter, 5 app-ctrl (one FortiAnalyzer-relayed), 3 DNS responses, 1 ssl, 9 traffic
    # (IPv6 and local-in included); skipped: 1 dns-query (its response is logged too), 29 event
    # records (system, vpn, user, endpoint, connector, security-rating, FortiManager-style)
    # and 1 utm/voip; rejected: the 2 `date= desc=...` lines that carry no logid.
    "fortigate/test-fortinet.log": ("fortigate", 20, 31, 2),
    # 4 THREAT/url records (block-url).
    "panos/test-panw-panos-threat-sample.lines-1-3-21.log": ("paloalto", 4, 0, 0),
    # 10 TRAFFIC records, including an empty and a bogus subtype (`TRAFFIC,,` / `TRAFFIC,test,`).
    "panos/test-panw-panos-traffic-sample.lines-1-3-5-6-9-23to27.log": ("paloalto", 10, 0, 0),
    # XG <= 18.0 web filter records (one with the `domain=www. google.ca` glitch: url wins).
    "sophos/test-sophos-18-5-content-filtering-http.log": ("sophos", 8, 0, 0),
    # UTM httpproxy: 8 requests; 2 `id="0003"` error records without URL skipped.
    "sophos/test-sophos-utm-http.log": ("sophos", 8, 2, 0),
    # Log Update accounting without addresses skipped; 2 legacy Fields@ records (malformed
    # `--5:00` offset repaired), 1 ICMP accept, 1 Anti-Malware block with resource URL.
    "checkpoint/test-r81x.lines-1-2-3-5-17.log": ("checkpoint", 4, 1, 0),
    # No rt/start/end and no syslog header: 3 records with a destination have no time and are
    # rejected; the spriv/dpriv record has no destination and is skipped.
    "cef/test-cef.log": ("cef", 0, 1, 3),
}
MINE = {case[0] for case in CASES.values()} | {"leef"}

# Hosts each sample must yield (in order of the parsed events that carry one).
HOSTS = {
    "stormshield/test-firewall.log": ["ntp2.stormshieldcs.eu"],
    "panos/test-panw-panos-threat-sample.lines-1-3-21.log": ["consent.cmp.oath.com"] * 3
    + ["b.scorecardresearch.com"],
    "sophos/test-sophos-18-5-content-filtering-http.log": [
        "floater.baldrys.ca",
        "floater.baldrys.ca",
        "the.earth.li",
        "ads.adaptv.advertising.com",
        "floater.baldrys.ca",
        "www.vancity.com",
        "www.google.com",
        "www.google.ca",
    ],
    "sophos/test-sophos-utm-http.log": ["myurl.test.com"] * 8,
    "checkpoint/test-r81x.lines-1-2-3-5-17.log": ["sc1.checkpoint.com"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_detected_and_accounted(shared_samples: Path, name: str) -> None:
    check_accounted(shared_samples / name, name, CASES[name])


@pytest.mark.parametrize("name", sorted(HOSTS))
def test_hosts(shared_samples: Path, name: str) -> None:
    events, _, _ = run_sample(shared_samples / name, CASES[name][0])
    assert [e.destination_domain for e in events if e.destination_domain] == HOSTS[name]


def test_paloalto_traffic_has_no_host_and_counts_bytes(shared_samples: Path) -> None:
    name = "panos/test-panw-panos-traffic-sample.lines-1-3-5-6-9-23to27.log"
    events, _, _ = run_sample(shared_samples / name, "paloalto")
    assert all(e.destination_domain is None and e.network_protocol == "network" for e in events)
    assert (events[0].source_bytes, events[0].destination_bytes) == (1758, 5976)
    assert [e.event_action for e in events].count("blocked") == 2  # subtypes drop and deny


def test_fortigate_matches_upstream(shared_samples: Path) -> None:
    name = "fortigate/test-fortinet.log"
    data = json.loads((shared_samples / f"{name}-expected.excerpt.json").read_text())
    parser = get_format("fortigate").new_parser(UTC_CTX)  # upstream reads tz-less lines as UTC
    lines = (shared_samples / name).read_text(encoding="utf-8").splitlines()
    for doc in data["docs"]:
        event = parser.parse(lines[doc["line"] - 1])
        assert event is not None
        want = doc["@timestamp"].replace(".000", "")
        assert event.timestamp == _aware(want)
        assert event.source_ip == doc.get("source.ip", event.source_ip)
        assert event.destination_ip == doc["destination.ip"]
        assert event.destination_port == doc["destination.port"]
        assert event.destination_domain == doc.get("url.domain", event.destination_domain)
        assert event.source_bytes == doc.get("source.bytes", event.source_bytes)
        assert event.destination_bytes == doc.get("destination.bytes", event.destination_bytes)
        if "event.type" in doc:
            assert (event.event_action == "blocked") == ("denied" in doc["event.type"])
        if "url.path" in doc:
            assert event.url_path == doc["url.path"]


def _aware(text: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_other_samples_are_not_taken_for_firewall_formats(shared_samples: Path) -> None:
    for path in sorted(shared_samples.rglob("*")):
        rel = str(path.relative_to(shared_samples))
        if rel in CASES or not path.is_file() or path.suffix in (".md", ".json", ".txt"):
            continue
        head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:100]
        for fmt in MINE:
            assert not get_format(fmt).detect(head), (fmt, rel)


@pytest.mark.parametrize(
    "fmt_name", ["stormshield", "fortigate", "paloalto", "sophos", "checkpoint", "cef", "leef"]
)
def test_simulated_logs_parse_back_to_the_truth(tmp_path: Path, fmt_name: str) -> None:
    """The simulator's lines in this format: every one accounted for, every AI hit found."""
    import csv

    from sentinelle.schema import normalize_host
    from sentinelle.simulate import HospitalConfig, simulate

    config = HospitalConfig(
        workstations=40, lines=4000, ai_share=0.05, garbage_share=0.005, blank_share=0.002
    )
    res = simulate(tmp_path, config, formats=[fmt_name])
    events: list[Event] = []
    rejected = skipped = 0
    for path in res.logs[fmt_name]:
        lines = path.read_bytes().decode("utf-8", "replace").split("\n")[:-1]
        assert detect_format(lines[:100], path=path.name).name == fmt_name
        parser = get_format(fmt_name).new_parser(ParseContext(path=path.name))
        for line in lines:
            try:
                event = parser.parse(line)
            except MalformedLine:
                rejected += 1
                continue
            if event is None:
                skipped += 1
            else:
                events.append(event)
    assert (len(events), rejected, skipped) == (res.events, res.garbage, res.blank)
    seen = {
        (int(e.timestamp.timestamp()), e.source_ip, e.destination_domain, e.event_action)
        for e in events
    }
    with res.truth.open(encoding="utf-8") as fh:
        for hit in csv.DictReader(fh):
            blocked = "blocked" if hit["blocked"] == "1" else "allowed"
            key = (int(hit["timestamp_ms"]) // 1000, hit["source_ip"], normalize_host(hit["host"]))
            assert (*key, blocked) in seen, hit
