"""PAN-OS records in layouts the simulator does not write (it writes PAN-OS 10's URL Filtering
and traffic records behind an IETF header, 110 columns, the High Resolution Timestamp in the
101st): BSD headers, with and without ``<PRI>``, other column counts and places of the
timestamp, quoted user agents and referers with commas, empty subtypes, other threats.  The
columns are placed as PAN-OS' "Syslog Field Descriptions" list them (the fixed ones) and the
vendor fixture's records show them."""

from __future__ import annotations

BSD = "<14>Mar  2 09:14:05 PA-3220 "
BSD_NO_PRI = "Mar 2 09:14:05 PA-220 "
IETF = "<14>1 2026-03-02T09:14:05.123+01:00 PA-3220 - - - - "
UA = '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"'


def _common(kind: str, subtype: str, columns: int) -> list[str]:
    cols = [""] * columns
    _put(cols, 0, "1", "2026/03/02 09:14:05", "012801096514", kind, subtype, "2561")
    _put(cols, 6, "2026/03/02 09:14:05", "10.20.3.14", "104.18.32.47", "192.0.2.10", "", "web")
    _put(cols, 12, "chu\\jdupont", "", "ssl", "vsys1", "trust", "untrust", "e1/2", "e1/1")
    _put(cols, 20, "fwd", "2026/03/02 09:14:05", "28191", "1", "51544", "443", "0", "0", "", "tcp")
    return cols


def _put(cols: list[str], at: int, *values: str) -> None:
    """``values`` in ``cols`` from column ``at``."""
    cols[at : at + len(values)] = values


def url_record(
    header: str = BSD,
    url: str = '"chat.example.fr/backend-api/conversation"',
    hires: str = "2026-03-02T09:14:05.123+01:00",
    at: int = 100,
    columns: int = 110,
    subtype: str = "url",
    ua: str = UA,
    referer: str = '"https://chat.example.fr/c/1, 2"',
) -> bytes:
    """A URL Filtering record (THREAT/url) of ``columns`` columns, its High Resolution Timestamp
    ``hires`` in column ``at`` (0-based)."""
    cols = _common("THREAT", subtype, columns)
    _put(cols, 30, "alert", url, "(9999)", "artificial-intelligence", "informational")
    _put(cols, 35, "client-to-server", "7726", "0x2000000000000000", "France", "United States")
    for at_, value in ((46, ua), (49, referer), (63, "post")):
        if at_ < columns:
            cols[at_] = value
    return _line(header, cols, hires, at, columns)


def traffic_record(
    header: str = BSD,
    subtype: str = "end",
    sent: str = "1758",
    received: str = "5976",
    hires: str = "2026-03-02T09:14:05.123+01:00",
    at: int = 104,
    columns: int = 112,
) -> bytes:
    """A traffic record, its byte counts ``sent`` and ``received``."""
    cols = _common("TRAFFIC", subtype, columns)
    _put(cols, 30, "allow", "7734", sent, received, "36", "2026/03/02 09:04:05", "586", "any")
    _put(cols, 38, "0", "32091112", "0x0", "10.0.0.0-10.255.255.255")
    cols[42], cols[45] = "United States", "tcp-fin"
    return _line(header, cols, hires, at, columns)


def decryption_record(
    header: str = BSD,
    sni: str = "chat.example.fr",
    subject: str = "*.example.fr",
    hires: str = "2026-03-02T09:14:05.123+01:00",
    at: int = 108,
    columns: int = 116,
) -> bytes:
    """A decryption record (with 'Log Successful TLS Handshakes'), its Server Name Indication
    ``sni`` and its certificate's Subject Common Name ``subject``."""
    cols = _common("DECRYPTION", "start", max(columns, 64))
    _put(cols, 30, "allow", "", "", "", "", "", "", "client", "server", "TLS1.3", "ECDHE")
    _put(cols, 41, "AES_256_GCM", "SHA384", "decrypt-all", "secp256r1", "0", "trusted")
    _put(cols, 47, "uninspected", "forward", "0A1B2C", "ab:cd:ef", "Mar  1 00:00:00 2026 GMT")
    _put(cols, 60, subject, "R3", "ISRG Root X1", sni)
    return _line(header, cols, hires, at, columns)


def _line(header: str, cols: list[str], hires: str, at: int, columns: int) -> bytes:
    """The record of the first ``columns`` of ``cols``, ``hires`` in column ``at`` if there."""
    if at < columns:
        cols[at] = hires
    return (header + ",".join(cols[:columns])).encode()


#: usual records, in layouts of several PAN-OS versions and settings
SHAPES = (
    url_record(),
    url_record(header=BSD_NO_PRI, at=80, columns=90),
    url_record(header=IETF, hires="2026-03-02T08:14:05.123Z", at=107, columns=120),
    url_record(url='"chat.example.fr:443/"', ua="", referer=""),
    url_record(url='"Chat.Example.FR"', at=46, ua=""),
    url_record(subtype="virus", url='"eicar.com"'),  # quoted columns: parsed (and skipped)
    url_record(subtype="spyware", url="", ua="", referer=""),  # no quotes: counted as skipped
    traffic_record(),
    traffic_record(subtype="", sent="", received=""),
    traffic_record(header=IETF, at=60, columns=70),
    decryption_record(),
    decryption_record(header=IETF, sni="Chat.Example.FR.", at=100, columns=104),
)
