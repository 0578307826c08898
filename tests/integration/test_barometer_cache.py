"""Issue 20: the scores, the barometer (and its JSON answer) and the alignment are computed
once per version of the organization's data, and a rating written by any path is seen by
the next read: the ratings service (the bulk API and `upsert_ratings`, Core
`INSERT … ON CONFLICT` statements), the Core bulk helper alone (`services.upsert.upsert`,
which moves the version with `derived.bump_once`) and an ORM edit of a rating. SQLite, and
PostgreSQL when TRACKER_TEST_DATABASE_URL is set.

Numbers by hand: the default test grid has axis A (a.one, weight 1; a.two, weight 3) and
axis B; only a.one is rated, by two survey respondents, so a.one's score is the mean of
their two values, and so are axis A's and the overall score (the only scored axis).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Dimension, Organization, Rating
from tracker.services import derived
from tracker.services.follow import barometer
from tracker.services.observe.ratings import upsert_ratings
from tracker.services.upsert import upsert


def _rated(lead: Any, admin: Any, ann: float, bob: float) -> tuple[Scenario, dict[str, int]]:
    """An open assessment where Ann and Bob (surveys) rate a.one."""
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    people = {name: scenario.add_respondent(name) for name in ("Ann", "Bob")}
    assert scenario.rate([{"respondent_id": people["Ann"], "dimension": "a.one", "value": ann},
                          {"respondent_id": people["Bob"], "dimension": "a.one",
                           "value": bob}]).status_code == 200
    return scenario, people


def _a_one(scenario: Scenario) -> tuple[float, float]:
    """a.one's score and population standard deviation, from the scores API."""
    dimension = scenario.scores()["axes"][0]["dimensions"][0]
    assert dimension["code"] == "a.one"
    return dimension["score"], dimension["stdev"]


def _org(scenario: Scenario) -> Organization:
    org = db.session.get(Organization, scenario.org["id"])
    assert org is not None
    return org


def _barometer_overall(lead: Any, scenario: Scenario) -> float:
    response = lead.get(scenario.url("/barometer"))
    assert response.status_code == 200, response.json
    (point,) = response.json["assessments"]
    return point["overall"]


def _orm_set(scenario: Scenario, respondent_id: int, value: float) -> None:
    """Ann's a.one rating edited through the ORM (the flush listener moves the version)."""
    rating = db.session.scalar(select(Rating).join(Dimension).where(
        Rating.respondent_id == respondent_id, Dimension.code == "a.one"))
    assert rating is not None
    rating.value = value
    db.session.commit()


def test_scores_see_every_rating_write_and_are_computed_once_per_version(lead, admin):
    scenario, people = _rated(lead, admin, ann=2, bob=4)

    # (2 + 4) / 2 = 3; deviations ±1 → population stdev 1
    assert _a_one(scenario) == (pytest.approx(3.0), pytest.approx(1.0))
    computed = derived.computes["rating stats"]
    assert _a_one(scenario) == (pytest.approx(3.0), pytest.approx(1.0))
    assert derived.computes["rating stats"] == computed  # the second read reuses it

    # the bulk API: Ann 5 → (5 + 4) / 2 = 4.5, deviations ±0.5
    assert scenario.rate([{"respondent_id": people["Ann"], "dimension": "a.one",
                           "value": 5}]).status_code == 200
    assert _a_one(scenario) == (pytest.approx(4.5), pytest.approx(0.5))

    # the service called directly: Bob 1 → (5 + 1) / 2 = 3, deviations ±2
    upsert_ratings(_org(scenario), scenario.assessment["id"],
                   [{"respondent_id": people["Bob"], "dimension": "a.one", "value": 1}])
    assert _a_one(scenario) == (pytest.approx(3.0), pytest.approx(2.0))

    # an ORM edit: Ann 3 → (3 + 1) / 2 = 2, deviations ±1
    _orm_set(scenario, people["Ann"], 3)
    assert _a_one(scenario) == (pytest.approx(2.0), pytest.approx(1.0))


def test_barometer_sees_ratings_written_after_the_close(lead, admin):
    scenario, people = _rated(lead, admin, ann=2, bob=4)
    assert lead.patch(scenario.assessment_url(),
                      json={"status": "closed"}).status_code == 200

    assert _barometer_overall(lead, scenario) == pytest.approx(3.0)  # (2 + 4) / 2
    computed = derived.computes["barometer json"]
    first = lead.get(scenario.url("/barometer")).data
    assert lead.get(scenario.url("/barometer")).data == first
    assert derived.computes["barometer json"] == computed  # the same bytes, not recomputed

    # the Core bulk helper on the closed assessment: Bob 5 → (2 + 5) / 2 = 3.5
    org = _org(scenario)
    a_one = db.session.scalar(select(Dimension.id).where(
        Dimension.framework_id == scenario.framework["id"], Dimension.code == "a.one"))
    upsert(Rating, [{"org_id": org.id, "assessment_id": scenario.assessment["id"],
                     "respondent_id": people["Bob"], "dimension_id": a_one, "value": 5,
                     "comment": ""}], key=("respondent_id", "dimension_id"), org_id=org.id)
    db.session.commit()
    assert _barometer_overall(lead, scenario) == pytest.approx(3.5)

    # an ORM edit: Ann 4 → (4 + 5) / 2 = 4.5
    _orm_set(scenario, people["Ann"], 4)
    assert _barometer_overall(lead, scenario) == pytest.approx(4.5)
    response = lead.get(scenario.url("/barometer/alignment"))
    assert response.status_code == 200, response.json


def test_barometer_service_sees_a_rating_written_after_the_close(app, lead, admin):
    scenario, people = _rated(lead, admin, ann=1, bob=2)
    assert lead.patch(scenario.assessment_url(),
                      json={"status": "closed"}).status_code == 200
    org = _org(scenario)
    with app.test_request_context():
        assert barometer.barometer(org).assessments[0].overall == pytest.approx(1.5)
        _orm_set(scenario, people["Bob"], 5)
        org = _org(scenario)
        db.session.refresh(org)
        # (1 + 5) / 2 = 3
        assert barometer.barometer(org).assessments[0].overall == pytest.approx(3.0)
