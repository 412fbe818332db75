"""The command line pauses and freezes the garbage collector around its imports, then undoes it."""

from __future__ import annotations

import gc

from click.testing import CliRunner

from sentinelle.cli import main


def test_a_command_leaves_the_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    result = CliRunner().invoke(main, ["formats", "--json"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_failing_command_too() -> None:
    result = CliRunner().invoke(main, ["export", "--by", "nothing", "--store", "/nonexistent"])
    assert result.exit_code == 2, result.output
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        assert CliRunner().invoke(main, ["formats", "--json"]).exit_code == 0
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
