"""Completion of an assessment counted by hand: 7 respondents on a grid of 4 dimensions,
in three teams one of which is below `min_group_size` (3)."""

from __future__ import annotations

import pytest

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Assessment, Organization
from tracker.services.observe import assessments

#: name → (team, role, level, dimensions rated); "cannot say" (null) counts as rated.
PEOPLE = {
    "Ann": ("claims", "engineer", "team", 4), "Bob": ("claims", "engineer", "team", 2),
    "Cid": ("claims", "engineer", "team", 0), "Dan": ("billing", "pm", "manager", 4),
    "Eve": ("billing", "pm", "team", 4), "Fay": ("billing", "pm", "manager", 0),
    "Gus": ("hr", "engineer", "leader", 1),
}
CODES = ("a.one", "a.two", "b.one", "b.two")


@pytest.fixture
def campaign(lead, admin) -> Scenario:
    """The seven respondents, rated as `PEOPLE` says (Ann's last rating "cannot say")."""
    scenario = Scenario(lead, admin)
    rows = []
    for name, (team, role, level, rated) in PEOPLE.items():
        rid = scenario.add_respondent(name, team=team, role=role, level=level)
        rows += [{"respondent_id": rid, "dimension": code,
                  "value": None if (name, code) == ("Ann", "b.two") else 3}
                 for code in CODES[:rated]]
    assert scenario.rate(rows).status_code == 200, scenario.rate(rows).json
    return scenario


def _completion(scenario: Scenario, actor=None) -> assessments.Completion:
    org = db.session.get(Organization, scenario.org["id"])
    return assessments.completion(org, scenario.assessment["id"], actor=actor)


def _counts(groups: list[assessments.Progress]) -> dict[str, tuple[int, int, int]]:
    return {g.name: (g.full, g.partial, g.none) for g in groups}


def test_completion_counts_full_partial_and_not_yet_overall_and_by_group(campaign):
    progress = _completion(campaign)

    assert progress.dimensions == 4
    assert (progress.overall.full, progress.overall.partial, progress.overall.none) == (3, 2, 2)
    assert _counts(progress.groups["team"]) == {"billing": (2, 0, 1), "claims": (1, 1, 1)}
    assert progress.hidden["team"] == 1
    assert _counts(progress.groups["role"]) == {"engineer": (1, 2, 1), "pm": (2, 0, 1)}
    assert _counts(progress.groups["level"]) == {"team": (2, 1, 1),
                                                 "other groups": (1, 1, 1)}
    assert progress.hidden["level"] == 0


def test_a_trusted_caller_reads_each_respondent_and_a_viewer_none(campaign, make_api):
    from tests.builders import add_member
    from tracker.models import User

    people = {p.name: (p.rated, p.state) for p in _completion(campaign).respondents}
    assert people["Ann"] == (4, "full") and people["Gus"] == (1, "partial")
    assert people["Cid"] == (0, "none")

    make_api("viewer@example.org")
    add_member(campaign.org["id"], "viewer@example.org", "viewer")
    viewer = db.session.query(User).filter_by(email="viewer@example.org").one()
    assert _completion(campaign, viewer).respondents is None


def test_completion_is_one_query_whatever_the_number_of_respondents(campaign):
    from sqlalchemy import event

    org = db.session.get(Organization, campaign.org["id"])
    assessments.get_assessment(org, campaign.assessment["id"])
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assessments.completion(org, campaign.assessment["id"], actor=None)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert sum("respondent" in s.lower() and "count" in s.lower() for s in statements) == 1
    assert len(statements) <= 8


@pytest.mark.parametrize(("status", "respondents", "step"), [
    ("draft", 0, "add_respondents"), ("draft", 1, "open"), ("open", 1, "remind"),
    ("closed", 1, "read")])
def test_the_next_step_follows_the_state(status, respondents, step):
    progress = assessments.Completion(
        4, assessments.Progress("all", none=respondents), {}, {}, None)
    assert assessments.next_step(Assessment(status=status), progress) == step


def test_an_open_assessment_everyone_answered_is_ready_to_close():
    progress = assessments.Completion(4, assessments.Progress("all", full=2), {}, {}, None)
    assert assessments.next_step(Assessment(status="open"), progress) == "close"
