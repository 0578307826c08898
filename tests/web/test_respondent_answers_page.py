"""One respondent's answers and comments, on a page for ops and leads only (issue 14:
"the respondent's answers and comments visible to ops and lead only")."""

from __future__ import annotations

from typing import Any

from tests.web.test_pages import sign_in
from tests.web.test_respondent_privacy_pages import COMMENT, NAME, demo_org  # noqa: F401
from tracker.extensions import db
from tracker.models import Respondent


def _path(ids: dict[str, Any]) -> str:
    person = db.session.scalar(db.select(Respondent.id).where(Respondent.name == NAME))
    return f"/orgs/{ids['org']}/assessments/{ids['assessment']}/respondents/{person}"


def test_ops_read_what_one_respondent_rated_and_said(client, demo_org):  # noqa: F811
    sign_in(client, "ops")
    page = client.get(_path(demo_org))
    listed = client.get(f"/orgs/{demo_org['org']}/assessments/{demo_org['assessment']}"
                        "/respondents")

    assert page.status_code == 200
    assert f"Answers of {NAME}" in page.text and COMMENT in page.text
    # the fixture's one rating is 1, on the first dimension rated in the assessment; the
    # others read "not answered"
    assert page.text.count('<td class="num">1</td>') == 1
    assert "not answered" in page.text
    assert _path(demo_org) in listed.text  # the list links each name to its answers


def test_viewers_and_contributors_never_see_whose_answer_is_whose(client, demo_org):  # noqa: F811
    path = _path(demo_org)
    for who in ("sponsor", "contributor"):
        sign_in(client, who)
        refused = client.get(path)
        assert refused.status_code == 403 and COMMENT not in refused.text
        client.post("/logout")


def test_another_assessments_respondent_is_not_found(client, demo_org):  # noqa: F811
    sign_in(client, "lead")
    path = _path(demo_org).replace(f"/assessments/{demo_org['assessment']}/",
                                   f"/assessments/{demo_org['assessment'] - 1}/")
    assert client.get(path).status_code == 404
