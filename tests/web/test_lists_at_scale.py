"""Issue 20: the lists that grow with an organization (respondents, findings, audit trail,
KPIs, objectives, the outbox) show one page at a time: the same rows, the same SQL
statements and about the same bytes at 120 and at 260 items, with the links to the next
page and the whole count; the respondents list also finds people by part of their name,
email, team or role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.statements import warm_get
from tracker.extensions import db
from tracker.models import (
    Assessment,
    AuditEvent,
    Axis,
    Dimension,
    Finding,
    Framework,
    Initiative,
    Kpi,
    Objective,
    OutboxMessage,
    Rating,
    Respondent,
)
from tracker.seeding import frameworks as seeds
from tracker.services.tenancy import accounts, organizations

PASSWORD = "correct horse battery"


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
SMALL, LARGE = 120, 260


@dataclass(frozen=True)
class Org:
    id: int
    assessment: int
    email: str


def build(name: str, count: int) -> Org:
    """An organization with `count` respondents (the first ten rated on every dimension),
    findings, audit events, KPIs, objectives and sent emails."""
    seeds.seed_frameworks()
    framework = db.session.scalars(select(Framework).where(Framework.code == "pom-grid")
                                   .order_by(Framework.version.desc())).first()
    assert framework is not None
    dimensions = list(db.session.scalars(select(Dimension.id).join(Axis)
                                         .where(Axis.framework_id == framework.id)))
    email = f"lead-{name}@example.org"
    lead = accounts.create_user(email, PASSWORD)
    org = organizations.create_organization(lead, {"name": name})
    now = datetime.now(UTC)
    assessment = Assessment(org_id=org.id, framework_id=framework.id, title="Pulse",
                            status="open", opened_at=now)
    initiative = Initiative(org_id=org.id, title="Platform")
    db.session.add_all([assessment, initiative])
    db.session.flush()
    people = [Respondent(org_id=org.id, assessment_id=assessment.id, name=f"Resp-{k:04d}",
                         email=f"resp{k:04d}@{name.lower()}.example.org", role="engineer",
                         team=("blue", "green")[k % 2], source="survey",
                         survey_token=f"{name}-{k}") for k in range(count)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(Rating(org_id=org.id, assessment_id=assessment.id,
                              respondent_id=person.id, dimension_id=dimension, value=3.0)
                       for person in people[:10] for dimension in dimensions)
    for k in range(count):
        db.session.add_all([
            Finding(org_id=org.id, assessment_id=assessment.id, kind="gap",
                    title=f"Finding-{k:04d}"),
            Kpi(org_id=org.id, name=f"Kpi-{k:04d}", direction="higher_is_better", target=1),
            Objective(org_id=org.id, title=f"Objective-{k:04d}", horizon=date(2027, 6, 30)),
            AuditEvent(org_id=org.id, entity="initiative", entity_id=initiative.id,
                       initiative_id=initiative.id, action="update",
                       changes={"title": [f"Old-{k:04d}", f"New-{k:04d}"]}, user_id=lead.id),
            OutboxMessage(org_id=org.id, dedupe_key=f"{name}-mail-{k}",
                          recipient=f"resp{k:04d}@{name.lower()}.example.org",
                          subject=f"Survey-{k:04d}", text="Your link", status="sent",
                          sent_at=now)])
    db.session.commit()
    return Org(org.id, assessment.id, email)


def lists(org: Org) -> dict[str, str]:
    """The list pages that grow, by name."""
    page = f"/orgs/{org.id}"
    return {"respondents": f"{page}/assessments/{org.assessment}/respondents",
            "findings": f"{page}/findings", "audit": f"{page}/audit",
            "KPIs": f"{page}/kpis", "objectives": f"{page}/objectives",
            "outbox": f"{page}/schedules"}


@dataclass(frozen=True)
class Seen:
    statements: int
    rows: int
    size: int
    html: str


def fetch(client: FlaskClient, url: str) -> Seen:
    """One warm GET: its statements, table rows and bytes."""
    response, statements = warm_get(client, url)
    return Seen(statements, response.text.count("<tr"), len(response.data), response.text)


def test_the_growing_lists_show_a_page_at_both_sizes(app: Flask, client: FlaskClient) -> None:
    small, large = build("Small", SMALL), build("Large", LARGE)
    sign_in(client, small.email)
    at_small = {name: fetch(client, url) for name, url in lists(small).items()}
    other = app.test_client()
    sign_in(other, large.email)
    at_large = {name: fetch(other, url) for name, url in lists(large).items()}
    differs = {name: (at_small[name].statements, at_large[name].statements,
                      at_small[name].rows, at_large[name].rows) for name in at_small
               if (at_small[name].statements, at_small[name].rows)
               != (at_large[name].statements, at_large[name].rows)}
    assert not differs, f"statements and rows at {SMALL} / {LARGE}: {differs}"
    for name, seen in at_large.items():
        assert seen.rows <= 105, (name, seen.rows)  # a page (100 at most) and its headers
        assert seen.size < 300_000, (name, seen.size)
        assert seen.size < 1.2 * at_small[name].size, (name, at_small[name].size, seen.size)


def test_the_respondents_list_pages_and_counts_the_whole(app: Flask,
                                                         client: FlaskClient) -> None:
    org = build("Large", LARGE)
    sign_in(client, org.email)
    url = lists(org)["respondents"]
    first = client.get(url).text
    assert "260 respondents" in first
    assert "Resp-0000" in first and "Resp-0049" in first and "Resp-0050" not in first
    assert "Page 1 of 6" in first
    assert re.search(r'href="[^"]*respondents\?page=2"[^>]*rel="next"', first)
    last = client.get(f"{url}?page=6").text
    assert "Resp-0250" in last and "Resp-0259" in last and "Resp-0249" not in last
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_the_respondents_list_finds_by_name_email_team_or_role(app: Flask,
                                                               client: FlaskClient) -> None:
    org = build("Large", LARGE)
    sign_in(client, org.email)
    url = lists(org)["respondents"]
    one = client.get(f"{url}?q=resp-0123").text
    assert "1 respondent matches" in one and "Resp-0123" in one and "Resp-0122" not in one
    by_email = client.get(f"{url}?q=RESP0200@large").text
    assert "1 respondent matches" in by_email and "Resp-0200" in by_email
    blue = client.get(f"{url}?q=blue").text  # the even ones: 130, three pages
    assert "130 respondents match" in blue and "Page 1 of 3" in blue
    assert "Resp-0000" in blue and "Resp-0001" not in blue
    assert re.search(r'href="[^"]*page=2&amp;q=blue"', blue) or re.search(
        r'href="[^"]*q=blue&amp;page=2"', blue)
    none = client.get(f"{url}?q=nobody%25here").text  # a % is searched as itself
    assert "No respondent matches “nobody%here”" in none
    assert 'id="respondent-search-clear"' in none
    assert "0 respondents match" in none


def test_the_outbox_pages_its_emails_newest_first(app: Flask, client: FlaskClient) -> None:
    org = build("Large", LARGE)
    sign_in(client, org.email)
    url = lists(org)["outbox"]
    first = client.get(url).text
    assert "260 emails" in first and "Page 1 of 6" in first
    assert "Survey-0259" in first and "Survey-0210" in first and "Survey-0209" not in first
    assert re.search(r'href="[^"]*emails_page=2#emails-title"[^>]*rel="next"', first)
    last = client.get(f"{url}?emails_page=6").text
    assert "Survey-0009" in last and "Survey-0000" in last and "Survey-0010" not in last
    sent = client.get(f"{url}?status=sent&emails_page=2").text  # the filter is kept
    assert "Page 2 of 6" in sent and "status=sent" in sent.split('rel="prev"')[0][-200:]
    assert "0 emails" not in client.get(f"{url}?status=failed").text  # the empty state
    assert "No email." in client.get(f"{url}?status=failed").text
