from __future__ import annotations

from pathlib import Path

import pytest

from sentinelle.catalog import Catalog, load_catalog

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def tiny() -> Catalog:
    return load_catalog(base=DATA / "tiny.yaml")


@pytest.fixture(scope="session")
def bundled() -> Catalog:
    return load_catalog()
