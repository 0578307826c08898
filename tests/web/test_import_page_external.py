"""An initiative's external key and link in its form and page: the key shown as a link to the
tool's page when both are set, a link that is not http(s) refused beside its field by name,
and the edit form keeping and changing both."""

from __future__ import annotations

import re

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative

JIRA = "https://jira.example.com/browse/OPS-12"


@pytest.fixture
def org(client, app) -> int:
    org = seed_demo()
    sign_in(client, "ops@novatechna.example")
    return org


def _create(client, org: int, **fields: str):
    return client.post(f"/orgs/{org}/initiatives/new", data={"title": "Enforce MFA", **fields})


def test_the_key_is_a_link_to_the_tool_on_the_initiative_page(client, org):
    created = _create(client, org, external_key="OPS-12", external_url=JIRA)

    assert created.status_code == 303, created.text
    page = client.get(created.location).text
    assert re.search(rf'id="initiative-external">External key: <a href="{JIRA}" '
                     r'rel="noopener noreferrer">OPS-12</a>', page)
    made = db.session.scalars(db.select(Initiative).where(
        Initiative.org_id == org, Initiative.external_key == "OPS-12")).one()
    assert made.external_url == JIRA


@pytest.mark.parametrize("url", ["ftp://jira.example.com/OPS-12", "javascript:alert(1)",
                                 "jira.example.com/browse/OPS-12"])
def test_a_link_that_is_not_http_is_refused_beside_its_field(client, org, url):
    before = db.session.scalar(db.select(db.func.count()).select_from(Initiative))

    refused = _create(client, org, external_key="OPS-12", external_url=url)

    assert refused.status_code == 422
    assert re.search(r'<p class="field-error" id="external_url-error">The external link must '
                     r'be an http:// or https:// address', refused.text)
    assert re.search(r'id="f-external_url"[^>]*aria-invalid="true"', refused.text)
    assert 'value="OPS-12"' in refused.text  # what was typed stays
    assert db.session.scalar(db.select(db.func.count()).select_from(Initiative)) == before


def test_the_edit_form_shows_and_changes_both_and_a_key_alone_is_plain_text(client, org):
    created = _create(client, org, external_key="OPS-12", external_url=JIRA)
    edit = created.location + "/edit"
    form = client.get(edit).text
    assert f'value="{JIRA}"' in form and 'value="OPS-12"' in form
    version = re.search(r'name="version" value="(\d+)"', form).group(1)

    saved = client.post(edit, data={"title": "Enforce MFA", "status": "proposed",
                                    "version": version, "external_key": "SEC-2",
                                    "external_url": ""})

    assert saved.status_code == 303, saved.text
    page = client.get(created.location).text
    assert re.search(r'id="initiative-external">External key: SEC-2</span>', page)
    assert f'<a href="{JIRA}"' not in page  # the audit trail still tells the old link
