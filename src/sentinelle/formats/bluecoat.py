"""Symantec / Broadcom Blue Coat ProxySG access logs (ELFF ``main`` format and custom ones).

Honours the ``#Fields:`` header (repeated mid-file after a restart or rotation: the new one wins)
and tolerates data lines with extra columns.  Without a header (syslog or a header-less copy) the
SGOS ``main`` order is assumed — which is also what SGOS really writes when its header forgets
the ``cs(User-Agent)`` column.
"""

from __future__ import annotations

import re

from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.formats.w3c import ElffParser, elff_layouts, fields_header

#: SGOS ``main`` access-log format, in order.
MAIN_FIELDS = (
    "date",
    "time",
    "time-taken",
    "c-ip",
    "sc-status",
    "s-action",
    "sc-bytes",
    "cs-bytes",
    "cs-method",
    "cs-uri-scheme",
    "cs-host",
    "cs-uri-port",
    "cs-uri-path",
    "cs-uri-query",
    "cs-username",
    "cs-auth-group",
    "s-supplier-name",
    "rs(content-type)",
    "cs(referer)",
    "cs(user-agent)",
    "sc-filter-result",
    "cs-categories",
    "x-virus-id",
    "s-ip",
)
# Fields only Blue Coat writes: a #Fields header with one of them is a ProxySG log.
_OWN_FIELDS = {
    "s-action",
    "sc-filter-result",
    "cs-categories",
    "x-virus-id",
    "s-supplier-name",
    "x-exception-id",
    "cs-auth-group",
    "x-bluecoat-application-name",
}
_MAIN_LINE = re.compile(
    r"^(?:<\d+>.*?\s)?\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \d+ \S+ \d{1,3} [A-Z_]+ \d+ \d+ \S+ "
)


class BluecoatParser(ElffParser):
    product = "bluecoat"


class BluecoatFormat(LogFormat):
    name = "bluecoat"
    description = (
        "Blue Coat / Symantec ProxySG access log in ELFF (W3C) with its `#Fields:` header, or "
        "the SGOS `main` format without header. The host is `cs-host` (the URL's, or the "
        "CONNECT host / SNI for tunnels)."
    )
    kind = "proxy"
    host_field = "cs-host (+ cs-uri-port, cs-uri-path)"
    host_evidence = "url"
    example = (
        "2024-03-09 10:00:00 412 10.20.3.14 200 TCP_TUNNELED 5321 1024 CONNECT tcp chatgpt.com "
        '443 / - jdupont - chatgpt.com - - "Mozilla/5.0" OBSERVED "Technology/Internet" - '
        "10.1.1.1"
    )
    vendor_setup = (
        "Access logging on, log format `main` (or `bcreportermain_v1`), uploaded as text "
        "(not the binary/compressed ELFF) or forwarded by syslog. Keep the `#Fields:` header; "
        "custom formats are fine as long as they keep `date time c-ip cs-host`."
    )
    fields_used = (
        "`date`+`time` (GMT) → @timestamp; `c-ip` → source.ip; `cs-username` → user.name; "
        "`cs-host` → destination.domain; `cs-uri-port` → destination.port; `cs-method` → "
        "http.request.method (`unknown` for tunnels → none); `sc-status` → "
        "http.response.status_code; `cs-bytes` → source.bytes; `sc-bytes` → destination.bytes; "
        "`cs-uri-path` → URL rules (then dropped); `s-action` containing DENIED or "
        "`sc-filter-result` DENIED → event.action blocked. `cs-uri-query` is never read."
    )
    limits = (
        "`date`/`time` must be the GMT ones (SGOS default); a custom format logging local time "
        "without offset is shifted. `s-ip` is the proxy itself, not the destination (the "
        "server address comes only from `s-supplier-ip` when logged). Authentication "
        "challenges (407) are counted as blocked when `s-action` says DENIED."
    )
    priority = 40
    layouts = elff_layouts("bluecoat", MAIN_FIELDS, MAIN_FIELDS)
    usual = layouts.usual_for(layouts.typical)  # (equal to the scanner's: keyed by value)

    def sniff(self, line: str) -> bool:
        header = fields_header(line)
        if header is not None:
            return bool(_OWN_FIELDS & set(header))
        return line.startswith("#Software: SGOS") or _MAIN_LINE.match(line) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return BluecoatParser(ctx, default=MAIN_FIELDS)


FORMAT = BluecoatFormat()
