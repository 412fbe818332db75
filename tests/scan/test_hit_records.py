"""Hit rows recorded as numbers and parts (``enrich.HitRecords``) make the table their values
make: every column, every null, parts shared or not, the counts' extremes (the text columns
dictionary-encoded, read back as their values)."""

from __future__ import annotations

import struct
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.scan import enrich
from sentinelle.scan.enrich import HIT_SCHEMA, PART_FIELDS, TEXT, HitRecords
from sentinelle.schema import COUNT_MAX

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
_AT = st.tuples(
    _TEXT, st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.integers(0, 23), st.integers(1, 7)
)
_FIELDS = st.tuples(_TEXT, _TEXT, _TEXT, _TEXT, st.booleans(), _TEXT, _TEXT)
_WHO = st.tuples(st.none() | _TEXT, _TEXT, _TEXT, _TEXT, st.booleans())
_COUNT = st.none() | st.integers(-COUNT_MAX, COUNT_MAX) | st.sampled_from([0, COUNT_MAX])
_ROW = st.tuples(
    st.integers(0, 2**62),
    st.integers(-62_135_596_800_000_000, 253_402_300_799_999_999),  # years 1 to 9999
    st.integers(0, 3),  # which of the few parts of each kind (some shared, some not)
    st.none() | _TEXT,
    st.booleans(),
    _COUNT,
    _COUNT,
)


def _expected(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=HIT_SCHEMA)


@settings(max_examples=120, deadline=None)
@given(
    rows=st.lists(_ROW, max_size=30),
    ats=st.lists(_AT, min_size=4, max_size=4),
    fields=st.lists(_FIELDS, min_size=4, max_size=4),
    whos=st.lists(_WHO, min_size=4, max_size=4),
    file_id=st.integers(0, 2**31 - 1),
    copies=st.booleans(),
)
def test_the_records_make_the_table_of_their_rows(
    rows: list[tuple[Any, ...]],
    ats: list[Any],
    fields: list[Any],
    whos: list[Any],
    file_id: int,
    copies: bool,
) -> None:
    records, expected = HitRecords(), []
    for seq, micros, k, user, blocked, out, into in rows:
        # the same part object line after line, or an equal copy (kept twice, same values)
        at, f, who = (tuple(p) if copies else p for p in (ats[k], fields[k], whos[k]))
        records.add(seq, micros, at, f, who, user, blocked, out, into)
        values = (*at, *f, *who, user)
        named = [n for names in PART_FIELDS for n in names]
        expected.append(
            {"file_id": file_id, "seq": seq, "ts": datetime(1970, 1, 1) + micros * _US}
            | dict(zip(named, values, strict=True))
            | {"blocked": blocked, "bytes_out": out, "bytes_in": into}
        )
    assert len(records) == len(rows)
    table = records.table(file_id)
    assert table.schema == HIT_SCHEMA
    assert table.to_pydict() == _expected(expected).to_pydict()


_US = timedelta(microseconds=1)


def test_each_part_is_kept_once_however_many_rows_name_it() -> None:
    at = ("2026-11", date(2026, 11, 2), 9, 1)
    fields = ("web", "chatgpt", "chatbot", "domain", True, "chatgpt.com", "squid")
    who = ("w_1", "Site", "Urgences", "IDE", True)
    records = HitRecords()
    for seq in range(1000):
        records.add(seq, seq, at, fields, who, "u_1", False, None, 5)
    assert [len(p) for p in records.parts] == [1, 1, 1, 1]
    table = records.table(3)
    assert table["department"].to_pylist() == ["Urgences"] * 1000
    assert table["bytes_out"].null_count == 1000 and table["bytes_in"].to_pylist() == [5] * 1000


def test_no_rows_make_an_empty_table() -> None:
    table = HitRecords().table(1)
    assert table.num_rows == 0 and table.schema == HIT_SCHEMA


def test_a_count_the_store_cannot_keep_is_refused() -> None:
    """The enricher makes such a count None first (``schema.within_count``): a record never
    holds it silently wrapped."""
    at = ("2026-11", date(2026, 11, 2), 9, 1)
    fields = ("web", "s", "c", "e", True, "h", "o")
    who = ("w", "s", "d", "r", True)
    with pytest.raises(struct.error):
        HitRecords().add(1, 1, at, fields, who, None, False, 2**63, None)


_PART_VALUES = {
    pa.bool_(): st.none() | st.booleans(),
    pa.int8(): st.none() | st.integers(-128, 127),
    pa.date32(): st.none() | st.dates(date(1, 1, 1), date(9999, 12, 31)),
    TEXT: st.none() | _TEXT,
}


@settings(max_examples=150, deadline=None)
@given(
    typ=st.sampled_from(list(_PART_VALUES)),
    data=st.data(),
)
def test_a_part_field_gathered_is_its_values_at_the_rows(typ: pa.DataType, data: Any) -> None:
    """Each column a part gives: nulls where the part's value is None, whatever its type."""
    values = data.draw(st.lists(_PART_VALUES[typ], min_size=1, max_size=8))
    index = data.draw(st.lists(st.integers(0, len(values) - 1), max_size=40))
    got = enrich._gathered(values, typ, np.asarray(index, np.int64))
    assert got.type == typ
    assert got.to_pylist() == [values[i] for i in index]
