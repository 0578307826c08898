"""The ratings grid page answers a post with a field that is not one of its cells (a
malformed name, a respondent id no record can have) with the grid and its errors (422),
never a 500, and saves nothing."""

from __future__ import annotations

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Assessment, Respondent

LEAD = "lead@novatechna.example"


@pytest.fixture
def grid(app) -> dict[str, object]:
    """An open interview assessment of the demo with one respondent; its page's URL, the
    respondent's id and a dimension code of its grid."""
    org = seed_demo()
    latest = db.session.scalars(db.select(Assessment).where(Assessment.org_id == org)
                                .order_by(Assessment.id.desc())).first()
    assessment = Assessment(org_id=org, framework_id=latest.framework_id, title="Interviews",
                            kind="diagnostic", status="open")
    db.session.add(assessment)
    db.session.flush()
    person = Respondent(org_id=org, assessment_id=assessment.id, name="Ann",
                        source="interview", survey_token="tok-grid-ann")
    db.session.add(person)
    db.session.commit()
    return {"url": f"/orgs/{org}/assessments/{assessment.id}", "respondent": person.id,
            "api": f"/api/v1/orgs/{org}/assessments/{assessment.id}/scores"}


def _code(client, grid) -> str:
    page = client.get(grid["url"]).text
    return page.split(f'name="cell:{grid["respondent"]}:')[1].split('"')[0]


@pytest.mark.parametrize("name", ["cell:", "cell:{respondent}", "cell:x:{code}",
                                  "cell:9223372036854775808:{code}", "cell:٣:{code}"])
def test_a_field_that_is_not_a_cell_is_refused_on_the_page(client, grid, name):
    sign_in(client, LEAD)
    code = _code(client, grid)
    response = client.post(f"{grid['url']}/ratings", data={
        f"cell:{grid['respondent']}:{code}": "3",
        name.format(respondent=grid["respondent"], code=code): "4"})
    assert response.status_code == 422
    assert "not a cell of the grid" in response.text
    assert client.get(grid["api"]).json["overall"] is None

