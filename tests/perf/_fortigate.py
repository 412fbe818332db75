"""FortiGate application control, DNS filter and traffic records: usual layouts the simulator
does not write (it writes web filter records, and a few plain traffic records, in FortiOS 6's
header and from the 16th of the month in FortiOS 7's), built here from the shapes of the vendor
fixture's records (FortiOS 6 and 7) and of FortiOS' documented examples."""

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


TRAFFIC = (
    '<189>date={date} time={time} devname="FGT-CHU" devid="FG100FTK00000001" '
    'logid="0000000013" type="traffic" subtype="{subtype}" level="notice" vd="root" '
    'eventtime=1787695233736000000 tz="{tz}" {fields}'
)
#: FortiOS 7's header: ``eventtime`` and ``tz`` before ``logid`` (the fixture's record of 2023)
TRAFFIC_7 = (
    '<189>date={date} time={time} devname="FGT-CHU" devid="FG100FTK00000001" '
    'eventtime=1787695233736000000 tz="{tz}" logid="0000000013" type="traffic" '
    'subtype="{subtype}" level="notice" vd="root" {fields}'
)

#: a forward record's fields as FortiOS 7 writes them (the fixture's last record), in order
FORWARD = (
    'srcip=10.16.0.121 srcname="PC-SECR-0121" srcport=61031 srcintf="VLAN22" srcintfrole="lan" '
    'dstip=104.18.32.47 dstport=443 dstintf="wan1" dstintfrole="wan" srccountry="Reserved" '
    'dstcountry="United States" sessionid=214919072 proto=6 action="close" policyid=12 '
    'policytype="policy" poluuid="2345de-b143-52134d8-6654f-4654sdfg16f431" '
    'policyname="Internet sortant" service="HTTPS" trandisp="snat" transip=192.0.2.10 '
    'transport=60964 appcat="unscanned" duration=32 sentbyte=1402 rcvdbyte=5840 sentpkt=12 '
    'rcvdpkt=11 crscore=30 craction=131072 crlevel="high" osname="Windows" srcswversion="10" '
    'unauthuser="wdumont" unauthusersource="kerberos" mastersrcmac="b4:b5:b6:e6:db:bb" '
    'srcmac="b4:b5:b6:e6:db:bb" srcserver=0'
)


def traffic(
    date: str = "2026-10-25",
    time: str = "02:30:00",
    tz: str = "+0200",
    subtype: str = "forward",
    fields: str = FORWARD,
    version: int = 6,
) -> bytes:
    """A traffic record: its header (FortiOS 6's, or 7's), then ``fields`` (any, in any order)."""
    layout = TRAFFIC_7 if version == 7 else TRAFFIC
    return layout.format(date=date, time=time, tz=tz, subtype=subtype, fields=fields).encode()


#: traffic records of other versions and settings: FortiOS 7's header, FortiOS 6's fields, a
#: denied session without counters, a local one, a record with an application and a user
TRAFFIC_SHAPES = [
    traffic(),
    traffic(version=7),
    traffic(
        fields='srcip=192.168.1.6 srcport=53438 srcintf="port1" srcintfrole="lan" '
        'dstip=67.43.156.13 dstport=53 dstintf="wan1" dstintfrole="wan" sessionid=435234 '
        'proto=17 action="dns" policyid=26 policytype="policy" service="DNS" '
        'dstcountry="Netherlands" srccountry="Reserved" appcat="unscanned" crscore=5 '
        'craction=54144 crlevel="low"'
    ),
    traffic(
        fields="srcip=10.16.0.7 srcport=60899 dstip=203.0.113.9 dstport=161 sessionid=155313 "
        'proto=17 action="deny" policyid=0 service="SNMP" duration=0 sentbyte=0 rcvdbyte=0'
    ),
    traffic(
        subtype="local",
        fields='srcip=67.43.156.13 identifier=61 srcintf="wan1" srcintfrole="wan" '
        'dstip=67.43.156.14 dstintf="unknown0" dstintfrole="undefined" sessionid=123 proto=1 '
        'action="accept" policyid=0 policytype="rulepolicy" service="PING" app="PING" '
        "duration=20 sentbyte=0 rcvdbyte=10 sentpkt=0 rcvdpkt=40",
    ),
    traffic(
        fields='srcip=10.16.0.121 user="wdumont" group="staff" dstip=104.18.32.47 dstport=443 '
        'proto=6 action="accept" service="HTTPS" app="ChatGPT" appid=48203 appcat="Collaboration" '
        'apprisk="elevated" applist="default" utmaction="allow" countapp=1 sentbyte=1402 '
        "rcvdbyte=5840 vwlid=0 sentdelta=576 rcvddelta=728"
    ),
]


#: FortiOS 7's header on a UTM record: ``eventtime`` and ``tz`` before ``logid`` (FortiOS' log
#: reference since 7.0, the fixture's record of 2022), then the subtype, event type, level and
#: virtual domain, then the record's fields, which free pairs hold
UTM_7 = (
    '<189>date={date} time={time} devname="FGT-CHU" devid="FG100FTK00000001" '
    'eventtime=1787695233736000000 tz="{tz}" logid="{logid}" type="utm" subtype="{subtype}" '
    'eventtype="{event}" level="notice" vd="root" {fields}'
)

#: a web filter record's fields as FortiOS 7 writes them (the log reference's example of
#: 0316013056: policy UUID and type, countries, UUIDs, HTTP method, agent, rating method)
WEBFILTER_7 = (
    'policyid=1 poluuid="fe85f37c-9dd9-51ec-904d-5af91079efbb" policytype="policy" '
    'sessionid=7284 srcip=10.16.0.121 srcport=50856 srccountry="Reserved" srcintf="port2" '
    'srcintfrole="undefined" srcuuid="69dc4a54-9d99-51ec-16ee-395d60cceac6" '
    'dstip=104.18.32.47 dstport=443 dstcountry="United States" dstintf="port1" '
    'dstintfrole="undefined" dstuuid="69dc4a54-9d99-51ec-16ee-395d60cceac6" proto=6 '
    'httpmethod="GET" service="HTTPS" hostname="{host}" agent="Mozilla/5.0 (Windows NT 10.0)" '
    'profile="default" action="{action}" reqtype="direct" url="{url}" sentbyte=779 '
    'rcvdbyte=3122 direction="outgoing" msg="URL belongs to an allowed category in policy" '
    'ratemethod="domain" cat=52 catdesc="Information Technology"'
)


def utm_7(
    date: str = "2026-10-25",
    time: str = "02:30:00",
    tz: str = "+0200",
    subtype: str = "webfilter",
    event: str = "ftgd_allow",
    logid: str = "0317013312",
    fields: str = WEBFILTER_7,
    **values: str,
) -> bytes:
    """A web filter or application control record in FortiOS 7's header: ``fields`` (any, in
    any order), formatted with ``values`` (``host``, ``action``, ``url`` for the default)."""
    values = {"host": "chat.example.fr", "action": "passthrough", "url": "/", **values}
    return UTM_7.format(
        date=date,
        time=time,
        tz=tz,
        subtype=subtype,
        event=event,
        logid=logid,
        fields=fields.format(**values),
    ).encode()


#: FortiOS 7 UTM records: a web filter record, blocked, without a user's fields, with a user
#: and the FortiOS 6 field set; an application control record with and without a host name
UTM_7_SHAPES = [
    utm_7(),
    utm_7(event="ftgd_blk", logid="0316013056", action="blocked", url="/backend-api/"),
    utm_7(
        fields='policyid=12 sessionid=100001 user="wdumont" group="staff" srcip=10.16.0.121 '
        'srcport=61930 srcintf="port1" srcintfrole="lan" dstip=104.18.32.47 dstport=443 '
        'dstintf="wan1" dstintfrole="wan" proto=6 service="HTTPS" hostname="{host}" '
        'profile="default" action="{action}" reqtype="referral" url="{url}" sentbyte=1171 '
        'rcvdbyte=141 direction="outgoing" msg="URL was allowed" method="domain" cat=52 '
        'catdesc="Information Technology" crscore=5 crlevel="low"'
    ),
    utm_7(
        subtype="app-ctrl",
        event="signature",
        logid="1059028704",
        fields="appid=40568 srcip=10.16.0.121 dstip=104.18.32.47 srcport=64200 dstport=443 "
        'srcintf="port1" srcintfrole="lan" dstintf="wan1" dstintfrole="wan" proto=6 '
        'service="SSL" direction="outgoing" policyid=12 sessionid=100001 applist="default" '
        'action="{action}" appcat="Web.Client" app="HTTPS.BROWSER" hostname="{host}" '
        'incidentserialno=23465 url="{url}" msg="Web.Client: HTTPS.BROWSER," apprisk="medium"',
        action="pass",
    ),
    utm_7(
        subtype="app-ctrl",
        event="signature",
        logid="1059028704",
        fields="appid=16009 srcip=10.16.0.121 dstip=203.0.113.9 srcport=64200 dstport=3478 "
        'proto=17 service="udp/3478" direction="outgoing" policyid=12 sessionid=100002 '
        'applist="default" action="{action}" appcat="Collaboration" app="STUN" '
        'incidentserialno=23466 msg="Collaboration: STUN," apprisk="elevated"',
        action="pass",
    ),
]


def dns_query_7(fields: str = "") -> bytes:
    """A DNS filter query in FortiOS 7's header (the parser skips it: the response is the
    event), its fields those of the fixture's query record, then ``fields``."""
    return utm_7(
        subtype="dns",
        event="dns-query",
        logid="1500054000",
        fields='policyid=26 sessionid=543234 srcip=10.16.0.121 srcport=54788 srcintf="port1" '
        'srcintfrole="lan" dstip=10.16.0.53 dstport=53 dstintf="wan1" dstintfrole="wan" '
        'proto=17 profile="default" xid=60838 qname="chat.example.fr" qtype="A" qtypeval=1 '
        'qclass="IN"' + fields.replace("{", "{{").replace("}", "}}"),
    )


def dns_response_7(fields: str = "", host: str = "chat.example.fr") -> bytes:
    """A DNS filter response in FortiOS 7's header (its event is a DNS query for ``qname``),
    the fixture's response fields and FortiOS 7's policy and country fields, then ``fields``."""
    return utm_7(
        subtype="dns",
        event="dns-response",
        logid="1501054802",
        fields='policyid=26 poluuid="fe85f37c-9dd9-51ec-904d-5af91079efbb" policytype="policy" '
        'sessionid=543234 srcip=10.16.0.121 srcport=53430 srccountry="Reserved" '
        'srcintf="port1" srcintfrole="lan" dstip=10.16.0.53 dstport=53 dstcountry="Reserved" '
        'dstintf="wan1" dstintfrole="wan" proto=17 profile="default" xid=2234 '
        f'qname="{host}" qtype="A" qtypeval=1 qclass="IN" ipaddr="104.18.32.47, '
        '172.64.155.209" msg="Domain is monitored" action="pass" cat=52 '
        'catdesc="Information Technology"' + fields.replace("{", "{{").replace("}", "}}"),
    )
