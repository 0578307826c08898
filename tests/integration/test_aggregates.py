"""Issue 20: scores, perception gaps, the barometer and the diagnostic page computed from SQL
aggregates (GROUP BY) instead of one Python object per rating.

- A small dataset rated by hand (two sources of weights 3 and 1): score, dispersion, `n`,
  source agreement, the dimension's and the axis' 95 % margins with their t values, and
  perception gaps with a group under `min_group_size` hidden.
- A property (hypothesis): on random ratings stored in the database, the aggregate path
  gives what the domain's per-rating functions give on the same ratings.
- Statement counts: the same at two sizes (10 and 40 respondents, 2 and 6 closed
  assessments) for the scores, the gaps, the barometer API and the diagnostic and barometer
  pages, counted with a `before_cursor_execute` listener as `bench/scale.py` does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, insert, select

from tests.builders import Scenario, framework_doc
from tracker.domain.follow.uncertainty import assessment_intervals
from tracker.domain.perception import perception_gaps
from tracker.domain.scoring import score_assessment
from tracker.extensions import db
from tracker.models import Assessment, Dimension, Organization, Rating, Respondent
from tracker.services import derived
from tracker.services.diagnose import perception
from tracker.services.diagnose.scores import rating_points, scored_assessment

PASSWORD = "correct horse battery"
#: Student's t quantiles t(0.975, df), from tables.
T_975 = {2: 4.302652729749464, 4: 2.7764451051977987}


def _weighted(lead: Any, admin: Any) -> tuple[Scenario, dict[str, int]]:
    """Five respondents rating a.one (and two of them a.two); interviews weigh 3, surveys 1.

    | who  | source    | team | a.one | a.two |
    | Boss | interview | red  | 5     | 4     |
    | Iris | interview | blue | 3     |       |
    | Ann  | survey    | red  | 1     | 2     |
    | Bob  | survey    | red  | 2     |       |
    | Cat  | survey    | blue | 3     |       |
    """
    scenario = Scenario(lead, admin, framework_doc(source_weights={"interview": 3,
                                                                   "survey": 1}))
    people = {name: scenario.add_respondent(name, source=source, team=team)
              for name, source, team in (("Boss", "interview", "red"),
                                         ("Iris", "interview", "blue"),
                                         ("Ann", "survey", "red"), ("Bob", "survey", "red"),
                                         ("Cat", "survey", "blue"))}
    rows = [{"respondent_id": people[name], "dimension": "a.one", "value": value}
            for name, value in (("Boss", 5), ("Iris", 3), ("Ann", 1), ("Bob", 2),
                                ("Cat", 3))]
    rows += [{"respondent_id": people["Boss"], "dimension": "a.two", "value": 4},
             {"respondent_id": people["Ann"], "dimension": "a.two", "value": 2}]
    assert scenario.rate(rows).status_code == 200
    return scenario, people


def test_weighted_score_dispersion_agreement_and_margin_by_hand(lead, admin):
    scenario, _ = _weighted(lead, admin)

    scores = scenario.scores()
    axis_a = scores["axes"][0]
    one, two = axis_a["dimensions"]

    # Σw·v / Σw = (3·5 + 3·3 + 1 + 2 + 3) / (3 + 3 + 1 + 1 + 1) = 30 / 9
    assert one["score"] == pytest.approx(10 / 3, rel=1e-15)
    # values 5 3 1 2 3: mean 2.8, squared deviations 4.84 .04 3.24 .64 .04 → 8.8 / 5
    assert one["n"] == 5
    assert one["stdev"] == pytest.approx(math.sqrt(1.76), rel=1e-12)
    assert one["source_means"] == {"interview": 4.0, "survey": 2.0}
    assert one["source_spread"] == 2.0
    # Σw = 9, Σw² = 21: n_eff = 81/21, df = ⌊3.857⌋ − 1 = 2; σ²_w = Σw(v − 10/3)² / 9
    # = (75 + 3 + 49 + 16 + 1)/9 / 9 = 16/9; se = √(16/9 / (81/21 − 1)) = √(28/45)
    margin = T_975[2] * math.sqrt(28 / 45)
    assert one["margin"] == pytest.approx(margin, rel=1e-9)
    assert one["ci95"] == pytest.approx([10 / 3 - margin, 10 / 3 + margin], rel=1e-9)
    # a.two: (3·4 + 1·2) / 4 = 3.5; n_eff = 16/10 < 2: no interval
    assert two["score"] == 3.5 and two["margin"] is None
    # axis a: (1·10/3 + 3·3.5) / 4 = 83/24; axis b unrated: null, overall = axis a
    assert axis_a["score"] == pytest.approx(83 / 24, rel=1e-15)
    assert scores["axes"][1]["score"] is None
    assert scores["overall"] == pytest.approx(83 / 24, rel=1e-15)
    # respondents' own axis a scores: Boss (5 + 3·4)/4 = 4.25, Iris 3, Ann (1 + 3·2)/4 =
    # 1.75, Bob 2, Cat 3: mean 2.8, sample variance 3.925/4; se = √(0.98125/5), df = 4
    axis_margin = T_975[4] * math.sqrt(0.98125 / 5)
    assert axis_a["margin"] == pytest.approx(axis_margin, rel=1e-9)
    assert scores["margin"] == pytest.approx(axis_margin, rel=1e-9)
    assert scores["ci95"] == pytest.approx([83 / 24 - axis_margin, 83 / 24 + axis_margin],
                                           rel=1e-9)


def test_perception_gaps_hide_a_group_under_the_minimum(lead, admin):
    scenario, _ = _weighted(lead, admin)

    # min_group_size 3 (default): blue (Iris, Cat) has 2 respondents on a.one: hidden
    gaps = lead.get(scenario.assessment_url("/perception-gaps?by=team")).json
    one = gaps["dimensions"][0]
    assert one["dimension"] == "a.one"
    assert one["groups"] == [{"name": "red", "mean": pytest.approx(8 / 3), "n": 3}]
    assert one["hidden_groups"] == 1 and one["gap"] is None and not one["flagged"]
    # a.two: red has Boss and Ann only: hidden too
    assert gaps["dimensions"][1]["groups"] == [] and gaps["dimensions"][1]["hidden_groups"] == 1

    org = db.session.get(Organization, scenario.org["id"])
    org.min_group_size = 2
    db.session.commit()
    one = lead.get(scenario.assessment_url("/perception-gaps?by=team")).json["dimensions"][0]
    # blue (3 + 3)/2 = 3, red (5 + 1 + 2)/3 = 8/3: gap 1/3, not flagged
    assert [(g["name"], g["n"]) for g in one["groups"]] == [("blue", 2), ("red", 3)]
    assert one["gap"] == pytest.approx(1 / 3, rel=1e-12) and not one["flagged"]


# The aggregate path equals the per-rating one ---------------------------------------------

_SOURCES = ("interview", "document", "observation", "survey")
_TEAMS = ("red", "blue", None, " ")
_RATING = st.one_of(st.none(), st.sampled_from([1.0, 1.5, 2.0, 2.25, 3.0, 4.0, 4.75, 5.0]))
_PEOPLE = st.lists(st.tuples(st.sampled_from(_SOURCES), st.sampled_from(_TEAMS),
                             st.lists(_RATING, min_size=4, max_size=4)),
                   min_size=0, max_size=9)


@pytest.fixture
def grid(lead, admin) -> Iterator[Scenario]:
    yield Scenario(lead, admin, framework_doc(source_weights={"interview": 2.5,
                                                              "document": 0.5,
                                                              "survey": 1}))


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=_PEOPLE)
def test_aggregates_equal_the_per_rating_domain(grid, people):
    org = db.session.get(Organization, grid.org["id"])
    framework_id = grid.framework["id"]
    dims = list(db.session.scalars(select(Dimension.id).join(Dimension.axis)
                                   .where(Dimension.axis.has(framework_id=framework_id))
                                   .order_by(Dimension.id)))
    assessment_id = db.session.execute(insert(Assessment).values(
        org_id=org.id, framework_id=framework_id, title="P", kind="pulse", status="open",
        created_at=datetime.now(UTC)).returning(Assessment.id)).scalar_one()
    for k, (source, team, values) in enumerate(people):
        rid = db.session.execute(insert(Respondent).values(
            org_id=org.id, assessment_id=assessment_id, name=f"R{k}", source=source,
            team=team, survey_token=f"p-{assessment_id}-{k}",
            created_at=datetime.now(UTC)).returning(Respondent.id)).scalar_one()
        for dimension, value in zip(dims, values, strict=True):
            db.session.execute(insert(Rating).values(
                org_id=org.id, assessment_id=assessment_id, respondent_id=rid,
                dimension_id=dimension, value=value, comment=""))
    derived.bump_version(db.session, org.id)

    scored = scored_assessment(org, assessment_id)
    points = rating_points(scored.assessment, scored.framework)
    weights = scored.framework.source_weights
    expected = score_assessment(scored.axes, points, weights)
    intervals = assessment_intervals(scored.axes, points, weights, expected)

    assert _close(scored.scores.overall, expected.overall)
    for got_axis, want_axis in zip(scored.scores.axes, expected.axes, strict=True):
        assert _close(got_axis.score, want_axis.score)
        assert _close(getattr(scored.intervals.axes.get(got_axis.code), "margin", None),
                      getattr(intervals.axes.get(want_axis.code), "margin", None))
        for got, want in zip(got_axis.dimensions, want_axis.dimensions, strict=True):
            assert _close(got.score, want.score) and got.n == want.n
            assert _close(got.stdev, want.stdev) and _close(got.source_spread,
                                                            want.source_spread)
            assert got.source_means.keys() == want.source_means.keys()
            assert all(_close(got.source_means[s], want.source_means[s])
                       for s in got.source_means)
            assert _close(getattr(scored.intervals.dimensions.get(got.code), "margin", None),
                          getattr(intervals.dimensions.get(want.code), "margin", None))
    assert _close(getattr(scored.intervals.overall, "margin", None),
                  getattr(intervals.overall, "margin", None))
    codes = [d.code for axis in scored.axes for d in axis.dimensions]
    got_gaps = perception.dimension_gaps(org, perception.grid_from(scored), "team")
    want_gaps = perception_gaps(points, "team", org.min_group_size,
                                org.perception_gap_threshold, codes)
    for got_gap, want_gap in zip(got_gaps, want_gaps, strict=True):
        assert [(g.name, g.n) for g in got_gap.groups] == [(g.name, g.n)
                                                           for g in want_gap.groups]
        assert all(_close(a.mean, b.mean) for a, b in zip(got_gap.groups, want_gap.groups,
                                                          strict=True))
        assert got_gap.hidden_groups == want_gap.hidden_groups
        assert _close(got_gap.gap, want_gap.gap) and got_gap.flagged == want_gap.flagged
    db.session.rollback()


# Statement counts constant in N -----------------------------------------------------------

def _grow(scenario: Scenario, respondents: int, closed: int) -> int:
    """`closed` closed assessments of the scenario's grid a month apart, each rated by
    `respondents` respondents of random source, team and level on every dimension; the
    latest's id."""
    rng = random.Random(20)
    org_id, framework_id = scenario.org["id"], scenario.framework["id"]
    dims = list(db.session.scalars(select(Dimension.id).where(
        Dimension.axis.has(framework_id=framework_id))))
    now = datetime.now(UTC)
    latest = 0
    for k in range(closed):
        when = now - timedelta(days=30 * (closed - k))
        latest = db.session.execute(insert(Assessment).values(
            org_id=org_id, framework_id=framework_id, title=f"Pulse {k}", kind="pulse",
            status="closed", opened_at=when - timedelta(days=7), closed_at=when,
            created_at=when - timedelta(days=8)).returning(Assessment.id)).scalar_one()
        first = db.session.execute(insert(Respondent).returning(Respondent.id), [{
            "org_id": org_id, "assessment_id": latest, "name": f"R{i}", "role": "engineer",
            "team": rng.choice(("red", "blue")), "level": rng.choice(("leader", "team")),
            "source": rng.choice(_SOURCES), "survey_token": f"g-{latest}-{i}",
            "created_at": now} for i in range(respondents)]).scalars().all()
        db.session.execute(insert(Rating), [{
            "org_id": org_id, "assessment_id": latest, "respondent_id": person,
            "dimension_id": dimension, "value": float(rng.randint(1, 5)), "comment": ""}
            for person in first for dimension in dims])
    derived.bump_version(db.session, org_id)
    db.session.commit()
    return latest


def _counts(client: Any, lead: Any, scenario: Scenario, latest: int) -> dict[str, int]:
    api = scenario.url()
    page = f"/orgs/{scenario.org['id']}"
    reads = {"scores": (lead, f"{api}/assessments/{latest}/scores"),
             "gaps": (lead, f"{api}/assessments/{latest}/perception-gaps?by=team"),
             "barometer API": (lead, f"{api}/barometer"),
             "diagnostic page": (client, f"{page}/assessments/{latest}"),
             "barometer page": (client, f"{page}/barometer")}
    engine = db.engine
    found = {}
    for name, (who, url) in reads.items():
        count = 0

        def counted(*_args: Any) -> None:
            nonlocal count
            count += 1

        event.listen(engine, "before_cursor_execute", counted)
        try:
            response = who.get(url)
        finally:
            event.remove(engine, "before_cursor_execute", counted)
        assert response.status_code == 200, (url, response.status_code)
        found[name] = count
    return found


def test_statement_counts_do_not_grow_with_respondents_or_assessments(client, lead, admin):
    small = Scenario(lead, admin, framework_doc(code="grid-small"), org_name="Small")
    large = Scenario(lead, admin, framework_doc(code="grid-large"), org_name="Large")
    small_latest = _grow(small, 10, 2)
    large_latest = _grow(large, 40, 6)
    signed_in = client.post("/login", data={"email": "lead@example.org",
                                            "password": PASSWORD})
    assert signed_in.status_code == 302

    at_small = _counts(client, lead, small, small_latest)
    at_large = _counts(client, lead, large, large_latest)

    assert at_small == at_large


def test_the_diagnostic_grid_shows_forty_respondents_a_page(client, lead, admin):
    scenario = Scenario(lead, admin)
    org_id, assessment_id = scenario.org["id"], scenario.assessment["id"]
    now = datetime.now(UTC)
    db.session.execute(insert(Respondent), [{
        "org_id": org_id, "assessment_id": assessment_id, "name": f"Interviewee {i:02d}",
        "source": "interview", "survey_token": f"grid-{i}", "created_at": now}
        for i in range(45)])
    derived.bump_version(db.session, org_id)
    db.session.commit()
    client.post("/login", data={"email": "lead@example.org", "password": PASSWORD})

    first = client.get(f"/orgs/{org_id}/assessments/{assessment_id}").text
    second = client.get(f"/orgs/{org_id}/assessments/{assessment_id}?grid_page=2").text

    assert "Respondents 1 to 40 of 45" in first
    assert "Interviewee 39" in first and "Interviewee 40" not in first
    assert "Respondents 41 to 45 of 45" in second
    assert "Interviewee 40" in second and "Interviewee 39" not in second
