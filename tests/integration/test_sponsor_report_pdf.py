"""The diagnostic report printed to PDF by Chromium fits the A4 page: with team and role
names and a rationale that are single long words, the rightmost column of every wide table
(the perception tables' "Hidden groups", the decisions' rationale) is still in the PDF's
text, and no text starts beyond the page's right margin."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.web_helpers import seed_demo
from tracker.adapters import pdf
from tracker.extensions import db
from tracker.models import Assessment, Decision, Organization, Respondent
from tracker.services.diagnose import report

#: The report's right margin (`@page { margin: 16mm 14mm }`), in PDF points.
RIGHT_MARGIN_PT = 14 / 25.4 * 72
LINK = ("https://wiki.example.com/transformation/committee/decisions/2026/"
        "a-very-long-path-without-any-space-at-all")


def text_starts(data: bytes) -> tuple[str, list[tuple[float, float]]]:
    """The PDF's text without any whitespace, and (x where a text run starts, page width)."""
    reader = PdfReader(io.BytesIO(data))
    texts, starts = [], []
    for page in reader.pages:
        width = float(page.mediabox.width)

        def visit(text: str, cm: list[float], tm: list[float], *_: object,
                  width: float = width) -> None:
            if text.strip():
                starts.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4], width))
        texts.append(page.extract_text(visitor_text=visit))
    return "".join("".join(texts).split()), starts


@pytest.mark.skipif(not pdf.available(), reason="PDF needs /usr/bin/chromium")
def test_the_pdf_tables_fit_the_page_width(app):
    org_id = seed_demo()
    assessment = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org_id, Assessment.title == "Initial diagnostic"))
    teams = set()
    for respondent in db.session.scalars(select(Respondent).where(
            Respondent.assessment_id == assessment.id)):
        if respondent.team:
            respondent.team = f"{respondent.team.capitalize()}PlatformEngineeringTribe"
            teams.add(respondent.team)
        if respondent.role:
            respondent.role = f"{respondent.role.capitalize()}ResponsibleForEverything"
    for decision in db.session.scalars(select(Decision).where(Decision.org_id == org_id)):
        decision.rationale = LINK
    db.session.commit()

    data = pdf.html_to_pdf(report.report_html(db.session.get(Organization, org_id),
                                              assessment.id))
    text, starts = text_starts(data)
    assert len(teams) == 4  # 4 team columns of 30 characters: wider than A4 unbroken
    assert all(team in text for team in teams)
    assert text.count("Hiddengroups") >= 2  # the last column of both perception tables
    assert LINK in text  # the decisions' last column, wrapped, not clipped
    assert starts and all(x < width - RIGHT_MARGIN_PT for x, width in starts)
