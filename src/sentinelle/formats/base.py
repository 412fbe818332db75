"""What a log format module provides, and the per-file context it parses with.

A format is an instance of :class:`LogFormat`: a name, a description, where the destination host
comes from, an example line, a cheap-then-strict :meth:`LogFormat.detect`, and a per-file
:class:`LineParser` (per file because header-driven formats — ELFF ``#Fields:``, Zeek ``#fields``,
Windows DNS legends — learn their layout from the file itself).

``LineParser.parse(line)`` returns an :class:`~sentinelle.schema.Event`, ``None`` for a line that is
not a record (header, comment, blank: counted as *skipped*), or raises
:class:`~sentinelle.errors.MalformedLine` with a reason (counted as *rejected*).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal
from zoneinfo import ZoneInfo

from sentinelle.errors import ConfigError, MalformedLine
from sentinelle.formats._structure import LineStructure
from sentinelle.formats._usual import Layouts, Profile
from sentinelle.schema import Event

HostEvidence = Literal["url", "host-header", "sni", "dns", "firewall-object", "none"]
Kind = Literal["proxy", "firewall", "dns", "sensor", "generic"]


@dataclass(frozen=True)
class ParseContext:
    """What a parser may need beyond the line: where it comes from and how to read local times."""

    path: str = "-"
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    year: int | None = None  # for syslog headers without a year (default: the file's mtime year)
    options: dict[str, str] = field(default_factory=dict)  # format-specific (e.g. date order)


@dataclass(frozen=True)
class FormatOption:
    """An option a format's parser reads from :attr:`ParseContext.options` (``sentinelle scan
    --format-option NAME=VALUE``)."""

    name: str
    #: what it says, with its default (``sentinelle formats``, ``docs/formats.md``)
    help: str
    #: the values it takes (none: any); compared in lower case
    choices: tuple[str, ...] = ()
    #: its value is a file that must exist
    path: bool = False

    def value(self, text: str) -> str:
        """``text`` as the parser reads it (one of the choices in lower case); ConfigError when
        it is not one this option takes."""
        if self.choices:
            value = text.strip().lower()
            if value not in self.choices:
                raise ConfigError(
                    f"format option {self.name}={text!r} is not one of {', '.join(self.choices)}",
                    hint=f"{self.name}: {self.help}",
                )
            return value
        if self.path and not Path(text).is_file():
            raise ConfigError(
                f"format option {self.name}={text!r}: no such file",
                hint=f"{self.name}: {self.help}",
            )
        return text


class LineParser(ABC):
    """Parses the lines of one file, in order."""

    @abstractmethod
    def parse(self, line: str) -> Event | None:
        """Return the event for ``line``, ``None`` for a non-record line; raise MalformedLine."""

    def unwrapped(self, line: str) -> str:
        """``line`` as this parser's own reading sees it (behind the syslog headers a relay put
        in front of it, for a format whose module leaves them to the base class)."""
        return line

    def usual_for(self, layouts: Layouts, layout: tuple[str, ...]) -> Profile | None:
        """The usual line of ``layout``, a layout of a format of ``layouts`` (the scanner's fast
        path, see :class:`~sentinelle.formats._usual.Layouts`), as this parser reads it: the
        format's, unless the parser's options change it (Forcepoint's and Windows DNS's
        ``date_order``)."""
        return layouts.usual_for(layout)

    def layout_of(self, layouts: Layouts, line: str) -> tuple[str, ...] | None:
        """The layout ``line`` sets (None: it sets none), a line of a format of ``layouts``, as
        this parser reads it: the format's, of the line as it sees it (behind a syslog
        header), unless the lines it has read matter (Zeek's TSV header, several lines)."""
        return layouts.layout_of(self.unwrapped(line))


class _SyslogStripping(LineParser):
    """A format's parser behind a syslog-header stripper (see ``LogFormat.handles_syslog``)."""

    def __init__(self, inner: LineParser) -> None:
        from sentinelle.formats._syslog import syslog_message  # _syslog imports this module

        self.inner, self._strip = inner, syslog_message

    def parse(self, line: str) -> Event | None:
        return self.inner.parse(self._strip(line))

    def unwrapped(self, line: str) -> str:
        """``line`` as the inner parser reads it (its syslog headers removed)."""
        return self.inner.unwrapped(self._strip(line))

    def usual_for(self, layouts: Layouts, layout: tuple[str, ...]) -> Profile | None:
        return self.inner.usual_for(layouts, layout)

    def layout_of(self, layouts: Layouts, line: str) -> tuple[str, ...] | None:
        return self.inner.layout_of(layouts, self._strip(line))

    def __getattr__(self, name: str) -> object:  # e.g. the inner parser's ``clock``
        return getattr(self.inner, name)


class LogFormat(ABC):
    """A vendor log format: metadata, detection and a parser factory."""

    name: ClassVar[str]
    description: ClassVar[str]
    kind: ClassVar[Kind]
    host_field: ClassVar[str]  # which field carries the destination host, in the vendor's terms
    host_evidence: ClassVar[HostEvidence]
    example: ClassVar[str]
    #: What to enable on the device so that it writes this log (docs/formats.md).
    vendor_setup: ClassVar[str] = ""
    #: The vendor fields read, in the vendor's names, and the ECS field each one fills.
    fields_used: ClassVar[str] = ""
    #: What this log cannot see (no host, no bytes, no user, queries not requests...).
    limits: ClassVar[str] = ""
    #: Detection order: specific formats first, generic ones (w3c, cef, mapped) last.
    priority: ClassVar[int] = 100
    #: Share of a sample's record lines that must parse for detect() to accept it.
    min_parsed_share: ClassVar[float] = 0.5
    #: False when the module's parser does not remove syslog headers itself: a relay may put
    #: one (or two) in front of any format, so the base class then strips them before each
    #: line reaches the parser.
    handles_syslog: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.handles_syslog and "new_parser" in cls.__dict__:
            make = cls.__dict__["new_parser"]

            def new_parser(self: LogFormat, ctx: ParseContext) -> LineParser:
                return _SyslogStripping(make(self, ctx))

            new_parser.__doc__ = make.__doc__
            cls.new_parser = new_parser  # type: ignore[method-assign]

    #: The chain every valid line follows, when the parser rejects exactly the lines that do not
    #: (see ``formats/_structure.py``); it lets the scanner validate lines without parsing them.
    structure: ClassVar[LineStructure | None] = None
    #: What most lines look like, where their host name and time are: the scanner's prefilter
    #: then parses only the lines that are not usual or may name an AI service (see
    #: ``formats/_usual.py``); None: every line goes through the parser.
    usual: ClassVar[Profile | None] = None
    #: For a format whose columns a directive line names (ELFF's ``#Fields:``): the usual line
    #: of each layout (``usual`` is then its typical layout's; see :class:`Layouts`)
    layouts: ClassVar[Layouts | None] = None
    #: What its parser reads from :attr:`ParseContext.options` (``--format-option``)
    options: ClassVar[tuple[FormatOption, ...]] = ()

    @property
    def fast_path(self) -> str:
        """What the scan's fast path counts of this format without its parser, in a sentence
        or two (``sentinelle formats``, ``docs/formats.md``)."""
        usual = self.usual
        if usual is None:
            return "none yet: every line goes through the parser."
        engine = "the native line walker" if usual.walked else "hyperscan"
        only = (
            " Only the native line walker reads it: where sentinelle was installed without a C "
            "compiler, every line goes through the parser."
            if usual.native_only
            else ""
        )
        layouts = f" {self.layouts.about}" if self.layouts is not None else ""
        return (
            f"a usual line has {usual.about} Such lines are counted without the parser "
            f"({engine} checks them) unless they may name an AI service.{layouts}{only}"
        )

    @abstractmethod
    def new_parser(self, ctx: ParseContext) -> LineParser:
        """A parser for one file."""

    def sniff(self, line: str) -> bool:
        """Cheap test of one line (no full parse); True when the line may be of this format."""
        return True

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        """Cheap first (``sniff`` on some line), strict second (most record lines parse:
        ``min_parsed_share`` of those that give an event or are rejected).

        The lines are parsed until the answer no longer depends on the others: accepted once
        the lines parsed are enough even were all the others rejected, refused once they are
        too few even were all the others parsed (a clean head of 100 Squid lines: 50 parsed,
        not 100; a month of hourly files spent 0.85 s detecting their format)."""
        lines = [ln for ln in head if ln.strip()]
        if not lines or not any(self.sniff(ln) for ln in lines[:50]):
            return False
        parser = self.new_parser(ctx or ParseContext())
        share, parsed, rejected, left = self.min_parsed_share, 0, 0, len(lines)
        for ln in lines:
            left -= 1
            try:
                event = parser.parse(ln)
            except MalformedLine:
                rejected += 1
            except Exception:  # a parser bug must not break detection of other formats
                rejected += 1
            else:
                parsed += event is not None
            if parsed and parsed >= share * (parsed + rejected + left):
                return True  # (the worst the others can do: all rejected)
            if (1 - share) * (parsed + left) < share * rejected or parsed + left == 0:
                return False  # (the best: all parsed, none left without an event)
        return parsed > 0 and parsed >= share * (parsed + rejected)


def detect_by_shape(fmt: LogFormat, head: Sequence[str], shape: Callable[[str], object]) -> bool:
    """Detection for formats whose records may lack what the parser needs (a time, say).

    A line counts when ``shape(line)`` does not raise: the record's framing (CEF/LEEF header)
    is right even if the parser would reject the record.
    """
    lines = [ln for ln in head if ln.strip()]
    if not lines or not any(fmt.sniff(ln) for ln in lines[:50]):
        return False
    valid = 0
    for ln in lines:
        try:
            shape(ln)
        except Exception:  # any failure means: not a record of this format
            continue
        valid += 1
    return valid >= fmt.min_parsed_share * len(lines)
