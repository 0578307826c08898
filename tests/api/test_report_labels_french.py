"""The report names pilot decisions and committees by their labels in the report's
language: a French report reads « généraliser » and « opérationnel », never the stored
codes `generalize` and `operational` (DESIGN section 9)."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.web_helpers import seed_demo
from tracker.extensions import db
from tracker.models import Assessment, Organization
from tracker.services.diagnose.report import report_html


def _cells(lang: str) -> list[str]:
    """Every table cell of the demo's report in `lang`."""
    org = db.session.get(Organization, seed_demo())
    assessment = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org.id, Assessment.title == "Initial diagnostic"))
    return re.findall(r"<td>([^<]*)</td>", report_html(org, assessment.id, lang))


def test_a_french_report_reads_decisions_and_committees_in_french(app):
    cells = _cells("fr")

    assert "généraliser" in cells  # the demo's generalized pilot
    assert {"stratégique", "opérationnel"} <= set(cells)  # two of its committees
    assert not {"generalize", "operational", "strategic", "portfolio"} & set(cells)


def test_an_english_report_keeps_the_english_words(app):
    cells = _cells("en")

    assert {"generalize", "strategic", "operational"} <= set(cells)
