"""The pages a sponsor reads, rendered server-side on the demo organization: the
organization switcher keeps the section shown, the report is served with one charset, its
backlog ranks and order are the backlog page's, and each target measure shown carries its
one definition (`TARGET_MEASURE_HELP`) on the diagnostic page, the report and the
barometer email."""

from __future__ import annotations

import re
from html import escape, unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.web_helpers import seed_demo, sign_in
from tracker.adapters.email import barometer as barometer_email
from tracker.extensions import db
from tracker.models import Assessment, Dependency, Membership, Organization, User
from tracker.services.follow import barometer_mail
from tracker.web.labels import TARGET_MEASURE_HELP

LEAD = "lead@novatechna.example"
TEMPLATES = Path(__file__).resolve().parents[2] / "tracker" / "web" / "templates"


@pytest.fixture
def demo_org(app) -> int:
    return seed_demo()


@pytest.fixture
def assessment_id(demo_org) -> int:
    return db.session.scalar(select(Assessment.id).where(
        Assessment.org_id == demo_org, Assessment.title == "Initial diagnostic"))


def second_org(role: str) -> int:
    """Another organization where the demo lead holds `role`."""
    org = Organization(name="Zeta Holding")
    db.session.add(org)
    db.session.flush()
    lead = db.session.scalar(select(User).where(User.email == LEAD))
    db.session.add(Membership(org_id=org.id, user_id=lead.id, role=role))
    db.session.commit()
    return org.id


def switcher_links(page: str) -> dict[str, str]:
    """The organization switcher's links: organization name -> path."""
    menu = page.split('<details class="switcher">', 1)[1].split("</details>", 1)[0]
    return {unescape(name): path for path, name in
            re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)}


def test_switching_organization_keeps_the_section_shown(client, demo_org):
    other = second_org("viewer")
    sign_in(client, LEAD)
    for section in ("backlog", "roadmap", "barometer", "decisions"):
        links = switcher_links(client.get(f"/orgs/{demo_org}/{section}").text)
        assert links["Zeta Holding"] == f"/orgs/{other}/{section}"
        assert links["NovaTechna"] == f"/orgs/{demo_org}/{section}"


def test_a_section_the_role_does_not_open_there_falls_back_to_the_assessments(client,
                                                                             demo_org):
    other = second_org("viewer")
    sign_in(client, LEAD)
    settings = switcher_links(client.get(f"/orgs/{demo_org}/settings").text)
    assert settings["NovaTechna"] == f"/orgs/{demo_org}/settings"  # lead there
    assert settings["Zeta Holding"] == f"/orgs/{other}/assessments"  # a viewer there
    account = switcher_links(client.get("/account").text)  # no section: the assessments
    assert account["Zeta Holding"] == f"/orgs/{other}/assessments"


@pytest.mark.parametrize("prefix", ["", "/api/v1"])
def test_the_report_has_exactly_one_charset(client, admin, demo_org, assessment_id, prefix):
    if prefix:
        response = admin.get(f"/api/v1/orgs/{demo_org}/assessments/{assessment_id}/report")
    else:
        sign_in(client, LEAD)
        response = client.get(f"/orgs/{demo_org}/assessments/{assessment_id}/report")
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == ["text/html; charset=utf-8"]


def backlog_page_rows(page: str) -> list[tuple[int, str]]:
    """(rank, title) of the backlog page's table, top to bottom."""
    return [(int(rank), unescape(title)) for rank, title in re.findall(
        r'<td class="num" data-value="(\d+)">\d+</td>\s*<td data-value="[^"]*"><a href="[^"]+">'
        r"([^<]+)</a>", page)]


def report_rows(report: str) -> list[tuple[int, str]]:
    """(rank, title) of the report's backlog table, top to bottom."""
    table = report.split('id="backlog-ranks"', 1)[1].split("</table>", 1)[0]
    return [(int(rank), unescape(title)) for rank, title in
            re.findall(r'<tr><td class="num">(\d+)</td><td class="long">([^<]+)</td>', table)]


def test_the_reports_backlog_ranks_are_the_backlog_pages(client, demo_org, assessment_id):
    dependencies = db.session.scalar(select(func.count()).select_from(Dependency).where(
        Dependency.org_id == demo_org))
    assert dependencies > 0  # the ranking honours prerequisites
    sign_in(client, LEAD)
    page = backlog_page_rows(client.get(f"/orgs/{demo_org}/backlog").text)
    report = report_rows(client.get(f"/orgs/{demo_org}/assessments/{assessment_id}/report").text)
    assert len(page) == 14  # the demo's initiatives still to do (3 of 17 are done)
    assert report == page
    assert [rank for rank, _title in report] == list(range(1, 15))


def test_each_target_measure_carries_its_one_definition(client, demo_org, assessment_id):
    percent = escape(str(TARGET_MEASURE_HELP["percent_to_target"]))
    progress = escape(str(TARGET_MEASURE_HELP["progress_to_target"]))
    sign_in(client, LEAD)
    diagnostic = client.get(f"/orgs/{demo_org}/assessments/{assessment_id}").text
    assert "Percent to target" in diagnostic and percent in diagnostic
    assert 'id="percent-to-target-help"' in diagnostic
    report = client.get(f"/orgs/{demo_org}/assessments/{assessment_id}/report").text
    assert report.count(percent) == 2  # under the header's figure and the ambition's
    content, _charts = barometer_mail.digest(db.session.get(Organization, demo_org), "2026-Q4",
                                             "http://tracker.test")
    _subject, _text, html = barometer_email.render(content, "en")
    assert "Progress to target" in html and progress in html


def test_every_chart_container_is_a_named_figure_never_an_image():
    containers = [(path.name, tag) for path in TEMPLATES.rglob("*.html")
                  for tag in re.findall(r"<div[^>]*data-figure=[^>]*>", path.read_text())]
    assert len(containers) >= 6  # diagnostic ×2, barometer, backlog, dependencies, roadmap
    for name, tag in containers:
        assert 'role="figure"' in tag, (name, tag)  # Plotly's mode bar is buttons
        assert "aria-label=" in tag or "aria-labelledby=" in tag, (name, tag)
