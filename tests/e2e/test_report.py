"""The diagnostic report in a real browser: every image loads, and its PDF has a page per
section at least (CSS page breaks before each section)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.e2e.browser import ARTIFACTS, signed_in_page
from tracker.adapters import pdf
from tracker.extensions import db
from tracker.models import Assessment

SECTIONS = ["Maturity scores", "Perceptions", "Cross self-assessment: consultant and client",
            "Qualitative synthesis", "Ambition", "Not yet ready", "Prioritized backlog",
            "Pilot scopes", "Trajectory"]


def seed(app) -> tuple[int, int]:
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    assessment = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org_id, Assessment.title == "Initial diagnostic"))
    return org_id, assessment.id


@pytest.mark.e2e
def test_the_report_opens_in_a_browser_without_broken_images(app, live_server, chromium):
    org_id, assessment_id = seed(app)
    page = signed_in_page(chromium, live_server, viewport={"width": 1100, "height": 1400})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)

    response = page.goto(f"{live_server}/orgs/{org_id}/assessments/{assessment_id}/report")
    assert response is not None and response.status == 200
    assert page.locator("h2").all_inner_texts() == SECTIONS
    widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
    assert len(widths) == 2 and all(width > 0 for width in widths)
    assert errors == []  # no CSP violation
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)

    french = page.goto(f"{live_server}/orgs/{org_id}/assessments/{assessment_id}/report?lang=fr")
    assert french is not None and french.status == 200
    assert page.locator("h2").first.inner_text() == "Scores de maturité"


@pytest.mark.e2e
@pytest.mark.skipif(not pdf.CHROMIUM.exists(), reason="/usr/bin/chromium is absent")
def test_the_pdf_report_has_a_page_per_section(app, live_server, chromium):
    pypdf = pytest.importorskip("pypdf")
    org_id, assessment_id = seed(app)
    page = signed_in_page(chromium, live_server, viewport={"width": 1100, "height": 1400})

    response = page.request.get(
        f"{live_server}/orgs/{org_id}/assessments/{assessment_id}/report?format=pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    texts = [p.extract_text() for p in reader.pages]
    assert len(texts) >= len(SECTIONS) + 1  # a title page, then a page per section at least
    starts = [next(k for k, text in enumerate(texts) if text.lstrip().startswith(title))
              for title in SECTIONS]
    assert starts == sorted(set(starts)) and starts[0] >= 1  # each section on its own page
    assert sum(len(page.images) for page in reader.pages) >= 2  # radar and heatmap printed
