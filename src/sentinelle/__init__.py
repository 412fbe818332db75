"""sentinelle — on-premises observatory of generative-AI use in hospitals."""

from __future__ import annotations

import os

# NumPy's OpenBLAS starts a thread per core that spins for a while after import, taking CPU
# from the scan's workers; sentinelle's linear algebra is small (survey weighting).  Set
# before NumPy is imported; a value set by the user is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

__all__ = ["__version__"]
