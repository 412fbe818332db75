"""Check Point Log Exporter records in layouts the simulator does not write (it writes URL
Filtering records, and firewall records for its host-less lines, with the same few keys in one
order): the keys of the vendor fixture's records and of the exporter's documented examples, in
other orders, with and without a user, a URL with a port or a query, byte counts."""

from __future__ import annotations

HEADER = "<134>1 2026-03-02T08:14:05Z gw-chu CheckPoint 15871 - "


def record(*pairs: str, header: str = HEADER) -> bytes:
    """A record of ``pairs`` (each ``key:"value"``)."""
    return (header + "[" + "; ".join(pairs) + "]").encode()


URL_FILTERING = (
    'action:"Accept"',
    'flags:"392448"',
    'ifdir:"outbound"',
    'ifname:"eth1"',
    'logid:"0"',
    'loguid:"{0x60069850,0x0,0x100000a,0x3fffffff}"',
    'origin:"10.1.1.1"',
    'originsicname:"CN=gw-chu,O=mgmt.chu.local.s6t98x"',
    'sequencenum:"4"',
    'time:"1772439245"',
    'version:"5"',
    'app_category:"Generative AI"',
    'dst:"104.18.32.47"',
    'method:"POST"',
    'product:"URL Filtering"',
    'proto:"6"',
    'resource:"https://chatgpt.com/backend-api/conversation"',
    's_port:"51544"',
    'service:"443"',
    'service_id:"https"',
    'src:"10.20.3.14"',
    'src_user_name:"Jean Dupont (jdupont)"',
)
FIREWALL = (
    'action:"Accept"',
    'conn_direction:"Outgoing"',
    'ifdir:"outbound"',
    'origin:"10.1.1.1"',
    'time:"1772439246"',
    'version:"5"',
    'dst:"104.18.32.47"',
    'inzone:"Internal"',
    'outzone:"External"',
    'product:"VPN-1 & FireWall-1"',
    'proto:"6"',
    's_port:"51545"',
    'service:"443"',
    'src:"10.20.3.14"',
    'client_inbound_bytes:"7475"',
    'client_outbound_bytes:"6345"',
)

#: usual records
SHAPES = (
    record(*URL_FILTERING),
    record(*reversed(URL_FILTERING)),
    record(*URL_FILTERING[:9], *URL_FILTERING[10:], URL_FILTERING[9]),  # the time last
    record(*(p for p in URL_FILTERING if not p.startswith("src_user_name"))),
    record(
        *(p for p in URL_FILTERING if not p.startswith("resource")),
        'resource:"http://Chat.Example.FR:8080/a?b=c;d"',
    ),
    record(*FIREWALL),
    record(*FIREWALL[:6], 'dst:"2606:4700::6a0e"', *FIREWALL[7:]),
)
