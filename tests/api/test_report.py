"""The diagnostic report: every section in English and French, charts inline as PNG data
URIs, verbatims without names, anonymity of small groups, escaping, PDF and CLI."""

from __future__ import annotations

import base64
import re
import struct
from collections import Counter
from html import escape
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.builders import Scenario
from tracker.adapters import pdf
from tracker.extensions import db
from tracker.models import Assessment, Finding, Respondent

# issue 17 adds the cross self-assessment and the readiness checks
SECTIONS = {
    "en": ["Maturity scores", "Perceptions", "Cross self-assessment: consultant and client",
           "Qualitative synthesis", "Ambition", "Not yet ready", "Prioritized backlog",
           "Pilot scopes", "Trajectory"],
    "fr": ["Scores de maturité", "Perceptions", "Auto-évaluation croisée : consultant et client",
           "Synthèse qualitative", "Ambition", "Pas encore prêt", "Backlog priorisé",
           "Périmètres pilotes", "Trajectoire"],
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def demo(app) -> tuple[int, int]:
    """The demo organization and its initial diagnostic."""
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    assessment = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org_id, Assessment.title == "Initial diagnostic"))
    return org_id, assessment.id


def report_url(org_id: int, assessment_id: int, query: str = "") -> str:
    return f"/api/v1/orgs/{org_id}/assessments/{assessment_id}/report{query}"


def headings(html: str) -> list[str]:
    return re.findall(r"<h2>([^<]*)</h2>", html)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_demo_report_has_every_section_in_each_language(demo, admin, lang):
    response = admin.get(report_url(*demo, f"?lang={lang}"))
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.text
    assert headings(html) == SECTIONS[lang]
    assert f'<html lang="{lang}">' in html
    assert "script-src" not in response.headers["Content-Security-Policy"]  # no script at all
    assert html.count('class="report-section"') == len(SECTIONS[lang])


def test_the_charts_are_inline_png_images(demo, admin):
    html = admin.get(report_url(*demo)).text
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert len(sources) == 2  # radar and heatmap
    for source in sources:
        assert source.startswith("data:image/png;base64,")
        png = base64.b64decode(source.split(",", 1)[1], validate=True)
        assert png.startswith(PNG_SIGNATURE)
        width, height = struct.unpack(">II", png[16:24])  # IHDR
        assert width > 100 and height > 100


def test_verbatims_illustrate_findings_and_never_name_a_respondent(demo, admin):
    org_id, assessment_id = demo
    html = admin.get(report_url(org_id, assessment_id)).text
    finding = next(f for f in db.session.scalars(select(Finding).where(
        Finding.assessment_id == assessment_id, Finding.status != "dismissed")) if f.evidence)
    evidence = finding.evidence[0]
    assert escape(finding.title) in html
    assert escape(evidence.text) in html
    names = db.session.scalars(select(Respondent.name).where(Respondent.org_id == org_id)).all()
    assert names and not [name for name in names if escape(name) in html]


def test_a_group_below_the_minimum_size_is_not_shown(demo, admin):
    org_id, assessment_id = demo
    html = admin.get(report_url(org_id, assessment_id)).text
    table = html.split('id="perception-role"')[1].split("</table>")[0]
    sizes = Counter(db.session.scalars(select(Respondent.role).where(
        Respondent.assessment_id == assessment_id)))
    small = [role for role, n in sizes.items() if n < 3]
    large = [role for role, n in sizes.items() if n >= 3]
    assert small and large  # the demo has both (one cpo, three engineers)
    header = table.split("</thead>")[0]
    assert all(f">{role}<" in header for role in large)
    assert not [role for role in small if f">{role}<" in header]


def test_a_finding_title_is_escaped(demo, admin):
    org_id, assessment_id = demo
    title = "<img src=x onerror=alert(1)>"
    response = admin.post(f"/api/v1/orgs/{org_id}/findings",
                          json={"assessment_id": assessment_id, "kind": "gap", "title": title})
    assert response.status_code == 201, response.json
    html = admin.get(report_url(org_id, assessment_id)).text
    assert escape(title) in html
    assert title not in html


def test_an_assessment_without_closed_data_reports_sentences_not_errors(lead, admin):
    scenario = Scenario(lead, admin)
    html = lead.get(scenario.assessment_url("/report")).text
    assert headings(html) == SECTIONS["en"]
    assert ("No projection yet: The assessment “Diagnostic” is not closed yet: nothing to "
            "project from.") in html
    assert "No finding has been recorded for this assessment yet." in html
    assert "No target has been set yet." in html


def test_bad_arguments_and_unknown_assessment(demo, admin):
    org_id, assessment_id = demo
    response = admin.get(report_url(org_id, assessment_id, "?format=docx"))
    assert response.status_code == 422 and "format" in response.json["errors"]
    response = admin.get(report_url(org_id, assessment_id, "?lang=de"))
    assert response.status_code == 422 and "lang" in response.json["errors"]
    assert admin.get(report_url(org_id, 999_999)).status_code == 404


def test_pdf_without_chromium_is_a_501_problem(demo, admin, monkeypatch):
    monkeypatch.setattr(pdf, "CHROMIUM", Path("/nonexistent/chromium"))
    response = admin.get(report_url(*demo, "?format=pdf"))
    assert response.status_code == 501
    assert response.mimetype == "application/problem+json"
    assert "apt-get install chromium" in response.json["detail"]


@pytest.mark.skipif(not pdf.CHROMIUM.exists(), reason="/usr/bin/chromium is absent")
def test_pdf_is_served(demo, admin):
    response = admin.get(report_url(*demo, "?format=pdf&lang=fr"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_the_cli_writes_the_report(app, demo, tmp_path, monkeypatch):
    org_id, assessment_id = demo
    runner = app.test_cli_runner()
    target = tmp_path / "report.html"
    result = runner.invoke(args=["report", str(assessment_id), "--org", str(org_id),
                                 "--lang", "fr", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert headings(target.read_text(encoding="utf-8")) == SECTIONS["fr"]

    result = runner.invoke(args=["report", str(assessment_id), "--org", "999999",
                                 "-o", str(target)])
    assert result.exit_code == 1 and "Organization 999999 not found." in result.output

    monkeypatch.setattr(pdf, "CHROMIUM", Path("/nonexistent/chromium"))
    result = runner.invoke(args=["report", str(assessment_id), "--org", str(org_id),
                                 "--format", "pdf", "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1
    assert "PDF needs Chromium: apt-get install chromium" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r.pdf").exists()
