"""The organization's derived state (graph, priorities, ranking, plan) is computed once per
version of its data (`tracker.services.derived`): every kind of write that changes an input
moves the version, the next read sees the write, a rolled-back write leaves nothing behind,
another app instance on the same database sees a write, and a second identical read
computes nothing. SQLite, and PostgreSQL when TRACKER_TEST_DATABASE_URL is set.

Numbers by hand: WSJF = (business value + time criticality + risk reduction) / job size, so
A (10, 0, 0, 2) scores 10 / 2 = 5 and B (11, 0, 0, 2) scores 11 / 2 = 5.5: B ranks first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, select, update

from tests.builders import Scenario
from tracker import create_app
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.schemas.decide import ImportSchema
from tracker.services import derived
from tracker.services.decide import backlog, initiatives_import


def make(api: Any, s: Scenario, title: str, value: float, job_size: float = 2,
         **fields: Any) -> int:
    response = api.post(s.url("/initiatives"), json={
        "title": title, "business_value": value, "time_criticality": 0, "risk_reduction": 0,
        "job_size": job_size, **fields})
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def order(api: Any, s: Scenario, query: str = "") -> list[int]:
    response = api.get(s.url(f"/backlog{query}"))
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def score(api: Any, s: Scenario, initiative_id: int, query: str = "") -> Any:
    items = api.get(s.url(f"/backlog{query}")).json["items"]
    return next(item for item in items if item["id"] == initiative_id)


def version(org_id: int) -> int:
    """The stored data version, read on a connection of its own."""
    with db.engine.connect() as conn:
        return int(conn.scalar(select(Organization.data_version)
                               .where(Organization.id == org_id)))


@pytest.fixture
def two(lead: Any, admin: Any) -> tuple[Scenario, int, int]:
    """An organization with A (WSJF 5) and B (WSJF 5.5), its backlog read once (warm)."""
    s = Scenario(lead, admin)
    a, b = make(lead, s, "A", 10), make(lead, s, "B", 11)
    assert order(lead, s) == [b, a]
    return s, a, b


def test_an_initiative_field_moves_the_version_and_flips_the_order(lead, two):
    s, a, b = two
    before = version(s.org["id"])
    assert score(lead, s, a)["score"] == 5.0
    assert lead.patch(s.url(f"/initiatives/{a}"), json={"business_value": 12}).status_code == 200
    assert version(s.org["id"]) > before
    assert score(lead, s, a)["score"] == 6.0  # 12 / 2
    assert order(lead, s) == [a, b]


def test_a_dependency_added_then_deleted(lead, two):
    s, a, b = two
    before = version(s.org["id"])
    edge = lead.post(s.url("/dependencies"), json={"prerequisite_id": a, "dependent_id": b})
    assert edge.status_code == 201, edge.json
    assert version(s.org["id"]) > before
    # A now carries B's 5.5 and comes first, B waits on it
    first = lead.get(s.url("/backlog")).json["items"]
    assert [(i["id"], i["effective_priority"], i["blocked_by"]) for i in first] == [
        (a, 5.5, []), (b, 5.5, [a])]
    added = version(s.org["id"])
    assert lead.delete(s.url(f"/dependencies/{edge.json['id']}")).status_code == 204
    assert version(s.org["id"]) > added
    assert order(lead, s) == [b, a]


def test_a_rater_input_and_its_removal(lead, two):
    s, a, b = two
    before = version(s.org["id"])
    # a rater's job size 1 is A's effective job size: 10 / 1 = 10
    assert lead.put(s.url(f"/initiatives/{a}/ratings/ann"), json={"job_size": 1}).status_code \
        == 200
    assert version(s.org["id"]) > before
    assert score(lead, s, a)["score"] == 10.0
    assert order(lead, s) == [a, b]
    assert lead.delete(s.url(f"/initiatives/{a}/ratings/ann")).status_code == 200
    assert score(lead, s, a)["score"] == 5.0
    assert order(lead, s) == [b, a]


def test_an_uplift_on_two_axes_makes_a_structural_lever(lead, two):
    s, a, _b = two
    assert lead.patch(s.url(f"/initiatives/{a}"), json={"duration_weeks": 8}).status_code == 200
    assert score(lead, s, a)["computed_class"] == "standard"
    before = version(s.org["id"])
    response = lead.patch(s.url(f"/initiatives/{a}"), json={"uplifts": [
        {"dimension": "a.one", "expected": 1}, {"dimension": "b.one", "expected": 1}]})
    assert response.status_code == 200, response.json
    assert version(s.org["id"]) > before
    # 8 weeks is no quick win (> 6) nor long (≤ 12), but it lifts axes a and b
    assert score(lead, s, a)["computed_class"] == "structural_lever"


def test_a_criterion_score(lead, admin):
    s = Scenario(lead, admin)
    assert lead.put(s.url("/scorecard"), json={"criteria": [
        {"code": "gain", "kind": "benefit", "weight": 1},
        {"code": "cost", "kind": "cost", "weight": 1}]}).status_code == 200
    a = make(lead, s, "A", 1, criteria={"gain": 4, "cost": 2})
    b = make(lead, s, "B", 1, criteria={"gain": 6, "cost": 2})
    assert order(lead, s, "?method=scorecard") == [b, a]  # 6 / 2 = 3 over 4 / 2 = 2
    before = version(s.org["id"])
    assert lead.patch(s.url(f"/initiatives/{a}"),
                      json={"criteria": {"gain": 8, "cost": 2}}).status_code == 200
    assert version(s.org["id"]) > before
    assert score(lead, s, a, "?method=scorecard")["score"] == 4.0  # 8 / 2
    assert order(lead, s, "?method=scorecard") == [a, b]


def test_the_default_method_setting(lead, admin):
    s = Scenario(lead, admin)
    # WSJF: A 10 / 2 = 5, B 11 / 2 = 5.5; RICE: A 100 · 1 · 1 / 1 = 100, B 10 · 1 · 1 / 1 = 10
    a = make(lead, s, "A", 10, reach=100, impact=1, confidence=1, effort=1)
    b = make(lead, s, "B", 11, reach=10, impact=1, confidence=1, effort=1)
    assert order(lead, s) == [b, a]
    before = version(s.org["id"])
    assert lead.patch(s.url(), json={"default_method": "rice"}).status_code == 200
    assert version(s.org["id"]) > before
    answer = lead.get(s.url("/backlog")).json
    assert answer["method"] == "rice"
    assert [i["id"] for i in answer["items"]] == [a, b]


def test_archive_and_restore(lead, two):
    s, a, b = two
    before = version(s.org["id"])
    assert lead.post(s.url(f"/initiatives/{b}/archive")).status_code == 200
    assert version(s.org["id"]) > before
    assert order(lead, s) == [a]
    assert lead.post(s.url(f"/initiatives/{b}/restore")).status_code == 200
    assert order(lead, s) == [b, a]


def test_a_bulk_import_through_the_service(lead, two):
    s, a, b = two
    org = db.session.get(Organization, s.org["id"])
    before = version(s.org["id"])
    ids = initiatives_import.import_backlog(org, None, ImportSchema().load({"initiatives": [
        {"ref": "c", "title": "C", "business_value": 20, "time_criticality": 0,
         "risk_reduction": 0, "job_size": 2}], "dependencies": []}))
    assert version(s.org["id"]) > before
    assert order(lead, s) == [ids["c"], b, a]  # 20 / 2 = 10 first


def test_the_roadmap_sees_a_new_duration(lead, two):
    s, a, _b = two
    url = s.url("/roadmap?start=2027-01-04")
    for initiative in (a, _b):
        lead.patch(s.url(f"/initiatives/{initiative}"), json={"duration_weeks": 2})
    ends = {i["initiative_id"]: i["end"] for i in lead.get(url).json["initiatives"]}
    assert ends[a] == "2027-01-18"  # 2 weeks after Monday 4 January
    assert lead.patch(s.url(f"/initiatives/{a}"), json={"duration_weeks": 3}).status_code == 200
    ends = {i["initiative_id"]: i["end"] for i in lead.get(url).json["initiatives"]}
    assert ends[a] == "2027-01-25"


def test_a_rolled_back_write_leaves_the_cache_right(lead, two):
    s, a, b = two
    org = db.session.get(Organization, s.org["id"])
    stored = version(s.org["id"])
    assert [i.id for i in backlog.ranked_backlog(org).items] == [b, a]
    initiative = db.session.get(Initiative, a)
    initiative.business_value = 12
    db.session.flush()
    # the transaction sees its own write: 12 / 2 = 6 first ...
    assert [i.id for i in backlog.ranked_backlog(org).items] == [a, b]
    db.session.rollback()
    # ... and after the rollback nobody does, in this process or through the API
    assert version(s.org["id"]) == stored
    assert [i.id for i in backlog.ranked_backlog(org).items] == [b, a]
    assert order(lead, s) == [b, a]


@pytest.fixture
def other_app(app: Flask) -> Iterator[Flask]:
    """A second instance of the application on the same database (its own engine)."""
    second = create_app({**{k: app.config[k] for k in (
        "TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "WTF_CSRF_ENABLED",
        "TRACKER_MAIL_DIR", "TRACKER_SCHEDULER", "TRACKER_BASE_URL")}})
    second.test_client_class = app.test_client_class
    yield second
    with second.app_context():
        db.engine.dispose()


def test_a_write_through_one_instance_is_read_through_the_other(lead, two, other_app):
    s, a, b = two
    other = other_app.test_client()
    headers = lead.headers
    assert [i["id"] for i in other.get(s.url("/backlog"), headers=headers).json["items"]] \
        == [b, a]
    assert lead.patch(s.url(f"/initiatives/{a}"), json={"business_value": 12}).status_code == 200
    assert [i["id"] for i in other.get(s.url("/backlog"), headers=headers).json["items"]] \
        == [a, b]


def test_a_write_by_another_process_is_seen(lead, two, app):
    """Another process shares no memory: it writes with its own engine and moves the
    version in the same transaction, as `derived.bump_version` does."""
    s, a, b = two
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.execute(update(Initiative).where(Initiative.id == a).values(business_value=12))
        conn.execute(update(Organization).where(Organization.id == s.org["id"])
                     .values(data_version=Organization.data_version + 1))
    engine.dispose()
    assert order(lead, s) == [a, b]


def test_a_second_identical_read_computes_nothing(lead, two):
    s, a, b = two
    lead.patch(s.url(f"/initiatives/{a}"), json={"duration_weeks": 2})
    url = s.url("/roadmap?start=2027-01-04")
    for path in (s.url("/backlog"), url):
        assert lead.get(path).status_code == 200
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    computed = dict(derived.computes)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        backlog_answer = lead.get(s.url("/backlog"))
        roadmap_answer = lead.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert backlog_answer.status_code == roadmap_answer.status_code == 200
    assert dict(derived.computes) == computed
    assert [i["id"] for i in backlog_answer.json["items"]] == [b, a]
    # only the token, the user, the membership and the organization, for each read
    touched = " ".join(statements).lower()
    for table in ("initiative", "dependency", "rater_input", "uplift", "phase"):
        assert f"from {table}" not in touched and f'from "{table}"' not in touched, table
    assert len(statements) <= 2 * 4, statements
