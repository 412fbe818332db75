"""Real vendor samples (../shared/samples) of the proxy formats: detection and full accounting.

Every record line of each sample is accounted for as parsed, skipped (header/comment) or rejected;
the expected counts below say why.  Hosts are compared with the upstream golden excerpts where one
exists.  The samples are read in place and never copied into the repository (licences).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentinelle.formats import detect_format
from tests.formats._samples import check_accounted, run_sample

# sample file → (format, parsed, skipped, rejected)
CASES = {
    # 6 ELFF directives (#Software … #Remark) skipped; 11 data lines, one with 4 extra columns.
    "bluecoat_proxysg/test-proxy-main.log": ("bluecoat", 11, 6, 0),
    # Squid-style access lines with ACL decision tag and <…> verdict list.
    "cisco_wsa/Azure-Sentinel_SampleData_Syslog_CiscoWSA.json.SyslogMessage-squid-style.log": (
        "cisco-wsa",
        3,
        0,
        0,
    ),
    # JSON feed template; the feed time zone is GMT (upstream expects 07:07:07Z).
    "zscaler_nss/test-web.log": ("zscaler", 6, 0, 0),
    # JSON transactions: one HTTP request, one TLS handshake failure (SNI only).
    "netskope/test-transaction.lines-1-3.log": ("netskope", 2, 0, 0),
    # v8/v9 rows (32 and 35 columns), one with a blank after a comma.
    "cisco_umbrella/test-umbrella-proxylogs.log": ("cisco-umbrella-proxy", 9, 0, 0),
    # 17-column Web Security Cloud export, DD/MM/YYYY.
    "forcepoint_web/full-sample.lines-1-3-4-8-9-16-18-20to24.log": ("forcepoint", 12, 0, 0),
    # JSON logformat behind a BSD syslog header with pfSense-style (squid-1)[pid] tag.
    "pfsense_opnsense/test-opnsense-squid.log": ("opnsense-squid", 5, 0, 0),
}
MINE = {case[0] for case in CASES.values()} | {"squid-combined", "w3c"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_detected_and_accounted(shared_samples: Path, name: str) -> None:
    check_accounted(shared_samples / name, name, CASES[name])


def _excerpt(shared_samples: Path, name: str) -> list[dict]:  # type: ignore[type-arg]
    data = json.loads((shared_samples / f"{name}-expected.excerpt.json").read_text())
    return [d for d in data["docs"] if "@timestamp" in d]


def test_bluecoat_hosts_match_upstream(shared_samples: Path) -> None:
    name = "bluecoat_proxysg/test-proxy-main.log"
    events, _, _ = run_sample(shared_samples / name, "bluecoat")
    for doc in _excerpt(shared_samples, name):
        event = events[doc["line"] - 7]  # the 6 directive lines come first
        assert event.destination_domain == doc["proxysg.client_to_server.host"]
        assert event.source_ip == doc["client.ip"]
        assert event.source_bytes == doc["client.bytes"]
        assert event.destination_bytes == doc["server.bytes"]
        assert event.timestamp.isoformat().replace("+00:00", "Z") == doc["@timestamp"]


def test_zscaler_matches_upstream(shared_samples: Path) -> None:
    name = "zscaler_nss/test-web.log"
    events, _, _ = run_sample(shared_samples / name, "zscaler")
    for doc in _excerpt(shared_samples, name):
        event = events[doc["line"] - 1]
        assert event.destination_domain == doc["url.original"].split("/")[0].split(":")[0]
        assert event.destination_ip == doc["destination.ip"]
        assert event.http_request_method == doc["http.request.method"]
        assert event.source_bytes == doc["http.request.bytes"]
        assert event.destination_bytes == doc["http.response.bytes"]
        assert event.event_action == doc["event.action"]
        assert event.timestamp.isoformat().replace("+00:00", "Z") == doc["@timestamp"][:19] + "Z"


def test_other_samples_are_not_taken_for_proxy_formats(shared_samples: Path) -> None:
    for path in sorted(shared_samples.rglob("*")):
        rel = str(path.relative_to(shared_samples))
        if rel in CASES or not path.is_file() or path.suffix in (".md", ".json", ".txt"):
            continue
        head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:100]
        try:
            found = detect_format(head, path=rel).name
        except Exception:  # unrecognized files are another family's concern
            continue
        assert found not in MINE, rel
