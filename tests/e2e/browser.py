"""Helpers of the browser tests: a page signed in as the demo lead, console errors kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker.seeding import demo

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def sign_in(page: Any, base: str, email: str = "lead@novatechna.example",
            password: str = demo.DEMO_PASSWORD) -> None:
    """Sign `page` in, by default as the demo organization's lead."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Your organizations")


def signed_in_page(chromium: Any, base: str, errors: list[str] | None = None,
                   viewport: dict[str, int] | None = None) -> Any:
    """A new page signed in as the demo lead; console and page errors go to `errors`."""
    page = chromium.new_page(viewport=viewport or {"width": 1280, "height": 900})
    if errors is not None:
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base)
    return page
