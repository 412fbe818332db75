"""Privacy by design: pseudonymization, small-cell suppression, retention, the DPO pack.

See ``docs/privacy.md``.  ``pseudonymize`` (HMAC-SHA-256 under the establishment's secret),
``suppress`` (k threshold and complementary suppression of shared tables), ``retention`` (purge
to monthly aggregates, settings), ``notice`` (staff notice and register entry), ``reidentify``
(audited re-identification against candidate identities).
"""

from sentinelle.privacy.pseudonymize import Pseudonymizer, load_or_create_secret
from sentinelle.privacy.retention import retention_warning
from sentinelle.privacy.suppress import DEFAULT_K, SharedTable, protect, shared_metrics

__all__ = [
    "DEFAULT_K",
    "Pseudonymizer",
    "SharedTable",
    "load_or_create_secret",
    "protect",
    "retention_warning",
    "shared_metrics",
]
