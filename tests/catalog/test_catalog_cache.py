"""The bundled catalog's YAML is cached between runs: never stale, never trusted blindly."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from sentinelle.catalog import loader

TEXT = loader.read_data_text(loader.BUNDLED)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    loader._bundled.cache_clear()
    yield tmp_path / "cache" / "sentinelle" / "catalog.pickle"
    loader._bundled.cache_clear()  # the next user reads the real bundled file again


def _bundled_with(monkeypatch: pytest.MonkeyPatch, text: str) -> loader.CatalogFile:
    monkeypatch.setattr(loader, "read_data_text", lambda name: text)
    loader._bundled.cache_clear()
    return loader._bundled()


def test_cached_catalog_is_the_parsed_one(cache_home: Path) -> None:
    parsed = loader.parse_text(TEXT, str(loader.bundled_path()))
    first = loader._bundled()
    assert cache_home.is_file() and first == parsed
    loader._bundled.cache_clear()
    assert loader._bundled() == parsed  # from the cache now
    assert not list(cache_home.parent.glob("*.tmp"))


def test_a_changed_catalog_is_not_served_stale(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader._bundled()
    changed = TEXT.replace("name: ChatGPT\n", "name: ChatGPT (changed)\n", 1)
    assert changed != TEXT
    names = {s.id: s.name for s in _bundled_with(monkeypatch, changed).services}
    assert names["chatgpt"] == "ChatGPT (changed)"
    names = {s.id: s.name for s in _bundled_with(monkeypatch, TEXT).services}
    assert names["chatgpt"] == "ChatGPT"


class _Planted:
    """What someone able to write the cache could plant: a pickle that runs a command."""

    def __init__(self, witness: Path) -> None:
        self.witness = witness

    def __reduce__(self) -> tuple[object, ...]:
        return os.system, (f"touch {self.witness}",)


def test_a_damaged_cache_is_ignored_and_replaced(cache_home: Path, tmp_path: Path) -> None:
    expected = loader._bundled()
    key = cache_home.read_bytes().split(b"\n", 1)[0]
    planted = key + b"\n" + pickle.dumps({"services": [_Planted(tmp_path / "ran")]})
    for damaged in (b"", key + b"\n\x80\x05garbage", key + b"\n", planted):
        cache_home.write_bytes(damaged)
        loader._bundled.cache_clear()
        assert loader._bundled() == expected
        assert cache_home.read_bytes() != damaged
    assert not (tmp_path / "ran").exists()


def test_an_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "not-a-dir").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-dir"))
    loader._bundled.cache_clear()
    try:
        assert loader._bundled() == loader.parse_text(TEXT, str(loader.bundled_path()))
    finally:
        loader._bundled.cache_clear()
