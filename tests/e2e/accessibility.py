"""The accessibility check of the browser tests: axe-core, from its npm package, run on the
page as it is shown, and the console errors the page logged.

axe-core is evaluated through the DevTools protocol (`page.evaluate`), which the page's
Content-Security-Policy does not govern: the page keeps its real policy (`script-src 'self'`,
or `default-src 'none'` for the report), so a CSP violation still shows as a console error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@cache
def axe_source() -> str:
    """The text of axe.min.js; fails (with the command that installs it) when absent."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci installs axe-core)")
    return AXE.read_text(encoding="utf-8")


@dataclass
class Watched:
    """A page whose console errors and uncaught exceptions are kept, in order."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def _console(self, message: Any) -> None:
        """Keep an error message, except the browser's note that the page itself answered
        4xx: a form shown again with its errors (422) or an error page is meant."""
        if message.type != "error":
            return
        own_status = (message.text.startswith("Failed to load resource")
                      and message.location.get("url") == self.page.url)
        if not own_status:
            self.errors.append(f"console: {message.text}")


def blocking_violations(page: Any) -> list[dict[str, Any]]:
    """The axe-core violations of impact serious or critical on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate("""async () => {
        const run = await window.axe.run(document, {resultTypes: ['violations']});
        return run.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return [violation for violation in result if violation["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation: rule id, impact, what it asks, and the nodes it found."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} -> {', '.join(v['nodes'][:8])}"
                     for v in violations)


def check_page(watched: Watched, name: str) -> list[str]:
    """The problems of the page shown in `watched` (named `name` in the messages): its
    serious or critical axe violations and the console errors logged since the last check.
    The errors are consumed, so each page answers for its own."""
    watched.page.wait_for_load_state("networkidle")
    problems = [f"{name}: {line}" for line in describe(
        blocking_violations(watched.page)).splitlines()]
    problems += [f"{name}: {error}" for error in watched.errors]
    watched.errors.clear()
    return problems


def assert_accessible(watched: Watched, name: str) -> None:
    """Fail when the page has a serious or critical axe violation or logged a console error."""
    problems = check_page(watched, name)
    assert not problems, "\n".join(problems)
