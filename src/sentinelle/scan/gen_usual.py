"""Writes ``_lines_usual.h``: the fast path's profiles as straight C code (see ``native.emit_c``).

``python -m sentinelle.scan.gen_usual > src/sentinelle/scan/_lines_usual.h`` after changing a
profile in :mod:`sentinelle.scan.fast`; ``tests/perf`` fails while the file is stale (a stale
file is never wrong, only slower: the walker then interprets the program).
"""

from __future__ import annotations

from sentinelle.scan.fast import profiles
from sentinelle.scan.native import compile_profile, emit_c


def generated() -> str:
    """The text of ``_lines_usual.h`` for the current profiles."""
    programs = {
        name: compile_profile(
            p.usual,
            p.tail,
            p.hosts,
            p.key_len,
            p.reserved,
            p.key_at,
            p.zone,
            p.dotted_hosts,
            key=p.key_element,
            addresses=p.addresses,
            mark=p.dns_element,
            pairs=p.free_pairs,
            skip=p.skip_element,
            columns=p.free_columns,
            utc=p.utc_key,
            ips=p.ips,
            labels=p.labels,
        )  # (the zone's names and dotted hosts are read at run time, not generated)
        for name, p in sorted(profiles().items())
        if p.walked
    }
    return emit_c(programs)


if __name__ == "__main__":
    print(generated(), end="")
