"""FortiGate application control and DNS filter records: usual layouts the simulator does not
write (it writes web filter records), built here from the shapes of the vendor fixture's records
(FortiOS 6) and of FortiOS' documented examples."""

from __future__ import annotations

APP_CTRL = (
    '<190>date={date} time={time} devname="FGT-CHU" devid="FG100FTK00000001" '
    'logid="1059028704" type="utm" subtype="app-ctrl" eventtype="signature" '
    'level="information" vd="root" eventtime=1787695233736000000 tz="{tz}" appid=40568{user} '
    "srcip=10.16.0.121 dstip=185.188.253.139 srcport=64200 dstport=443{interfaces} proto=6 "
    'service="SSL" direction="outgoing" policyid=12 sessionid=100001 applist="default" '
    '{application} hostname="{host}" '
    'incidentserialno=23465 url="{url}" msg="Web.Client: HTTPS.BROWSER," apprisk="medium"{cert}'
)


def app_ctrl(
    date: str = "2026-10-25",
    time: str = "02:30:00",
    tz: str = "+0200",
    host: str = "chat.example.fr",
    url: str = "/",
    user: str = ' user="wdumont" group="staff" authserver="ldap"',
    interfaces: str = ' srcintf="port1" srcintfrole="lan" dstintf="wan1" dstintfrole="wan"',
    action: str = "pass",
    cert: str = ' scertcname="*.example.fr" scertissuer="Example CA"',
    action_last: bool = False,
) -> bytes:
    """An application control record (every optional part by default); ``action_last``: the
    action after the application, as in FortiOS' documented example (before it in the
    fixture's)."""
    app = 'appcat="Web.Client" app="HTTPS.BROWSER"'
    application = f'{app} action="{action}"' if action_last else f'action="{action}" {app}'
    return APP_CTRL.format(
        date=date,
        time=time,
        tz=tz,
        host=host,
        url=url,
        user=user,
        interfaces=interfaces,
        application=application,
        cert=cert,
    ).encode()


#: the record's optional parts left out one way or another
SHAPES = [
    app_ctrl(),
    app_ctrl(user="", cert=""),
    app_ctrl(user=' user="wdumont" group="staff"', cert=' scertcname="chat.example.fr"'),
    app_ctrl(interfaces=' srcintf="port1" srcintfrole="lan"', action="block"),
    app_ctrl(interfaces="", url="/backend-api/conversation"),
    app_ctrl(action_last=True),
]


DNS_FILTER = (
    '<189>date={date} time={time} devname="FGT-CHU" devid="FG100FTK00000001" '
    'logid="1501054802" type="utm" subtype="dns" eventtype="{event}" level="notice" '
    'vd="root" eventtime=1787695233736000000 tz="{tz}" policyid=26 sessionid=543234{user} '
    "srcip=10.16.0.121 srcport=53430{src_interfaces} dstip=10.16.0.53 dstport=53{dst_interfaces} "
    'proto=17 profile="default"{srcmac} xid=2234 qname="{host}" qtype="A" qtypeval=1 '
    'qclass="IN"{addresses} '
    'msg="Domain is monitored" action="{action}"{category}'
)


def dns_filter(
    date: str = "2026-10-25",
    time: str = "02:30:00",
    tz: str = "+0200",
    host: str = "chat.example.fr",
    event: str = "dns-response",
    src_interfaces: str = ' srcintf="port1" srcintfrole="lan"',
    dst_interfaces: str = "",
    addresses: str = ' ipaddr="104.18.32.47, 172.64.155.209"',
    action: str = "pass",
    category: str = ' cat=52 catdesc="Information Technology"',
    user: str = "",
    srcmac: str = "",
) -> bytes:
    """A DNS filter response (the fixture's optional parts by default, but the destination's
    interfaces; ``user`` and ``srcmac``, as in FortiOS' documented example)."""
    return DNS_FILTER.format(
        date=date,
        time=time,
        tz=tz,
        host=host,
        event=event,
        src_interfaces=src_interfaces,
        dst_interfaces=dst_interfaces,
        addresses=addresses,
        action=action,
        category=category,
        user=user,
        srcmac=srcmac,
    ).encode()


#: the DNS filter response's optional parts left out one way or another
DNS_SHAPES = [
    dns_filter(),
    dns_filter(addresses="", category=""),
    dns_filter(src_interfaces="", action="block"),
    dns_filter(dst_interfaces=' dstintf="wan1" dstintfrole="wan"'),
    dns_filter(user=' user="bob" group="staff"', srcmac=' srcmac="a2:e9:00:ec:40:01"'),
    dns_filter(user=' user="bob"'),
]
