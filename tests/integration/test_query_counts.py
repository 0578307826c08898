"""Issue 20: every read and page sends the same number of SQL statements whatever the
organization's size.

The same organization is built at two sizes (20 and 60 initiatives, three dependencies per
initiative, some done, dropped and archived, uplifts, rater inputs, a scorecard, a pilot;
5 and 15 respondents on the latest of 2 and 4 closed assessments; findings, decisions,
KPIs, objectives, audit events, 5 and 15 of each), then each read of `bench/scale.py`'s list
and the other list pages is fetched once per organization while a `before_cursor_execute`
listener counts the statements. A count that grows with the size is an N+1 (or a list
rendered whole) and fails the test, naming every read that differs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.statements import warm_get
from tracker.extensions import db
from tracker.models import (
    Assessment,
    AuditEvent,
    Axis,
    Committee,
    CriterionScore,
    Decision,
    Dependency,
    Dimension,
    Finding,
    Framework,
    Initiative,
    Kpi,
    Measurement,
    Objective,
    Pilot,
    RaterInput,
    Rating,
    Respondent,
    ScorecardCriterion,
    Uplift,
)
from tracker.seeding import frameworks as seeds
from tracker.services.tenancy import accounts, organizations

PASSWORD = "correct horse battery"
START = date(2027, 1, 4)


@dataclass(frozen=True)
class Built:
    """What the reads of one built organization need."""

    org_id: int
    latest: int
    initiative: int
    respondent: int
    token: str
    email: str


def _dag(count: int, rng: random.Random) -> list[tuple[int, int]]:
    """3 × `count` distinct pairs (a, b), a < b: acyclic."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 3 * count:
        a, b = rng.sample(range(count), 2)
        pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def build(name: str, initiatives: int, respondents: int, assessments: int) -> Built:
    """One organization of the given size, its lead signed up with a token."""
    rng = random.Random(20)
    seeds.seed_frameworks()
    framework = db.session.scalars(select(Framework).where(Framework.code == "pom-grid")
                                   .order_by(Framework.version.desc())).first()
    assert framework is not None
    dimensions = list(db.session.scalars(
        select(Dimension).join(Axis).where(Axis.framework_id == framework.id)
        .order_by(Dimension.id)))
    email = f"lead-{name}@example.org"
    lead = accounts.create_user(email, PASSWORD)
    _, token = accounts.create_token(lead)
    org = organizations.create_organization(lead, {"name": name})
    now = datetime.now(UTC)
    items = [Initiative(
        org_id=org.id, title=f"Initiative {k}", status=("done" if k % 10 == 1 else
                                                        "dropped" if k % 10 == 2 else
                                                        "approved" if k % 2 else "proposed"),
        duration_weeks=float(rng.choice((1, 2, 4, 6))), load=1.0,
        business_value=rng.randint(1, 20), time_criticality=rng.randint(1, 20),
        risk_reduction=rng.randint(1, 20), job_size=rng.randint(1, 13),
        actual_start=START - timedelta(weeks=8) if k % 10 == 1 else None,
        actual_end=START - timedelta(weeks=2) if k % 10 == 1 else None,
        archived_at=now if k % 10 == 3 else None) for k in range(initiatives)]
    db.session.add_all(items)
    db.session.flush()
    db.session.add_all(Dependency(org_id=org.id, prerequisite_id=items[a].id,
                                  dependent_id=items[b].id) for a, b in _dag(initiatives, rng))
    criterion = ScorecardCriterion(org_id=org.id, code="fit", name="Fit", kind="benefit")
    db.session.add(criterion)
    db.session.flush()
    for k, item in enumerate(items):
        if k % 3 == 0:
            db.session.add(Uplift(initiative_id=item.id, dimension_id=dimensions[k % 32].id,
                                  expected=0.5))
            db.session.add(RaterInput(initiative_id=item.id, rater="Bob", business_value=5,
                                      time_criticality=3, risk_reduction=2, job_size=3))
            db.session.add(CriterionScore(initiative_id=item.id, criterion_id=criterion.id,
                                          score=3))
    db.session.add(Pilot(org_id=org.id, initiative_id=items[0].id, teams=["team-a"],
                         hypothesis="faster", status="running"))
    latest, respondent = 0, 0
    for k in range(assessments):
        closed = now - timedelta(days=30 * (assessments - k))
        assessment = Assessment(org_id=org.id, framework_id=framework.id,
                                title=f"Assessment {k}", kind="pulse", status="closed",
                                opened_at=closed - timedelta(days=14), closed_at=closed)
        db.session.add(assessment)
        db.session.flush()
        people = [Respondent(org_id=org.id, assessment_id=assessment.id, name=f"R{i}",
                             role="engineer", team=f"team-{i % 3}",
                             level=("leader", "manager", "team")[i % 3],
                             source=("interview", "survey")[i % 2],
                             survey_token=f"{name}-{k}-{i}") for i in range(respondents)]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(Rating(org_id=org.id, assessment_id=assessment.id,
                                  respondent_id=person.id, dimension_id=dimension.id,
                                  value=float(1 + (i + j) % 5))
                           for i, person in enumerate(people)
                           for j, dimension in enumerate(dimensions))
        latest, respondent = assessment.id, people[0].id
    for k in range(respondents):
        db.session.add(Finding(org_id=org.id, assessment_id=latest, kind="gap",
                               title=f"Finding {k}"))
        committee = Committee(org_id=org.id, name=f"Committee {k}", level="portfolio")
        db.session.add(committee)
        db.session.flush()
        db.session.add(Decision(org_id=org.id, title=f"Decision {k}", committee="portfolio",
                                committee_id=committee.id, decided_on=START))
        kpi = Kpi(org_id=org.id, name=f"KPI {k}", direction="higher_is_better", target=10)
        db.session.add(kpi)
        db.session.flush()
        db.session.add(Measurement(org_id=org.id, kpi_id=kpi.id, value=float(k),
                                   measured_at=START))
        db.session.add(Objective(org_id=org.id, title=f"Objective {k}", kpis=[kpi],
                                 initiatives=[items[k % initiatives]]))
        db.session.add(AuditEvent(org_id=org.id, entity="initiative", entity_id=items[k].id,
                                  initiative_id=items[k].id, action="update",
                                  changes={"title": ["a", "b"]}, user_id=lead.id))
    db.session.commit()
    return Built(org.id, latest, items[len(items) // 2 + 4].id, respondent, token, email)


def reads(built: Built) -> list[tuple[str, str, bool]]:
    """(name, URL, through the API) of every read measured: bench/scale.py's `reads()`
    and the other list pages."""
    api, page = f"/api/v1/orgs/{built.org_id}", f"/orgs/{built.org_id}"
    one = f"assessments/{built.latest}"
    return [
        ("API backlog", f"{api}/backlog", True),
        ("API roadmap", f"{api}/roadmap?start={START}", True),
        ("API scores", f"{api}/{one}/scores", True),
        ("API perception gaps", f"{api}/{one}/perception-gaps?by=team", True),
        ("API barometer", f"{api}/barometer", True),
        ("page backlog", f"{page}/backlog", False),
        ("page dependencies", f"{page}/dependencies", False),
        ("page roadmap", f"{page}/roadmap?start={START}", False),
        ("page initiative", f"{page}/initiatives/{built.initiative}", False),
        ("page diagnostic", f"{page}/{one}", False),
        ("page barometer", f"{page}/barometer", False),
        ("page report", f"{page}/{one}/report", False),
        ("page assessments", f"{page}/assessments", False),
        ("page respondents", f"{page}/{one}/respondents", False),
        ("page respondent", f"{page}/{one}/respondents/{built.respondent}", False),
        ("page findings", f"{page}/findings", False),
        ("page decisions", f"{page}/decisions", False),
        ("page committees", f"{page}/committees", False),
        ("page audit", f"{page}/audit", False),
        ("page KPIs", f"{page}/kpis", False),
        ("page objectives", f"{page}/objectives", False),
        ("page scorecard", f"{page}/scorecard", False),
        ("page members", f"{page}/members", False),
    ]


def count_statements(app: Flask, built: Built) -> dict[str, int]:
    """The statements of one call of each read, after a first call (warm, as in use)."""
    browser = app.test_client()
    signed_in = browser.post("/login", data={"email": built.email, "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.text
    api = app.test_client()
    headers = {"Authorization": f"Bearer {built.token}"}
    counts: dict[str, int] = {}
    for name, url, through_api in reads(built):
        client: FlaskClient = api if through_api else browser
        options: dict[str, Any] = {"headers": headers} if through_api else {}
        counts[name] = warm_get(client, url, **options)[1]
    return counts


def test_every_read_sends_as_many_statements_at_both_sizes(app: Flask) -> None:
    small = build("Small", initiatives=20, respondents=5, assessments=2)
    large = build("Large", initiatives=60, respondents=15, assessments=4)
    at_small, at_large = count_statements(app, small), count_statements(app, large)
    assert set(at_small) == set(at_large) == {name for name, _, _ in reads(small)}
    varying = {name: (at_small[name], at_large[name]) for name in at_small
               if at_small[name] != at_large[name]}
    assert not varying, "statements at 20 / 60 initiatives: " + ", ".join(
        f"{name} {a} → {b}" for name, (a, b) in varying.items())
