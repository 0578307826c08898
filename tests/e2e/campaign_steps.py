"""The walker of the campaign browser tests (issue 14): a browser session that numbers its
steps, checks every page it reaches (axe-core and console errors, tests/e2e/accessibility.py)
and keeps a full-page screenshot of each step when TRACKER_SCREENSHOTS=1; and the mail
folder read as a person reads their inbox (the outbox flushed as the scheduler does)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.e2e.accessibility import Watched, check_page
from tracker.services.follow import outbox

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class Campaign:
    """The browser session of a campaign: it numbers the steps, checks every page it
    reaches and keeps the problems found. With `skip_missing`, a step whose page answers
    404 skips the rest of the test (pages landing one by one); otherwise a 404 fails.
    Screenshots are named docs/screenshots/<prefix>-<nn>-<step>.png: the full page, or
    the viewport only (`full_page` False) for a very long page."""

    app: Flask
    base: str
    watched: Watched
    prefix: str = "campaign"
    skip_missing: bool = True
    full_page: bool = True
    steps: int = 0
    problems: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def page(self) -> Any:
        return self.watched.page

    def visit(self, path: str, step: str) -> None:
        """Open `path`; a 404 skips the rest of the campaign (not built yet) or fails."""
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None, path
        if response.status == 404 and self.skip_missing:
            self.assert_clean()
            pytest.skip(f"campaign step {self.steps + 1} ({step}): the page {path} "
                        "is not built yet")
        assert response.status == 200, (path, response.status)

    def done(self, step: str) -> None:
        """The step is over: check the page shown, and keep its screenshot when asked."""
        self.steps += 1
        self.problems += check_page(self.watched, f"step {self.steps} ({step})")
        self.screenshot(self.page, step, full_page=self.full_page)

    def screenshot(self, page: Any, step: str, *, full_page: bool = True,
                   number: int | None = None) -> None:
        """Save `page` as step `number`'s screenshot (by default the last step done) when
        TRACKER_SCREENSHOTS=1."""
        if os.environ.get("TRACKER_SCREENSHOTS") != "1":
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        number = self.steps if number is None else number
        page.screenshot(path=str(SCREENSHOTS / f"{self.prefix}-{number:02d}-{name}.png"),
                        full_page=full_page)

    def check(self, watched: Watched, name: str) -> None:
        """Check a page of another browser (a colleague's, a respondent's) in the campaign."""
        self.problems += check_page(watched, name)

    def assert_clean(self) -> None:
        """No page reached so far had a blocking axe violation or a console error."""
        assert not self.problems, "\n".join(self.problems)

    def org_path(self, tail: str = "") -> str:
        """A path of the campaign's organization."""
        return f"/orgs/{self.ids['org']}{tail}"

    def assessment_path(self, tail: str = "") -> str:
        """A path of the campaign's assessment."""
        return self.org_path(f"/assessments/{self.ids['assessment']}{tail}")


def id_in(url: str, collection: str) -> int:
    """The id after `/collection/` in a URL."""
    found = re.search(rf"/{collection}/(\d+)", url)
    assert found is not None, (url, collection)
    return int(found.group(1))


def emails_to(app: Flask, address: str) -> list[str]:
    """The text of the emails delivered to `address`, oldest first, after flushing the
    outbox as the scheduler does."""
    outbox.deliver_pending(app.config)
    texts = []
    for path in sorted(Path(app.config["TRACKER_MAIL_DIR"]).glob("**/*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if address in str(message["To"]):
            body = message.get_body(preferencelist=("plain",))
            texts.append(body.get_content() if body is not None else "")
    return texts


def link_paths(texts: list[str], kind: str) -> list[str]:
    """The paths of the `/kind/<token>` links in the emails, in order (origin dropped: the
    server under test answers on its own port)."""
    return re.findall(rf"https?://[^\s/]+(/{kind}/[A-Za-z0-9_-]+)", "\n".join(texts))


def link_path(texts: list[str], kind: str) -> str:
    """The path of the last `/kind/<token>` link in the emails."""
    links = link_paths(texts, kind)
    assert links, f"no /{kind}/ link in the emails"
    return links[-1]


def preview_and_import(campaign: Campaign, button: str, step: str | None = None) -> int:
    """On the grid upload page, preview with `button` (the grid file's or the SAMM zip's),
    keep the preview as `step` when named, then import; the new framework's id."""
    page = campaign.page
    page.click(button)
    page.wait_for_selector("#preview")
    if step is not None:
        campaign.done(step)
    page.click("#import-confirm")
    page.wait_for_url(re.compile(r"/frameworks/\d+$"))
    return id_in(page.url, "frameworks")
