"""Detection picks the right format on tricky inputs: headers, truncated and mixed samples."""

from __future__ import annotations

import pytest

from sentinelle.errors import UnrecognizedFormatError
from sentinelle.formats import all_formats, detect_format

WSA_W3C_HEADER = [
    "#Software: AsyncOS for Web 15.0",
    "#Version: 1.0",
    "#Date: 2026/08/01 00:00:00",
    "#Fields: timestamp x-elapsed-time c-ip x-resultcode-httpstatus sc-bytes cs-method cs-url "
    "cs-username x-hierarchy-origin cs-mime-type x-acltag",
]
WSA_W3C_LINE = (
    "1785536580.123 412 10.20.3.14 TCP_MISS/200 5321 GET http://chatgpt.com/ - "
    "DIRECT/chatgpt.com text/html DEFAULT_CASE_12-DefaultGroup-x-NONE-NONE-DefaultGroup-NONE"
)


def test_w3c_file_whose_fields_look_like_squid_is_w3c() -> None:
    # The WSA's default W3C field list reads like Squid native once the header is past.
    assert detect_format(WSA_W3C_HEADER + [WSA_W3C_LINE] * 100, path="x").name == "w3c"


# formats recognized only with their header line (ELFF, CSV) or a mapping file
NEEDS_HEADER = ("mapped", "w3c", "bluecoat", "netskope", "forcepoint")
ALONE = [f for f in all_formats().values() if f.name not in NEEDS_HEADER]


@pytest.mark.parametrize("fmt", ALONE, ids=lambda f: f.name)
def test_each_example_line_is_detected_as_its_format(fmt) -> None:  # type: ignore[no-untyped-def]
    assert detect_format([fmt.example] * 3, path="x").name == fmt.name


def test_garbage_is_not_recognized_and_names_candidates() -> None:
    with pytest.raises(UnrecognizedFormatError) as err:
        detect_format(["hello world", "this is not a log"], path="notes.txt")
    assert "notes.txt" in str(err.value) and "hello world" in str(err.value)


def _sample_files(root):  # type: ignore[no-untyped-def]
    skip = ("expected", "SOURCES", "legend", ".md")
    return sorted(p for p in root.rglob("*") if p.is_file() and not any(s in p.name for s in skip))


def test_detection_survives_truncated_samples(shared_samples) -> None:  # type: ignore[no-untyped-def]
    """Each sample file's format is still detected from its first lines with the last one cut."""
    from sentinelle.errors import UnrecognizedFormatError

    checked = 0
    for path in _sample_files(shared_samples):
        head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:100]
        try:
            full = detect_format(head, path=str(path)).name
        except UnrecognizedFormatError:
            continue  # files no format claims are covered by the per-family sample tests
        cut = [*head[:-1], head[-1][: len(head[-1]) // 2]] if len(head) > 3 else head
        assert detect_format(cut, path=str(path)).name == full, path
        checked += 1
    assert checked >= 20
