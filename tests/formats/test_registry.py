"""The registry lists every format in detection order, so that detection may import lazily."""

from __future__ import annotations

import json
import subprocess
import sys

from sentinelle.errors import UnrecognizedFormatError
from sentinelle.formats import _REGISTRY, all_formats, detect_format, get_format


def test_registry_is_in_detection_order_and_names_each_module() -> None:
    formats = all_formats()
    assert list(_REGISTRY) == list(formats)  # by priority, then name
    for name, module in _REGISTRY.items():
        assert type(formats[name]).__module__ == f"sentinelle.formats.{module}"
        assert get_format(name) is formats[name]


_DETECT = """
import json, sys
from sentinelle.errors import UnrecognizedFormatError
from sentinelle.formats import detect_format

def detect(lines):
    try:
        return detect_format(lines, path="x").name
    except UnrecognizedFormatError:
        return None

print(json.dumps([detect(lines) for lines in json.load(sys.stdin)]))
"""


def _detect(lines: list[str]) -> str | None:
    try:
        return detect_format(lines, path="x").name
    except UnrecognizedFormatError:
        return None


def test_lazy_detection_finds_what_full_detection_finds() -> None:
    """In a fresh process, detection imports only the formats it tries, in registry order."""
    samples = [[f.example] * 3 for f in all_formats().values()]
    samples += [[f.example] for f in all_formats().values()] + [["hello"], []]
    fresh = subprocess.run(
        [sys.executable, "-c", _DETECT],
        input=json.dumps(samples),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(fresh.stdout) == [_detect(lines) for lines in samples]


def test_detecting_squid_imports_only_the_formats_tried_before() -> None:
    code = (
        "import sys\n"
        "from sentinelle.formats import detect_format, get_format\n"
        "lines = [get_format('squid').example] * 3\n"
        "assert detect_format(lines, path='x').name == 'squid'\n"
        "print(sorted(m for m in sys.modules if m.startswith('sentinelle.formats.')"
        " and not m.split('.')[-1].startswith('_') and m != 'sentinelle.formats.base'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(["sentinelle.formats.cisco_wsa", "sentinelle.formats.squid"])
