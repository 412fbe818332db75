"""Small HTML checks for the report tests: balanced tags, external references, snapshots."""

from __future__ import annotations

import difflib
import os
import re
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("SENTINELLE_UPDATE_SNAPSHOTS") == "1"


class TagChecker(HTMLParser):
    """Records unbalanced tags, references to anything outside the file, and element ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.problems: list[str] = []
        self.references: list[str] = []
        self.ids: list[str] = []
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            external = value and not value.startswith("#")
            if (
                name in {"src", "href", "xlink:href", "action", "poster", "data", "srcset"}
                and external
            ):
                self.references.append(f"<{tag} {name}={value!r}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            opened = self.stack[-1] if self.stack else None
            self.problems.append(f"</{tag}> at {self.getpos()} closes {opened}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "style" and re.search(r"url\(|@import", data):
            self.references.append("a url()/@import in <style>")


def check_html(html: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    for tag, pos in checker.stack:
        checker.problems.append(f"<{tag}> opened at {pos} is never closed")
    return checker


def normalize(html: str) -> str:
    """Blank the parts that change between runs: generation time, versions."""
    html = re.sub(r'(<li class="generated">)[^<]*', r"\1GENERATED", html)
    html = re.sub(r'(<li class="sentinelle-version">)[^<]*', r"\1VERSION", html)
    html = re.sub(r'(<li class="catalog-version">)[^<]*', r"\1CATALOG", html)
    return re.sub(r'(<meta name="generator" content=")[^"]*', r"\1VERSION", html)


def assert_snapshot(name: str, html: str) -> None:
    """Compare with ``snapshots/<name>``; SENTINELLE_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    text = normalize(html)
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            raise AssertionError(f"{path} did not exist and was written: check it and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), text.splitlines(), str(path), "rendered", lineterm="", n=2
        )
        shown = "\n".join(list(diff)[:80])
        raise AssertionError(
            f"the report differs from {path}:\n{shown}\n"
            "If the change is intended: SENTINELLE_UPDATE_SNAPSHOTS=1 pytest tests/report"
        )
