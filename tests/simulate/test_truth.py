"""Truth.metrics on tiny hand-built hits, against numbers computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from sentinelle.errors import ConfigError
from sentinelle.simulate.truth import Hit, Truth, write_truth

MIN = 60_000


def ms(iso: str) -> int:
    return int(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def hit(
    t: int, ident: str = "PC-A", service: str = "chatgpt", primary: bool = True, **kw: object
) -> Hit:
    kw.setdefault("bytes_in", 100)
    kw.setdefault("bytes_out", 7)
    cat = "assistant" if service != "deepl" else "translation"
    return Hit(t, ident, service, cat, primary, kw.pop("blocked", False), **kw)  # type: ignore[arg-type]


T0 = ms("2026-08-10T08:00:00Z")


def total(hits: list[Hit], **kw: object) -> dict[str, object]:
    rows = Truth(hits).metrics(by=[], **kw)  # type: ignore[arg-type]
    assert len(rows) == 1
    return rows[0]


def test_exactly_30_minutes_is_the_same_visit() -> None:
    assert total([hit(T0), hit(T0 + 30 * MIN)])["visits"] == 1


def test_30_minutes_and_1_second_starts_a_new_visit() -> None:
    row = total([hit(T0), hit(T0 + 30 * MIN + 1000)])
    assert (row["requests"], row["visits"]) == (2, 2)


def test_gap_is_measured_from_the_previous_hit_not_the_first() -> None:
    hits = [hit(T0 + k * 20 * MIN) for k in range(6)]  # 100 minutes, never a 30-min gap
    assert total(hits)["visits"] == 1


def test_auxiliary_only_visit_counts_for_nothing() -> None:
    hits = [
        hit(T0, primary=False),
        hit(T0 + MIN, primary=False),  # aux-only visit
        hit(T0 + 2 * 60 * MIN),
        hit(T0 + 2 * 60 * MIN + MIN, primary=False),
    ]
    row = total(hits)
    assert (row["requests"], row["visits"], row["bytes_in"]) == (2, 1, 200)


def test_auxiliary_hit_before_the_primary_one_is_counted_with_its_visit() -> None:
    row = total([hit(T0, primary=False), hit(T0 + 29 * MIN)])
    assert (row["requests"], row["visits"]) == (2, 1)


def test_visits_are_per_workstation_and_service() -> None:
    hits = [hit(T0), hit(T0 + MIN, ident="PC-B"), hit(T0 + 2 * MIN, service="claude")]
    row = total(hits)
    assert (row["visits"], row["workstations"]) == (3, 2)
    by = Truth(hits).metrics(by=["service"])
    assert [(r["service"], r["visits"], r["workstations"]) for r in by] == [
        ("chatgpt", 2, 2),
        ("claude", 1, 1),
    ]


def test_month_boundary_is_local_time() -> None:
    rows = Truth([hit(ms("2026-07-31T22:30:00Z"))]).metrics(by=["period", "day", "hour", "weekday"])
    assert rows == [
        {
            "period": "2026-08",
            "day": "2026-08-01",
            "hour": 0,
            "weekday": 6,
            "requests": 1,
            "blocked": 0,
            "visits": 1,
            "workstations": 1,
            "users": 0,
            "bytes_out": None,
            "bytes_in": 100,
        }
    ]
    utc = Truth([hit(ms("2026-07-31T22:30:00Z"))]).metrics(by=["period"], tz="UTC")
    assert utc[0]["period"] == "2026-07"


def test_visit_spanning_month_end_midnight_belongs_to_the_first_period() -> None:
    hits = [hit(ms("2026-07-31T21:50:00Z")), hit(ms("2026-07-31T22:10:00Z"))]  # 23:50, 00:10
    rows = Truth(hits).metrics(by=["period"])
    assert [(r["period"], r["requests"], r["visits"], r["workstations"]) for r in rows] == [
        ("2026-07", 1, 1, 1),
        ("2026-08", 1, 0, 1),
    ]
    aug = Truth(hits).metrics(by=[], period="2026-08")
    assert (aug[0]["requests"], aug[0]["visits"]) == (1, 0)


def test_visit_attributes_follow_the_first_hit_hour() -> None:
    hits = [hit(ms("2026-08-10T07:50:00Z")), hit(ms("2026-08-10T08:20:00Z"))]  # 09:50, 10:20
    rows = Truth(hits).metrics(by=["hour"])
    assert [(r["hour"], r["requests"], r["visits"]) for r in rows] == [(9, 1, 1), (10, 1, 0)]


def test_blocked_users_and_bytes() -> None:
    hits = [
        hit(T0, user="", blocked=True),
        hit(T0 + MIN, user="jdupont"),
        hit(T0 + 2 * MIN, user="jdupont"),
        hit(T0 + 3 * MIN, ident="PC-B", user="amartin"),
    ]
    row = total(hits)
    assert row == {
        "requests": 4,
        "blocked": 1,
        "visits": 2,
        "workstations": 2,
        "users": 2,
        "bytes_out": None,
        "bytes_in": 400,
    }


def test_users_are_zero_when_no_line_carries_one() -> None:
    assert total([hit(T0, user="")])["users"] == 0


def test_bytes_are_none_when_no_hit_records_them() -> None:
    assert total([hit(T0, bytes_in=None)])["bytes_in"] is None


def test_department_role_site_dimensions() -> None:
    hits = [hit(T0, department="urgences", role="Interne", site="Nord"), hit(T0, ident="10.1.2.3")]
    rows = Truth(hits).metrics(by=["site", "department", "role"])
    assert [(r["site"], r["department"], r["role"]) for r in rows] == [
        ("Nord", "urgences", "Interne"),
        ("unknown", "unknown", "unknown"),
    ]


def test_unknown_dimension_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'workstation'"):
        Truth([]).metrics(by=["workstation"])


def test_empty_truth_gives_no_rows() -> None:
    assert Truth([]).metrics(by=["service"]) == []


def test_csv_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    row = (
        T0,
        "2026-08-10T08:00:00.000Z",
        "10.16.0.2",
        "PC-A",
        "jdupont",
        "chatgpt",
        "assistant",
        "primary",
        1,
        407,
        300,
        3900,
        "Nord",
        "urgences",
        "Interne",
        "ChatGPT.com.",
    )
    aux = (
        T0 + MIN,
        "",
        "10.16.0.2",
        "PC-A",
        "",
        "chatgpt",
        "assistant",
        "auxiliary",
        0,
        200,
        "",
        50,
        "Nord",
        "urgences",
        "Interne",
        "cdn.oaistatic.com",
    )
    truth = Truth.load(write_truth(tmp_path / "ai_hits.csv", [row, aux]))
    assert truth.metrics(by=["department"]) == [
        {
            "department": "urgences",
            "requests": 2,
            "blocked": 1,
            "visits": 1,
            "workstations": 1,
            "users": 1,
            "bytes_out": None,
            "bytes_in": 3950,
        }
    ]
    assert Truth.load(tmp_path).hits == truth.hits
