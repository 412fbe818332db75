"""Client texts for the address traps' tests: IPv4 and IPv6 addresses, near-misses and junk."""

from __future__ import annotations

import ipaddress

from hypothesis import strategies as st


def _v6(value: int, exploded: bool) -> str:
    address = ipaddress.IPv6Address(value)
    return address.exploded if exploded else address.compressed


_GROUPS = st.lists(
    st.one_of(st.just(""), st.text("0123456789abcdef", min_size=1, max_size=5)),
    min_size=1,
    max_size=10,
)


def clients() -> st.SearchStrategy[str]:
    """Runs of ``[0-9a-f.:]`` shaped like addresses or nearly: groups, dotted quads up to 300,
    IPv6 addresses written compressed or exploded."""
    return st.one_of(
        st.text("0123456789abcdef.:", min_size=1, max_size=24),
        st.text("0123456789.:", min_size=1, max_size=24),
        st.text("0:1f.", min_size=1, max_size=20),
        st.text("0123456789.", min_size=1, max_size=20),
        _GROUPS.map(":".join),
        st.lists(st.integers(0, 300), min_size=3, max_size=5).map(lambda v: ".".join(map(str, v))),
        st.builds(
            _v6,
            st.one_of(
                st.integers(0, 2**128 - 1),
                st.integers(0, 2**16 - 1).map(lambda v: v << 112),
                st.integers(0, 2**32 - 1),
                st.integers(0, 2**48 - 1).map(lambda v: (0x20010DB8 << 96) | v),
            ),
            st.booleans(),
        ),
    )
