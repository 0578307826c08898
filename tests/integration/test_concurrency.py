"""Requests at the same instant on PostgreSQL: threads, each with its own client (so its own
app context and database session), released together by a barrier, many times over.

Each scenario is a race that the code once lost some of the time: opposite dependencies or
root causes both stored (a cycle), two leads demoting each other (no lead left), the same new
rating cell or rater input written twice (a unique violation, 500), four writers on one field
(the last one silently winning, an audit trail whose old → new values do not chain). SQLite
lets one writer in at a time, so these races need PostgreSQL; the tests skip elsewhere.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.builders import Scenario, add_member
from tracker.extensions import db
from tracker.models import Dependency, Membership, RaterInput, Rating, finding_root_cause

TRIES = 25

#: One request of a race: its headers, method, path and JSON body.
Request = tuple[dict[str, str], str, str, Any]


@pytest.fixture(autouse=True)
def _postgres_only(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("writers race only where several can write at once: PostgreSQL")


def race(app: Flask, requests: Sequence[Request]) -> list[Any]:
    """Each request in a thread of its own with its own test client, all released by one
    barrier; their responses (or what they raised) in order."""
    barrier = threading.Barrier(len(requests))
    results: list[Any] = [None] * len(requests)

    def run(index: int) -> None:
        headers, method, path, body = requests[index]
        client = app.test_client()
        barrier.wait()
        try:
            results[index] = client.open(path, method=method, headers=headers, json=body)
        except Exception as error:  # a request that blew up is a result to report
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def statuses(responses: list[Any]) -> list[Any]:
    """The responses' status codes, sorted (what a request raised, as its repr)."""
    return sorted((getattr(r, "status_code", None) or repr(r) for r in responses), key=str)


def count(model: Any, *where: Any) -> int:
    """How many rows match, as the database says now."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def new_org(lead: Any, attempt: int) -> int:
    response = lead.post("/api/v1/orgs", json={"name": f"Org {attempt}"})
    assert response.status_code == 201, response.json
    return response.json["id"]


def new_initiative(lead: Any, org_url: str, title: str) -> int:
    response = lead.post(f"{org_url}/initiatives", json={"title": title})
    assert response.status_code == 201, response.json
    return response.json["id"]


def report(wrong: list[Any]) -> str:
    return f"{len(wrong)} of {TRIES} tries went wrong, e.g. {wrong[:3]}"


def test_opposite_dependencies_at_the_same_instant_never_both_stored(app, lead):
    wrong = []
    for attempt in range(TRIES):  # an organization each: a stored cycle blocks all its edges
        org = f"/api/v1/orgs/{new_org(lead, attempt)}"
        a = new_initiative(lead, org, "A")
        b = new_initiative(lead, org, "B")
        responses = race(app, [
            (lead.headers, "POST", f"{org}/dependencies", edge)
            for edge in ({"prerequisite_id": a, "dependent_id": b},
                         {"prerequisite_id": b, "dependent_id": a})])
        stored = count(Dependency, Dependency.prerequisite_id.in_((a, b)))
        backlog = lead.get(f"{org}/backlog").status_code
        if stored != 1 or statuses(responses) != [201, 409] or backlog != 200:
            wrong.append((attempt, statuses(responses), f"{stored} edges, backlog {backlog}"))
    assert not wrong, report(wrong)


def test_opposite_root_causes_at_the_same_instant_never_both_stored(app, lead):
    org = f"/api/v1/orgs/{new_org(lead, 0)}"
    wrong = []
    for attempt in range(TRIES):
        a, b = (lead.post(f"{org}/findings", json={"kind": "gap", "title": f"{name}{attempt}"})
                .json["id"] for name in "AB")
        responses = race(app, [
            (lead.headers, "POST", f"{org}/findings/{symptom}/root-causes",
             {"root_cause_id": cause}) for symptom, cause in ((a, b), (b, a))])
        stored = count(finding_root_cause, finding_root_cause.c.symptom_id.in_((a, b)))
        if stored != 1 or statuses(responses) != [201, 409]:
            wrong.append((attempt, statuses(responses), f"{stored} links"))
    assert not wrong, report(wrong)
    assert lead.get(f"{org}/findings/root-causes").status_code == 200


def test_two_leads_demoting_each_other_leave_a_lead(app, make_api):
    wrong = []
    for attempt in range(TRIES):
        first = make_api(f"first{attempt}@example.org")
        second = make_api(f"second{attempt}@example.org")
        org = new_org(first, attempt)
        members = f"/api/v1/orgs/{org}/members"
        first_id = first.get(members).json["items"][0]["user_id"]
        second_id = add_member(org, f"second{attempt}@example.org", "lead")["user_id"]
        responses = race(app, [
            (first.headers, "PATCH", f"{members}/{second_id}", {"role": "ops"}),
            (second.headers, "PATCH", f"{members}/{first_id}", {"role": "ops"})])
        leads = count(Membership, Membership.org_id == org, Membership.role == "lead")
        if leads != 1 or statuses(responses) not in ([200, 403], [200, 409]):
            wrong.append((attempt, statuses(responses), f"{leads} leads"))
    assert not wrong, report(wrong)


def test_the_same_new_rating_cell_written_twice_gives_one_rating(app, lead, admin):
    scenario = Scenario(lead, admin)
    wrong = []
    for attempt in range(TRIES):
        respondent = scenario.add_respondent(f"R{attempt}")
        responses = race(app, [
            (lead.headers, "PUT", scenario.assessment_url("/ratings"),
             [{"respondent_id": respondent, "dimension": "a.one", "value": value}])
            for value in (2, 4)])
        stored = count(Rating, Rating.respondent_id == respondent)
        if stored != 1 or statuses(responses) != [200, 200]:
            wrong.append((attempt, statuses(responses), f"{stored} ratings"))
    assert not wrong, report(wrong)
    values = db.session.scalars(select(Rating.value)).all()
    assert len(values) == TRIES and set(values) <= {2, 4}


def test_the_same_new_rater_input_written_twice_gives_one_row(app, lead, admin):
    scenario = Scenario(lead, admin)
    wrong = []
    for attempt in range(TRIES):
        initiative = new_initiative(lead, scenario.url(), f"Rated {attempt}")
        responses = race(app, [
            (lead.headers, "PUT", scenario.url(f"/initiatives/{initiative}/ratings/ann"),
             {"business_value": value})
            for value in (3, 8)])
        stored = count(RaterInput, RaterInput.initiative_id == initiative)
        if stored != 1 or statuses(responses) != [200, 200]:
            wrong.append((attempt, statuses(responses), f"{stored} rows"))
    assert not wrong, report(wrong)


def test_four_writers_with_if_match_one_wins_each_round_and_the_audit_chains(app, lead, admin):
    scenario = Scenario(lead, admin)
    url = scenario.url(f"/initiatives/{new_initiative(lead, scenario.url(), 'Contested')}")
    wrong = []
    for attempt in range(TRIES):
        read = lead.get(url)
        etag, version = read.headers["ETag"], read.json["version"]
        responses = race(app, [
            ({**lead.headers, "If-Match": etag}, "PATCH", url,
             {"title": f"round {attempt} by {writer}"})
            for writer in range(4)])
        won = [r for r in responses if getattr(r, "status_code", None) == 200]
        refused = [r for r in responses if getattr(r, "status_code", None) == 412]
        if len(won) != 1 or len(refused) != 3 or won[0].json["version"] != version + 1 \
                or any(r.json["current_version"] != version + 1 for r in refused):
            wrong.append((attempt, statuses(responses)))
    assert not wrong, report(wrong)
    trail = lead.get(f"{url}/audit", query_string={"per_page": 200}).json["items"]
    titles = [event["changes"]["title"] for event in trail
              if event["action"] == "update" and "title" in event["changes"]]
    assert len(titles) == TRIES
    assert titles[0][0] == "Contested"
    assert all(later[0] == earlier[1] for earlier, later in pairwise(titles))
    assert lead.get(url).json["title"] == titles[-1][1]
