"""Keyed pseudonyms: stable under one key, different under another, never the clear value."""

from __future__ import annotations

import hmac

from hypothesis import assume, given
from hypothesis import strategies as st

from sentinelle.privacy import Pseudonymizer

keys = st.binary(min_size=16, max_size=64)
identities = st.text(min_size=1, max_size=40)
kinds = st.sampled_from(["workstation", "user"])


@given(keys, kinds, identities)
def test_same_identity_and_key_same_pseudonym(key: bytes, kind: str, value: str) -> None:
    assert Pseudonymizer(key).pseudonym(kind, value) == Pseudonymizer(key).pseudonym(kind, value)


@given(keys, keys, kinds, identities)
def test_another_key_another_pseudonym(k1: bytes, k2: bytes, kind: str, value: str) -> None:
    assume(k1 != k2)
    assert Pseudonymizer(k1).pseudonym(kind, value) != Pseudonymizer(k2).pseudonym(kind, value)


@given(keys, identities, identities)
def test_pseudonyms_hide_the_value(key: bytes, a: str, b: str) -> None:
    p = Pseudonymizer(key)
    token = p.pseudonym("user", a)
    assert token is not None and token.startswith("u_") and len(token) == 26
    assert a not in token[2:] or len(a) < 3
    assert (token == p.pseudonym("user", b)) == (a == b)
    assert p.pseudonym("user", a) != p.pseudonym("workstation", a)
    assert p.pseudonym("user", None) is None


@given(st.binary(min_size=0, max_size=200), kinds, st.text(max_size=80))
def test_a_pseudonym_is_the_hmac_sha256_of_kind_and_value(
    key: bytes, kind: str, value: str
) -> None:
    """Computed from HMAC's keyed states prepared once; the same as the standard library's
    HMAC, for keys shorter and longer than SHA-256's block (hashed first then)."""
    mac = hmac.digest(key, f"{kind}\x00{value}".encode(), "sha256").hex()
    assert Pseudonymizer(key).pseudonym(kind, value) == f"{kind[0]}_{mac[:24]}"


@given(keys, kinds, st.text(st.characters(codec=None, categories=["Cs", "Ll"]), max_size=20))
def test_a_lone_surrogate_has_a_pseudonym(key: bytes, kind: str, value: str) -> None:
    """A JSON log's ``\\ud800`` escape reaches a user name as a lone surrogate, which strict
    UTF-8 refuses (a scan of such a line stopped before): its pseudonym is the HMAC of its
    code points as they are written (``surrogatepass``), the same text as before otherwise."""
    mac = hmac.digest(key, f"{kind}\x00{value}".encode("utf-8", "surrogatepass"), "sha256")
    assert Pseudonymizer(key).pseudonym(kind, value) == f"{kind[0]}_{mac.hex()[:24]}"
    if "\ud800" not in value:
        assert Pseudonymizer(key).pseudonym(kind, value + "\ud800") != Pseudonymizer(key).pseudonym(
            kind, value + "\ufffd"
        )
