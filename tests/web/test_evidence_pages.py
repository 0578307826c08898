"""The evidence pages: verbatims listed, added, edited (with their findings) and removed
through the forms; errors beside their fields with the input kept; a survey comment promoted
with one click and never shown with its respondent's name; the respondent link for ops and
leads only; the role rules; and the report's synthesis showing a verbatim no finding cites."""

from __future__ import annotations

import re

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Assessment, Evidence, Finding, Rating, Respondent
from tracker.services.frame import frameworks

SECRET_NAME = "Zoé Secretperson"
COMMENT = "Nobody knows who decides the roadmap."


@pytest.fixture
def campaign(app) -> dict[str, object]:
    """An open assessment of the demo's grid with a survey respondent who commented a rating,
    and one finding; its URLs, dimension codes and ids."""
    org = seed_demo()
    latest = db.session.scalars(db.select(Assessment).where(Assessment.org_id == org)
                                .order_by(Assessment.id.desc())).first()
    assessment = Assessment(org_id=org, framework_id=latest.framework_id, title="Evidence",
                            kind="diagnostic", status="open")
    db.session.add(assessment)
    db.session.flush()
    dimensions = list(frameworks.dimensions_by_code(
        frameworks.load_framework(latest.framework_id)).values())
    person = Respondent(org_id=org, assessment_id=assessment.id, name=SECRET_NAME,
                        source="survey", survey_token="tok-evidence")
    db.session.add(person)
    db.session.flush()
    rating = Rating(org_id=org, assessment_id=assessment.id, respondent_id=person.id,
                    dimension_id=dimensions[1].id, value=2, comment=COMMENT)
    finding = Finding(org_id=org, assessment_id=assessment.id, kind="gap",
                      title="Roadmap ownership unclear", status="accepted")
    db.session.add_all([rating, finding])
    db.session.commit()
    return {"org": org, "id": assessment.id, "codes": [d.code for d in dimensions[:2]],
            "names": [d.name for d in dimensions[:2]], "respondent": person.id,
            "rating": rating.id, "finding": finding.id,
            "url": f"/orgs/{org}/assessments/{assessment.id}/evidence"}


def _verbatims(campaign) -> list[Evidence]:
    return list(db.session.scalars(db.select(Evidence)
                                   .where(Evidence.assessment_id == campaign["id"])))


def _add(client, campaign, **fields):
    data = {"text": "Our discovery is a checkbox.", "source": "interview", "tone": "pain",
            "dimensions": [campaign["codes"][0]], **fields}
    return client.post(campaign["url"], data=data)


def test_a_verbatim_is_added_with_its_findings_then_listed(client, campaign):
    sign_in(client, "contributor@novatechna.example")

    response = _add(client, campaign, finding_ids=[str(campaign["finding"])])

    assert response.status_code == 303
    [added] = _verbatims(campaign)
    assert (added.text, added.tone, [d.code for d in added.dimensions]) == (
        "Our discovery is a checkbox.", "pain", [campaign["codes"][0]])
    assert added.respondent_id is None
    page = client.get(campaign["url"]).text
    assert "Our discovery is a checkbox." in page
    assert "Roadmap ownership unclear" in re.search(r'<tr data-id=.*?</tr>', page, re.S).group(0)


def test_errors_are_beside_their_fields_and_the_input_is_kept(client, campaign):
    sign_in(client, "ops@novatechna.example")

    response = _add(client, campaign, text="", tone="angry", dimensions=["zz.unknown"])

    assert response.status_code == 422
    assert set(re.findall(r'class="field-error" id="([\w-]+)-error"', response.text)) == {
        "text", "tone"}
    assert 'value="zz.unknown"' not in response.text  # an unknown code is not offered
    response = _add(client, campaign, dimensions=["zz.unknown"], text="Kept text")
    assert 'id="dimensions-error"' in response.text and "Kept text" in response.text
    assert _verbatims(campaign) == []


def test_a_verbatim_is_edited_and_relinked_then_removed(client, campaign):
    sign_in(client, "lead@novatechna.example")
    _add(client, campaign)
    [added] = _verbatims(campaign)
    edit = f"{campaign['url']}/{added.id}/edit"

    assert client.get(edit).status_code == 200
    response = client.post(edit, data={
        "text": "Discovery happens, sometimes.", "source": "observation", "tone": "neutral",
        "dimensions": campaign["codes"], "finding_ids": [str(campaign["finding"])],
        "respondent_id": str(campaign["respondent"])})

    assert response.status_code == 303
    db.session.expire_all()
    edited = db.session.get(Evidence, added.id)
    assert (edited.text, edited.source, edited.respondent_id) == (
        "Discovery happens, sometimes.", "observation", campaign["respondent"])
    assert sorted(d.code for d in edited.dimensions) == sorted(campaign["codes"])
    assert db.session.get(Finding, campaign["finding"]).evidence == [edited]
    assert client.post(f"{campaign['url']}/{added.id}/remove").status_code == 303
    assert _verbatims(campaign) == []
    assert db.session.get(Finding, campaign["finding"]).evidence == []


def test_a_survey_comment_is_promoted_with_one_click_and_never_shows_its_name(client,
                                                                               campaign):
    sign_in(client, "ops@novatechna.example")
    page = client.get(campaign["url"]).text
    candidates = re.search(r'<section class="card" id="candidates".*?</section>', page,
                           re.S).group(0)
    assert COMMENT in candidates and SECRET_NAME not in candidates

    response = client.post(f"{campaign['url']}/candidates/{campaign['rating']}/promote",
                           data={"tone": "pain"})

    assert response.status_code == 303
    [promoted] = _verbatims(campaign)
    assert (promoted.text, promoted.source, promoted.tone, promoted.respondent_id) == (
        COMMENT, "survey", "pain", campaign["respondent"])
    assert [d.code for d in promoted.dimensions] == [campaign["codes"][1]]
    page = client.get(campaign["url"]).text
    candidates = re.search(r'id="candidates".*?</section>', page, re.S).group(0)
    assert COMMENT not in candidates  # promoted once, no longer a candidate


def test_below_ops_no_candidate_and_no_respondent_is_shown(client, campaign):
    sign_in(client, "lead@novatechna.example")
    _add(client, campaign, respondent_id=str(campaign["respondent"]))
    client.get("/logout")
    sign_in(client, "contributor@novatechna.example")

    page = client.get(campaign["url"]).text

    assert 'id="candidates"' not in page and 'id="f-respondent_id"' not in page
    assert SECRET_NAME not in page and COMMENT not in page
    promote = f"{campaign['url']}/candidates/{campaign['rating']}/promote"
    assert client.post(promote, data={}).status_code == 403


def test_a_contributors_edit_keeps_the_private_respondent(client, campaign):
    sign_in(client, "ops@novatechna.example")
    _add(client, campaign, respondent_id=str(campaign["respondent"]))
    [added] = _verbatims(campaign)
    client.get("/logout")
    sign_in(client, "contributor@novatechna.example")

    response = client.post(f"{campaign['url']}/{added.id}/edit", data={
        "text": "Changed", "source": "interview", "tone": "neutral",
        "dimensions": [campaign["codes"][0]], "respondent_id": ""})

    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Evidence, added.id).respondent_id == campaign["respondent"]


def test_viewers_read_verbatims_without_forms_and_may_not_write(client, campaign):
    sign_in(client, "lead@novatechna.example")
    _add(client, campaign)
    [added] = _verbatims(campaign)
    client.get("/logout")
    sign_in(client, "sponsor@novatechna.example")

    page = client.get(campaign["url"])

    assert page.status_code == 200 and "Our discovery is a checkbox." in page.text
    assert 'id="evidence-form"' not in page.text
    assert _add(client, campaign).status_code == 403
    assert client.post(f"{campaign['url']}/{added.id}/remove").status_code == 403
    assert client.get(f"{campaign['url']}/{added.id}/edit").status_code == 403


def test_an_outsider_gets_404(client, campaign):
    from tracker.services.tenancy import accounts

    accounts.create_user("outsider@example.org", "a long enough password 1")
    client.post("/login", data={"email": "outsider@example.org",
                                "password": "a long enough password 1"})

    assert client.get(campaign["url"]).status_code == 404


def test_the_report_shows_a_verbatim_no_finding_cites_under_its_dimension(client, campaign):
    sign_in(client, "lead@novatechna.example")
    _add(client, campaign, text="An uncited but telling remark.")

    report = client.get(f"/orgs/{campaign['org']}/assessments/{campaign['id']}/report")

    assert report.status_code == 200
    section = re.search(r'id="verbatims-by-dimension".*?</section>', report.text, re.S).group(0)
    dimension = section.index(campaign["names"][0])
    assert section.index("An uncited but telling remark.") > dimension
