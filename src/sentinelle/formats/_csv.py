"""One CSV line read as ``csv.reader`` reads it, without the reader for the common shapes."""

from __future__ import annotations

import csv

from sentinelle.errors import MalformedLine


def csv_values(line: str, skip_initial_space: bool = False) -> list[str]:
    """The values of one CSV line (default dialect); MalformedLine if the reader refuses it.

    Two shapes are split directly, as the reader would: every value quoted and free of quotes
    (``"a","b"``), and no quote at all (``a,b``, without ``skip_initial_space``).  Anything else
    (escaped quotes, blanks after commas, line breaks, NULs...) goes through ``csv.reader``.
    """
    if 1 < len(line) < csv.field_size_limit() and "\x00" not in line:
        if line[0] == '"' == line[-1]:
            values = line[1:-1].split('","')
            if line.count('"') == 2 * len(values):  # the quotes are those around the values
                return values
        elif not skip_initial_space and '"' not in line and "\r" not in line and "\n" not in line:
            return line.split(",")
    try:
        return next(csv.reader([line], skipinitialspace=skip_initial_space))
    except (csv.Error, StopIteration) as e:
        raise MalformedLine(f"unreadable CSV: {e}") from None
