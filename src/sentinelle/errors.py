"""Errors raised by sentinelle's library code.

Every error the library raises on purpose derives from :class:`SentinelleError`; the CLI turns
each one into a message (what went wrong, where, what to do) and a documented exit code::

    SentinelleError                 exit 1   base class
    ├── ConfigError                 exit 2   bad option value, settings file, mapping file
    ├── InputError                  exit 3   an input cannot be read or its format recognized
    │   ├── UnreadableInputError             missing file, permission, corrupt compression
    │   └── UnrecognizedFormatError          no format's detect() accepted the first lines
    ├── CatalogError                exit 4   the AI-service catalog or a policy file is invalid
    ├── InventoryError              exit 5   the inventory / an attribution source is invalid
    ├── StoreError                  exit 6   the DuckDB store is missing, locked or inconsistent
    ├── PrivacyError                exit 7   a privacy rule would be broken (secret, small cells)
    └── SurveyError                 exit 8   questionnaire, responses, margins or estimation problem
        └── ConvergenceError                 raking did not converge (names the margin)

A malformed *line* is not an error: parsers raise :class:`MalformedLine`, which the scan counts as
``rejected`` and reports with file and line number.  ``KeyboardInterrupt`` maps to exit 130.
"""

from __future__ import annotations


class SentinelleError(Exception):
    """Base class; ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  → {self.hint}"


class ConfigError(SentinelleError):
    exit_code = 2


class InputError(SentinelleError):
    exit_code = 3


class UnreadableInputError(InputError):
    pass


class UnrecognizedFormatError(InputError):
    pass


class CatalogError(SentinelleError):
    exit_code = 4


class InventoryError(SentinelleError):
    exit_code = 5


class StoreError(SentinelleError):
    exit_code = 6


class PrivacyError(SentinelleError):
    exit_code = 7


class SurveyError(SentinelleError):
    exit_code = 8


class ConvergenceError(SurveyError):
    pass


class MalformedLine(ValueError):
    """Raised by a format parser for a line it cannot read; ``reason`` is shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
