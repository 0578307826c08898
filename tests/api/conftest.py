"""Fixtures shared by the API tests: Acme (made by the lead) and the roadmap's textbook
network in it. A module defining a fixture of the same name uses its own."""

from __future__ import annotations

import pytest

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network


@pytest.fixture
def org(lead) -> int:
    """The id of Acme, created by the lead (who is its lead)."""
    return lead.post("/api/v1/orgs", json={"name": "Acme"}).json["id"]


@pytest.fixture
def ids(org) -> dict[str, int]:
    """The textbook network in Acme: initiative id by name."""
    return add_network(org, TEXTBOOK, TEXTBOOK_EDGES)
