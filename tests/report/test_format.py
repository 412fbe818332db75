"""French and English number, share, size and date formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sentinelle.errors import ConfigError
from sentinelle.report import format as f

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("n", "fr", "en"),
    [
        (0, "0", "0"),
        (999, "999", "999"),
        (6_500, f"6{NNBSP}500", "6,500"),
        (400_000, f"400{NNBSP}000", "400,000"),
        (12_345_678, f"12{NNBSP}345{NNBSP}678", "12,345,678"),
    ],
)
def test_integer(n: int, fr: str, en: str) -> None:
    assert f.integer(n, "fr") == fr
    assert f.integer(n, "en") == en


@pytest.mark.parametrize(
    ("share", "digits", "fr", "en"),
    [
        (0.6, 0, f"60{NNBSP}%", "60%"),
        (0.605, 0, f"61{NNBSP}%", "61%"),  # half-up, not banker's rounding
        (0.1234, 1, f"12,3{NNBSP}%", "12.3%"),
        (0.0, 0, f"0{NNBSP}%", "0%"),
        (0.001, 0, f"<{NNBSP}1{NNBSP}%", "<1%"),
        (1.0, 1, f"100,0{NNBSP}%", "100.0%"),
    ],
)
def test_percent(share: float, digits: int, fr: str, en: str) -> None:
    assert f.percent(share, "fr", digits) == fr
    assert f.percent(share, "en", digits) == en


def test_change_has_an_explicit_sign() -> None:
    assert f.change(0.56, "fr") == f"+56{NNBSP}%"
    assert f.change(-0.0967, "en") == "\u221210%"
    assert f.change(None, "fr") == "—"


def test_months_and_days() -> None:
    assert f.month("2026-08", "fr") == "août 2026"
    assert f.month("2026-08", "en") == "August 2026"
    assert f.month_short("2026-06", "fr") == "juin 26"
    assert f.month_short("2026-07", "fr") == "juil. 26"
    assert f.month_short("2026-07", "en") == "Jul 26"
    assert f.day(date(2026, 8, 1), "fr") == "samedi 1er août 2026"
    assert f.day(date(2026, 8, 3), "en") == "Monday, August 3, 2026"
    assert f.weekday(7, "fr", short=True) == "dim."


def test_timestamp_is_shown_in_the_establishment_zone() -> None:
    moment = datetime(2026, 7, 31, 22, 30, tzinfo=UTC)
    assert f.timestamp(moment, "Europe/Paris", "fr") == "1 août 2026 à 00:30"
    assert f.timestamp(moment, "Europe/Paris", "en") == "August 1, 2026, 00:30"


def test_byte_sizes() -> None:
    assert f.byte_size(None, "fr") == "n.d."
    assert f.byte_size(None, "en") == "n/a"
    assert f.byte_size(512, "fr") == "512\u00a0o"
    assert f.byte_size(1_234_567, "fr") == "1,2\u00a0Mo"
    assert f.byte_size(1_234_567, "en") == "1.2\u00a0MB"


def test_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match="fr, en"):
        f.Formatter("de")
