"""Generate ``docs/formats.md`` from the format modules: ``python -m sentinelle.formats._docs``."""

from __future__ import annotations

import sys

from sentinelle.formats import all_formats

HEADER = """# Log formats

Generated from the format modules by `python -m sentinelle.formats._docs > docs/formats.md`
(a test fails when this file is out of date). `sentinelle formats` prints the same list.

Every format is detected automatically (`--format auto`, per file, from its first lines) and
parsed into the normalized event described in [schema.md](schema.md).
"""


def render() -> str:
    parts = [HEADER]
    for f in all_formats().values():
        parts.append(f"\n## `{f.name}` ({f.kind})\n\n{f.description}\n")
        parts.append(f"\n- **Host comes from:** {f.host_field} — evidence: `{f.host_evidence}`")
        if f.vendor_setup:
            parts.append(f"\n- **Enable on the device:** {f.vendor_setup}")
        if f.fields_used:
            parts.append(f"\n- **Fields used:** {f.fields_used}")
        if f.limits:
            parts.append(f"\n- **Cannot see:** {f.limits}")
        for o in f.options:
            values = f" ({'|'.join(o.choices)})" if o.choices else " (a file)" if o.path else ""
            parts.append(f"\n- **Option** `--format-option {o.name}=…`{values}: {o.help}.")
        parts.append(f"\n- **Scan's fast path:** {f.fast_path}")
        parts.append(f"\n- **Example:**\n\n  ```\n  {f.example}\n  ```\n")
    return "".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render())
