"""Numbers, shares, sizes and dates as French or English readers expect them.

French follows the Imprimerie nationale rules: a narrow no-break space (U+202F) groups thousands
and precedes ``%``, the decimal mark is a comma, month names are lower-case ("août 2026").
English uses "400,000", "60%" and "August 2026".  Every function takes ``lang`` ("fr" or "en");
:class:`Formatter` binds it once for templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sentinelle.errors import ConfigError

LANGS: tuple[str, ...] = ("fr", "en")
NNBSP = "\u202f"  # narrow no-break space: French thousands separator and before %, ;, !, ?
NBSP = "\u00a0"  # no-break space: inside French guillemets, before a unit
MINUS = "\u2212"

_MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
# The Imprimerie nationale abbreviations: "juin" and "juil." stay distinct.
_MONTHS_SHORT = {
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_WEEKDAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_WEEKDAYS_SHORT = {
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_BYTE_UNITS = {"fr": ("o", "ko", "Mo", "Go", "To", "Po"), "en": ("B", "kB", "MB", "GB", "TB", "PB")}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is supported, else raise :class:`ConfigError` naming the choices."""
    if lang not in LANGS:
        raise ConfigError(
            f"unsupported report language {lang!r}", hint=f"choose one of {', '.join(LANGS)}"
        )
    return lang


def _round(x: float, digits: int) -> Decimal:
    # Half-up rounding: 0.125 shown with two digits reads 0.13 as a reader expects, not 0.12.
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def decimal(x: float, lang: str, digits: int = 1) -> str:
    """``1234.5`` → "1 234,5" (fr) / "1,234.5" (en)."""
    text = f"{_round(x, digits):,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text.replace("-", MINUS)


def integer(n: int, lang: str) -> str:
    """``400000`` → "400 000" (fr, U+202F) / "400,000" (en)."""
    return decimal(n, lang, 0)


def percent(share: float, lang: str, digits: int = 0) -> str:
    """A share in [0, 1] → "60 %" (fr, U+202F) / "60%" (en); tiny non-zero shares read "< 1 %"."""
    value = share * 100
    smallest = 10.0**-digits
    if 0 < value < smallest / 2:
        shown = decimal(smallest, lang, digits)
        return f"<{NNBSP}{shown}{NNBSP}%" if lang == "fr" else f"<{shown}%"
    shown = decimal(value, lang, digits)
    return f"{shown}{NNBSP}%" if lang == "fr" else f"{shown}%"


def change(ratio: float | None, lang: str) -> str:
    """A relative change (0.12 = +12 %) with an explicit sign; ``None`` (no base) → "—"."""
    if ratio is None:
        return "—"
    sign = "+" if ratio > 0 else ""
    return sign + percent(ratio, lang) if ratio >= 0 else MINUS + percent(-ratio, lang)


def byte_size(n: int | None, lang: str) -> str:
    """``1_234_567`` → "1,2 Mo" / "1.2 MB" (powers of 1000); ``None`` → "n.d." / "n/a"."""
    if n is None:
        return "n.d." if lang == "fr" else "n/a"
    units = _BYTE_UNITS[lang]
    value, unit = float(n), 0
    while value >= 1000 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    number = integer(int(value), lang) if unit == 0 else decimal(value, lang, 1)
    return f"{number}{NBSP}{units[unit]}"


def month(period: str, lang: str) -> str:
    """``"2026-08"`` → "août 2026" / "August 2026"."""
    year, mon = period.split("-")
    return f"{_MONTHS[lang][int(mon) - 1]} {int(year)}"


def month_short(period: str, lang: str) -> str:
    """``"2026-08"`` → "août 26" / "Aug 26" for chart axes."""
    year, mon = period.split("-")
    return f"{_MONTHS_SHORT[lang][int(mon) - 1]} {year[2:]}"


def weekday(isoday: int, lang: str, *, short: bool = False) -> str:
    """ISO weekday 1 (Monday) … 7 → "lundi" / "lun." / "Monday" / "Mon"."""
    return (_WEEKDAYS_SHORT if short else _WEEKDAYS)[lang][isoday - 1]


def day(d: date, lang: str) -> str:
    """``date(2026, 8, 3)`` → "lundi 3 août 2026" / "Monday, August 3, 2026"."""
    name, mon = weekday(d.isoweekday(), lang), _MONTHS[lang][d.month - 1]
    if lang == "fr":
        return f"{name} {d.day}{'er' if d.day == 1 else ''} {mon} {d.year}"
    return f"{name}, {mon} {d.day}, {d.year}"


def timestamp(moment: datetime, tz: str, lang: str) -> str:
    """An aware datetime in ``tz``: "3 septembre 2026 à 08:15" / "September 3, 2026, 08:15"."""
    local = moment.astimezone(ZoneInfo(tz))
    mon = _MONTHS[lang][local.month - 1]
    if lang == "fr":
        return f"{local.day} {mon} {local.year} à {local:%H:%M}"
    return f"{mon} {local.day}, {local.year}, {local:%H:%M}"


@dataclass(frozen=True)
class Formatter:
    """The functions above with the language bound, for templates and charts."""

    lang: str

    def __post_init__(self) -> None:
        check_lang(self.lang)

    def integer(self, n: int) -> str:
        return integer(n, self.lang)

    def decimal(self, x: float, digits: int = 1) -> str:
        return decimal(x, self.lang, digits)

    def percent(self, share: float, digits: int = 0) -> str:
        return percent(share, self.lang, digits)

    def change(self, ratio: float | None) -> str:
        return change(ratio, self.lang)

    def bytes(self, n: int | None) -> str:
        return byte_size(n, self.lang)

    def month(self, period: str) -> str:
        return month(period, self.lang)

    def month_short(self, period: str) -> str:
        return month_short(period, self.lang)

    def weekday(self, isoday: int, *, short: bool = False) -> str:
        return weekday(isoday, self.lang, short=short)

    def day(self, d: date) -> str:
        return day(d, self.lang)

    def timestamp(self, moment: datetime, tz: str) -> str:
        return timestamp(moment, tz, self.lang)
