"""sentinelle — on-premises observatory of generative-AI use in hospitals."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
