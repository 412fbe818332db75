"""Local times in the repeated autumn hour are resolved by order or flagged, never silently."""

from __future__ import annotations

from pathlib import Path

from sentinelle.scan import ScanOptions, scan


def _line(local: str, host: str) -> str:
    # FortiGate key=value with a local date/time and no offset: read in --tz
    day, time = local.split("T")
    return (
        f'date={day} time={time} logid="0316013056" type="utm" subtype="webfilter" '
        f'level="notice" srcip=10.1.0.10 dstip=104.18.32.47 hostname="{host}" '
        f'url="/" action="passthrough" service="HTTPS" sentbyte=100 rcvdbyte=200'
    )


def test_repeated_hour_is_counted_when_order_cannot_settle_it(tmp_path: Path) -> None:
    log = tmp_path / "fortigate.log"
    # 2026-10-25 02:30 happens twice in Europe/Paris; the first line has no earlier line to
    # order it by, so it is flagged; the two after it follow in order and are resolved.
    log.write_text(
        "\n".join(
            [
                _line("2026-10-25T02:30:00", "chatgpt.com"),
                _line("2026-10-25T02:45:00", "chatgpt.com"),
                _line("2026-10-25T02:10:00", "chatgpt.com"),
            ]
        )
        + "\n"
    )
    report = scan([str(log)], tmp_path / "store", ScanOptions(format="fortigate")).to_json()
    assert report["events"] == 3
    assert report["ambiguous_times"] == 1
