"""HTML to PDF with Debian's headless Chromium (no downloaded browser, no network)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tracker.domain.errors import TrackerError

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--no-pdf-header-footer")
TIMEOUT_SECONDS = 90


class PdfUnavailable(TrackerError):
    """This machine cannot produce PDF (Chromium is missing or failed)."""

    status = 501
    title = "Not implemented"


def available() -> bool:
    """Whether Chromium is installed where the report expects it."""
    return CHROMIUM.exists()


def require() -> None:
    """Raise `PdfUnavailable` with the install hint where Chromium is missing."""
    if not available():
        raise PdfUnavailable("PDF needs Chromium: apt-get install chromium "
                             "(the HTML report works without it).")


def html_to_pdf(html: str) -> bytes:
    """Print `html` (a standalone page: images inline) to PDF with headless Chromium."""
    require()
    with tempfile.TemporaryDirectory(prefix="tracker-report-") as tmp:
        source, target = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        source.write_text(html, encoding="utf-8")
        command = [str(CHROMIUM), *ARGS, f"--user-data-dir={tmp}/profile",
                   f"--print-to-pdf={target}", source.as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable(f"Chromium could not print the report: {error}.") from error
        if not target.exists() or target.stat().st_size == 0:
            raise PdfUnavailable("Chromium could not print the report.")
        return target.read_bytes()
