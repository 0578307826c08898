"""Committee pages: create with errors shown beside the fields, the committee's page with
its next meetings and decisions, the decision form's committee and dossier, the pack page
with its sections, counts and empty states, and deletion refused once it decided."""

from __future__ import annotations

import re

import pytest

from tracker.services.tenancy import accounts, organizations

PASSWORD = "a long enough password"


@pytest.fixture
def org_id(app, client) -> int:
    user = accounts.create_user("ops@example.org", PASSWORD, name="Olga")
    created = organizations.create_organization(user, {"name": "Acme"}).id
    response = client.post("/login", data={"email": "ops@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.text
    return created


def _create(client, org_id, **extra):
    form = {"name": "Portfolio board", "level": "portfolio", "cron": "0 9 * * 1",
            "timezone": "Europe/Paris", "member_emails": "cpo@acme.test, pmo@acme.test",
            **extra}
    return client.post(f"/orgs/{org_id}/committees", data=form)


def test_an_empty_list_names_the_next_step(client, org_id):
    page = client.get(f"/orgs/{org_id}/committees")
    assert page.status_code == 200
    assert 'id="no-committee"' in page.text and 'id="committee-form"' in page.text


def test_bad_settings_are_shown_beside_their_fields_with_the_input_kept(client, org_id):
    page = _create(client, org_id, cron="every monday", member_emails="nobody")
    assert page.status_code == 422
    assert re.search(r'id="cron-error"', page.text) and 'id="member_emails-error"' in page.text
    assert 'value="every monday"' in page.text


def test_a_committee_page_shows_its_meetings_and_its_decisions_with_their_dossier(
        client, org_id):
    created = _create(client, org_id)
    assert created.status_code == 303
    url = created.headers["Location"]
    page = client.get(url)
    assert page.status_code == 200
    assert page.text.count("<li>") >= 5 and 'id="next-meetings"' in page.text
    assert 'id="no-decision"' in page.text
    committee_id = int(url.rstrip("/").rsplit("/", 1)[1])
    logged = client.post(f"/orgs/{org_id}/decisions", data={
        "title": "Generalize release autonomy", "committee_id": str(committee_id),
        "committee": "", "decided_on": "2026-11-30", "participants": "CPO",
        "rationale": "", "options": "Generalize; extend; stop.",
        "risks": "Claims not ready."})
    assert logged.status_code == 303, logged.text
    log = client.get(f"/orgs/{org_id}/decisions")
    assert "Options considered" in log.text and "Generalize; extend; stop." in log.text
    page = client.get(url)
    assert "Generalize release autonomy" in page.text and "Claims not ready." in page.text
    refused = client.post(f"{url}/delete", follow_redirects=True)
    assert "they are history" in refused.text


def test_the_pack_page_lists_its_sections_with_counts_and_empty_states(client, org_id):
    url = _create(client, org_id).headers["Location"]
    pack = client.get(f"{url}/pack?date=2026-12-07")
    assert pack.status_code == 200
    assert "Meeting of" in pack.text and 'id="pack-pdf"' in pack.text
    assert pack.text.count('data-count="') == 8
    assert "No pilot awaits a decision." in pack.text
    assert "No baseline saved yet" in pack.text
    bad = client.get(f"{url}/pack?date=2026-13-45")
    assert bad.status_code == 422 and 'id="date-error"' in bad.text


def test_a_pack_schedule_is_created_from_the_form(client, org_id):
    url = _create(client, org_id).headers["Location"]
    committee_id = url.rstrip("/").rsplit("/", 1)[1]
    form = client.get(f"/orgs/{org_id}/schedules/new?kind=committee_pack"
                      f"&committee_id={committee_id}")
    assert f'<option value="{committee_id}" selected>' in form.text
    saved = client.post(f"/orgs/{org_id}/schedules/new", data={
        "kind": "committee_pack", "cron": "0 8 * * 5", "committee_id": committee_id})
    assert saved.status_code == 303, saved.text
    missing = client.post(f"/orgs/{org_id}/schedules/new", data={
        "kind": "committee_pack", "cron": "0 8 * * 5"})
    assert missing.status_code == 422 and 'id="committee_id-error"' in missing.text
