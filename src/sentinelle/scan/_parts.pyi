"""Types of the enrichment by parts in C (``_parts.c``; see ``fast._NativeScanner._grouped``)."""

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from typing_extensions import Buffer

_Cache = dict[Any, Any]

def group(
    block: Buffer,
    rows: Buffer | npt.NDArray[np.int64],
    spec: tuple[int, int, int, int, int, int, int, int, int, int],
    caches: tuple[_Cache, _Cache, _Cache, _Cache, _Cache, _Cache],
    records: tuple[bytearray, tuple[dict[int, int], ...], tuple[list[Any], ...]],
    discovered: dict[Any, int],
    local: Callable[[int], Any],
    local_hour: Callable[[int], Any],
    settle: Callable[[int, int, int], bool] | None,
    base: int,
    /,
) -> tuple[list[int], int, int, int, int, int, int]:
    """(indices of the rows left to the Python loop, hits, unattributed, DNS, no host, shared,
    excluded)."""
