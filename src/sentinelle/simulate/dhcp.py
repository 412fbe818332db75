"""Dynamic addresses: some workstations get their address from DHCP, and it changes.

With ``HospitalConfig(dhcp=True)``, ``dhcp_share`` of the inventoried IPv4 workstations (pool PCs
aside) draw their address from a DHCP pool (``10.40.0.0/16``): each lease lasts 1–6 days, then
the workstation takes another free address.  One address is handed over from one workstation to
another in the middle of a day on which both use AI services (before and after the hand-over),
so a scanner that ignores the time of the lease attributes hits to the wrong workstation.

The inventory lists those workstations by host name only (no address); the simulator writes,
beside the logs, ``dhcp/dhcpd.leases`` (ISC journal: a block per lease and per renewal, a
``binding state free`` block at each release) and ``dhcp/windows/DhcpSrvLog-<Ddd>-<date>.log``
(Windows audit logs, local time, events 10 assign / 11 renew / 12 release).  The ground truth
does not use these files: it knows which workstation made each hit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from sentinelle.simulate.config import HospitalConfig
from sentinelle.simulate.hospital import Hospital
from sentinelle.simulate.records import Connections, Tables

__all__ = ["Leases", "plan_leases"]

DAY_MS = 86_400_000
RENEW_MS = DAY_MS // 2
_BIG = np.int64(1) << 42


@dataclass
class Leases:
    """Lease segments (workstation, address, start, end) in epoch ms, whole seconds."""

    ws: np.ndarray  # workstation index per segment, sorted by (ws, start)
    start: np.ndarray
    end: np.ndarray
    addr: np.ndarray  # index into Tables.clients
    hostname: dict[int, str]
    mac: dict[int, str]
    dynamic: np.ndarray  # bool per workstation
    handover: tuple[int, int, str, int]  # (from ws, to ws, address, ms)
    addresses: list[str]

    def _segment(self, client: np.ndarray, ts: np.ndarray) -> np.ndarray:
        keys = self.ws.astype(np.int64) * _BIG + self.start
        return np.searchsorted(keys, client.astype(np.int64) * _BIG + ts, "right") - 1

    def readdress(self, conns: Connections) -> Connections:
        """The same records, with each dynamic workstation's address at the record's time."""
        mask = self.dynamic[conns.client]
        if not mask.any():
            return conns
        client = conns.client.copy()
        client[mask] = self.addr[self._segment(conns.client[mask], conns.ts[mask])]
        return dataclasses.replace(conns, client=client)

    def source(self, tables: Tables, c: int, ts: int) -> str:
        """The address workstation ``c`` had at ``ts`` (as the logs show it)."""
        if not self.dynamic[c]:
            return tables.clients[c]
        seg = self._segment(np.array([c]), np.array([ts], np.int64))[0]
        return tables.clients[int(self.addr[seg])]

    def write(self, out: Path, tables: Tables, config: HospitalConfig) -> dict[str, list[Path]]:
        out.mkdir(parents=True, exist_ok=True)
        return {
            "isc-dhcpd": [self._write_isc(out / "dhcpd.leases", tables)],
            "windows-dhcp": self._write_windows(out / "windows", tables, ZoneInfo(config.tz)),
        }

    def _events(self, tables: Tables) -> list[tuple[int, int, int, int]]:
        """(ms, kind 0 release / 1 assign / 2 renew, segment, lease end ms) in time order."""
        events = []
        last = int(self.end.max())
        for k in range(len(self.ws)):
            s, e = int(self.start[k]), int(self.end[k])
            events.append((s, 1, k, s + DAY_MS))
            events += [(t, 2, k, t + DAY_MS) for t in range(s + RENEW_MS, min(e, last), RENEW_MS)]
            if e < last:
                events.append((e, 0, k, e))
        return sorted(events)

    def _write_isc(self, path: Path, tables: Tables) -> Path:
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(
                "# The format of this file is documented in the dhcpd.leases(5) manual page.\n"
                "# This lease file was written by isc-dhcp-4.4.3\n\n"
                "authoring-byte-order little-endian;\n\n"
            )
            for ms, kind, k, ends in self._events(tables):
                w, ip = int(self.ws[k]), tables.clients[int(self.addr[k])]
                state = "free" if kind == 0 else "active"
                start = int(self.start[k]) if kind == 0 else ms
                fh.write(
                    f"lease {ip} {{\n  starts {_isc_time(start)};\n  ends {_isc_time(ends)};\n"
                    f"  cltt {_isc_time(ms)};\n  binding state {state};\n"
                    f"  next binding state {'backup' if kind == 0 else 'free'};\n"
                    f"  hardware ethernet {self.mac[w]};\n"
                    f'  client-hostname "{self.hostname[w]}";\n}}\n'
                )
        return path

    def _write_windows(self, directory: Path, tables: Tables, zone: ZoneInfo) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        days: dict[dt.date, list[str]] = {}
        names = {0: "Release", 1: "Assign", 2: "Renew"}
        for ms, kind, k, _ in self._events(tables):
            w, ip = int(self.ws[k]), tables.clients[int(self.addr[k])]
            local = dt.datetime.fromtimestamp(ms / 1000, zone)
            event = {0: 12, 1: 10, 2: 11}[kind]
            mac = self.mac[w].replace(":", "").upper()
            days.setdefault(local.date(), []).append(
                f"{event},{local:%m/%d/%y},{local:%H:%M:%S},{names[kind]},{ip},"
                f"{self.hostname[w]}.chu.local,{mac},,{(ms // 1000) % 10**9},0,,,,,,,,,0"
            )
        paths = []
        for day, lines in sorted(days.items()):
            path = directory / f"DhcpSrvLog-{day:%a}-{day.isoformat()}.log"
            path.write_text(_WINDOWS_HEADER + "\n".join(lines) + "\n", "utf-8")
            paths.append(path)
        return paths


def _isc_time(ms: int) -> str:
    t = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    return f"{(t.isoweekday() % 7)} {t:%Y/%m/%d %H:%M:%S}"


_WINDOWS_HEADER = """\t\tMicrosoft DHCP Service Activity Log


Event ID  Meaning
00\tThe log was started.
01\tThe log was stopped.
10\tA new IP address was leased to a client.
11\tA lease was renewed by a client.
12\tA lease was released by a client.
13\tAn IP address was found to be in use on the network.
16\tA lease was deleted.
17\tA lease was expired and DNS records for an expired leases have not been deleted.
18\tA lease was expired and DNS records were deleted.

ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, QResult,\
Probationtime, CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),\
UserClass(ASCII),RelayAgentInformation,DnsRegError.
"""


def plan_leases(
    h: Hospital, config: HospitalConfig, begin_ms: int, end_ms: int, tables: Tables, ai: Connections
) -> Leases:
    """Choose the dynamic workstations, draw their leases, list them by host name only."""
    rng = np.random.default_rng([config.seed, 0xD4C9])  # apart from the traffic's draws
    eligible = [
        i
        for i in range(len(h))
        if h.in_inventory[i]
        and h.hostname[i]
        and h.identity[i] == h.hostname[i]
        and ":" not in h.ip[i]
        and not h.ip[i].startswith("10.16.250.")
    ]
    chosen = rng.choice(eligible, round(len(eligible) * config.dhcp_share), replace=False)
    dynamic = np.zeros(len(h), bool)
    dynamic[chosen] = True
    handover = _handover(ai, dynamic, config)
    segments, pool = _draw(sorted(int(c) for c in chosen), begin_ms, end_ms, handover, rng)
    base = len(tables.clients)
    tables.clients.extend(pool)
    seg = np.array(sorted(segments), np.int64).reshape(-1, 4)
    hostname = {int(c): h.hostname[int(c)] for c in chosen}
    by_name = set(hostname.values())
    h.inventory_rows = [("" if r[1] in by_name else r[0], *r[1:]) for r in h.inventory_rows]
    mac = {
        int(c): "00:16:3e:" + ":".join(f"{(int(c) >> s) & 255:02x}" for s in (16, 8, 0))
        for c in chosen
    }
    frm, to, t = handover
    addr_at = {(w, s): a for w, s, _, a in segments}
    given = next(a for (w, s), a in addr_at.items() if w == to and s == t)
    return Leases(
        seg[:, 0],
        seg[:, 1],
        seg[:, 2],
        seg[:, 3] + base,
        hostname,
        mac,
        dynamic,
        (frm, to, pool[given], t),
        pool,
    )


def _handover(ai: Connections, dynamic: np.ndarray, config: HospitalConfig) -> tuple[int, int, int]:
    """(A, B, T): A has an AI hit shortly before T, B one after, the same local day."""
    zone = ZoneInfo(config.tz)
    idx = np.flatnonzero(dynamic[ai.client])
    order = idx[np.argsort(ai.ts[idx], kind="stable")]
    for j in range(len(order) - 1):
        a, b = order[j], order[j + 1 :]
        later = b[(ai.client[b] != ai.client[a]) & (ai.ts[b] - ai.ts[a] > 120_000)]
        if not len(later):
            continue
        ta, tb = int(ai.ts[a]), int(ai.ts[later[0]])
        if (
            dt.datetime.fromtimestamp(ta / 1000, zone).date()
            != dt.datetime.fromtimestamp(tb / 1000, zone).date()
        ):
            continue
        t = ((ta + tb) // 2) // 1000 * 1000
        return int(ai.client[a]), int(ai.client[later[0]]), t
    raise ValueError("no two dynamic workstations use AI on the same day: raise dhcp_share")


def _draw(
    chosen: list[int],
    begin: int,
    end: int,
    handover: tuple[int, int, int],
    rng: np.random.Generator,
) -> tuple[list[tuple[int, int, int, int]], list[str]]:
    """Lease segments (ws, start, end, pool index) covering [begin - 1 day, end + 1 day)."""
    frm, to, t_hand = handover
    n_pool = len(chosen) + max(8, len(chosen) // 2)
    pool = [f"10.40.{k // 250}.{k % 250 + 2}" for k in range(n_pool)]
    changes: list[tuple[int, int, int]] = []  # (ms, order, ws)
    for w in chosen:
        t = begin - int(rng.integers(1, 20)) * 3_600_000
        changes.append((t // 1000 * 1000, 0, w))
        while True:
            t += int(rng.integers(24, 6 * 24 + 1)) * 3_600_000 + int(rng.integers(0, 3600)) * 1000
            if t >= end:
                break
            if w in (frm, to) and abs(t - t_hand) < DAY_MS:
                continue
            changes.append((t, 0, w))
    changes += [(t_hand, 1, frm), (t_hand, 2, to)]
    return _assign(sorted(changes), pool, end + DAY_MS, rng), pool


def _assign(
    changes: list[tuple[int, int, int]], pool: list[str], stop: int, rng: np.random.Generator
) -> list[tuple[int, int, int, int]]:
    free = list(range(len(pool)))
    holding: dict[int, tuple[int, int]] = {}  # ws -> (address, since)
    segments: list[tuple[int, int, int, int]] = []
    released_by_handover = -1
    for t, order, w in changes:
        if w in holding:
            a, since = holding.pop(w)
            segments.append((w, since, t, a))
            if order == 1:
                released_by_handover = a
            else:
                free.append(a)
        a = released_by_handover if order == 2 else free.pop(int(rng.integers(0, len(free))))
        holding[w] = (a, t)
    segments += [(w, since, stop, a) for w, (a, since) in holding.items()]
    return segments
