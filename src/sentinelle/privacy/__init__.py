"""Privacy by design: pseudonymization of identities (and, later, small-cell suppression, retention)."""

from sentinelle.privacy.pseudonymize import Pseudonymizer, load_or_create_secret

__all__ = ["Pseudonymizer", "load_or_create_secret"]
