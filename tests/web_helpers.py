"""Helpers of the server-side page tests: the demo organization and signing in."""

from __future__ import annotations

from typing import Any

from tracker.seeding import demo
from tracker.seeding import frameworks as seeds

XSS = "<img src=x onerror=alert(1)>"


def seed_demo() -> int:
    """Load the built-in frameworks and the demo organization; its id."""
    seeds.seed_frameworks()
    return demo.load_demo().org_id


def sign_in(client: Any, email: str) -> None:
    """Sign the test client in with a demo user's email."""
    response = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, response.text
