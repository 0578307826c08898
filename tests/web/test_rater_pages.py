"""The raters section of an initiative's page on the demo organization: a contributor adds
two raters and reads each one's values, the median and the spread per field, each input
with its meaning and scale beside it; changes and removes a rater (audited); errors are
named per field (422, input kept); viewers only read; another organization's initiative
is not found."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.web.scoring_helpers import demo_signed_in, elsewhere
from tests.web_helpers import XSS, sign_in
from tracker.extensions import db
from tracker.models import AuditEvent, Organization
from tracker.services.decide import initiatives
from tracker.web.labels import INPUT_HINTS

INITIATIVE = 4


@pytest.fixture
def demo_org(app, client) -> int:
    return demo_signed_in(client, "contributor@novatechna.example")


def rate(client, org_id: int, **values: str):
    return client.post(f"/orgs/{org_id}/initiatives/{INITIATIVE}/raters", data=values)


def cell(page: str, attribute: str, field: str) -> str:
    match = re.search(rf'data-{attribute}="{field}">([^<]*)<', page)
    assert match, (attribute, field)
    return match.group(1)


def rater_names(org_id: int) -> list[str]:
    db.session.expire_all()
    org = db.session.get(Organization, org_id)
    return sorted(r.rater for r in initiatives.get_initiative(org, INITIATIVE).rater_inputs)


def test_two_raters_show_their_values_the_median_and_the_spread(client, demo_org):
    page = client.get(f"/orgs/{demo_org}/initiatives/{INITIATIVE}").text
    assert 'id="no-raters"' in page and '<label for="rater-job_size">' in page
    assert str(INPUT_HINTS["confidence"]) in page  # the meaning and scale beside the input

    assert rate(client, demo_org, rater="Ann", business_value="8", job_size="3",
                confidence="0.5").status_code == 303
    assert rate(client, demo_org, rater="Bob", business_value="13", job_size="5",
                confidence="0.8", ease="4").status_code == 303

    page = client.get(f"/orgs/{demo_org}/initiatives/{INITIATIVE}").text
    assert 'data-rater="Ann"' in page and 'data-rater="Bob"' in page
    # spread = max − min: business value 13 − 8 = 5, job size 5 − 3 = 2, confidence
    # 0.8 − 0.5 = 0.3, ease 4 − 4 = 0 (one rater); median: (8 + 13) / 2 = 10.5, (3 + 5) / 2
    # = 4, (0.5 + 0.8) / 2 = 0.65
    assert [cell(page, "spread", f) for f in ("business_value", "job_size", "confidence",
                                              "ease", "reach")] == ["5", "2", "0.3", "0", "–"]
    assert [cell(page, "median", f) for f in ("business_value", "job_size",
                                              "confidence")] == ["10.5", "4", "0.65"]
    assert rater_names(demo_org) == ["Ann", "Bob"]


def test_a_rater_is_changed_from_their_prefilled_form_and_removed(client, demo_org):
    rate(client, demo_org, rater="Ann", business_value="8", job_size="3")
    form = client.get(f"/orgs/{demo_org}/initiatives/{INITIATIVE}?rater=Ann").text
    assert 'value="Ann"' in form and "readonly" in form and 'value="8"' in form

    rate(client, demo_org, rater="Ann", business_value="5")
    org = db.session.get(Organization, demo_org)
    [row] = initiatives.get_initiative(org, INITIATIVE).rater_inputs
    assert (row.business_value, row.job_size) == (5.0, None)

    removed = client.post(f"/orgs/{demo_org}/initiatives/{INITIATIVE}/raters/remove",
                          data={"rater": "Ann"})
    assert removed.status_code == 303 and rater_names(demo_org) == []
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.initiative_id == INITIATIVE, AuditEvent.action == "unrate")).one()
    assert event.changes == {"rater": "Ann", "business_value": [5.0, None]}
    assert client.post(f"/orgs/{demo_org}/initiatives/{INITIATIVE}/raters/remove",
                       data={"rater": "Ann"}).status_code == 404


def test_bad_values_are_refused_beside_each_field_with_the_input_kept(client, demo_org):
    response = rate(client, demo_org, rater="", job_size="0", confidence="2", ease="hard",
                    reach="12")

    assert response.status_code == 422
    for key in ("rater", "rater-job_size", "rater-confidence", "rater-ease"):
        assert f'id="{key}-error"' in response.text, key
    assert 'id="rater-reach-error"' not in response.text
    assert 'value="hard"' in response.text and 'value="12"' in response.text
    nothing = rate(client, demo_org, rater="Ann")
    assert nothing.status_code == 422 and "Give at least one value." in nothing.text
    assert rater_names(demo_org) == []


def test_a_rater_name_is_escaped(client, demo_org):
    rate(client, demo_org, rater=XSS, ease="3")

    page = client.get(f"/orgs/{demo_org}/initiatives/{INITIATIVE}").text
    assert XSS not in page and "&lt;img src=x" in page


def test_viewers_read_the_raters_and_change_nothing(client, demo_org):
    rate(client, demo_org, rater="Ann", ease="3")
    sign_in(client, "sponsor@novatechna.example")

    page = client.get(f"/orgs/{demo_org}/initiatives/{INITIATIVE}").text
    assert 'data-rater="Ann"' in page and 'id="rater-form"' not in page
    assert rate(client, demo_org, rater="Zoe", ease="5").status_code == 403
    assert client.post(f"/orgs/{demo_org}/initiatives/{INITIATIVE}/raters/remove",
                       data={"rater": "Ann"}).status_code == 403
    assert rater_names(demo_org) == ["Ann"]


def test_another_organizations_initiative_is_not_found(client, demo_org):
    theirs = elsewhere()["initiative"]

    assert client.post(f"/orgs/{demo_org}/initiatives/{theirs}/raters",
                       data={"rater": "Ann", "ease": "3"}).status_code == 404
    assert client.post(f"/orgs/{demo_org}/initiatives/{theirs}/raters/remove",
                       data={"rater": "Ann"}).status_code == 404
