"""Privacy tests reuse the simulated DHCP hospital of the inventory tests."""

from tests.inventory.conftest import dhcp_hospital  # noqa: F401
