"""A relay's syslog header in front of any format changes nothing in the parsed event.

(Examples that already start with the device's own syslog header get a second, stacked one.)
"""

from __future__ import annotations

import pytest

from sentinelle.formats import LogFormat, ParseContext, all_formats

HEADERS = {
    "rfc3164": "<134>Aug  1 10:00:00 relay1 app[12]: ",
    "rfc5424": "<134>1 2026-08-01T10:00:00+02:00 relay1 app - - - ",
}
# w3c needs its #Fields header first; mapped needs a mapping file
FORMATS = [f for f in all_formats().values() if f.name not in ("w3c", "mapped")]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("header", list(HEADERS))
def test_syslog_header_in_front_of_any_format(fmt: LogFormat, header: str) -> None:
    bare = fmt.new_parser(ParseContext(year=2026)).parse(fmt.example)
    wrapped = fmt.new_parser(ParseContext(year=2026)).parse(HEADERS[header] + fmt.example)
    assert bare is not None and wrapped is not None
    assert wrapped.destination_domain == bare.destination_domain
    assert wrapped.source_ip == bare.source_ip
    assert wrapped.event_action == bare.event_action
    assert wrapped.timestamp == bare.timestamp  # the device's time, not the relay's
