"""The initiative's forms and page on the demo organization: every bad field reported in one
submission, the status offering only the allowed moves, moves carrying their actual dates,
archive and restore, delete with a confirmation (refused with history), the backlog's
done-and-dropped filter and adopted templates marked in the suggestions."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative
from tracker.seeding.playbook import seed_playbook

# demo initiatives (seeds/demo/novatechna.yaml, in order): 1 "Role cards..." is done,
# 4 has a pilot, 7 is approved, 12 is proposed
DONE, PILOTED, APPROVED, PROPOSED = 1, 4, 7, 12
PROPOSED_TITLE = "Map the product portfolio by lifecycle stage"


@pytest.fixture
def demo_org(app, client) -> int:
    org_id = seed_demo()
    sign_in(client, "lead@novatechna.example")
    return org_id


def field_errors(page: str) -> set[str]:
    return set(re.findall(r'<p class="field-error" id="([\w-]+)-error">', page))


def status_options(page: str) -> list[str]:
    select = re.search(r'<select id="f-status".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="(\w+)"', select)


def row_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', page)]


def test_a_form_with_bad_fields_reports_them_all_in_one_submission(client, demo_org):
    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "", "duration_weeks": "abc", "job_size": "0", "finding_ids": "999999",
        "uplift_dimension": "zz.unknown", "uplift_expected": "1",
        "actual_start": "2026-03-05", "actual_end": "2026-03-04"})

    assert response.status_code == 422
    assert field_errors(response.text) == {"title", "duration_weeks", "job_size",
                                           "finding_ids", "uplifts", "actual_end"}
    assert "Unknown dimension &#39;zz.unknown&#39;." in response.text
    assert "Must not be before the actual start (2026-03-05)." in response.text


def test_an_edit_with_a_bad_move_and_bad_fields_reports_them_together(client, demo_org):
    response = client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/edit", data={
        "title": "Map the portfolio", "status": "done", "duration_weeks": "-1",
        "ease": "11"})

    assert response.status_code == 422
    assert field_errors(response.text) == {"status", "duration_weeks", "ease"}
    assert db.session.get(Initiative, PROPOSED).status == "proposed"


def test_the_status_field_offers_the_allowed_moves_and_the_current_status(client, demo_org):
    proposed = client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}/edit").text
    done = client.get(f"/orgs/{demo_org}/initiatives/{DONE}/edit").text
    new = client.get(f"/orgs/{demo_org}/initiatives/new").text

    assert status_options(proposed) == ["proposed", "approved", "piloting", "dropped"]
    assert status_options(done) == ["in_progress", "done"]
    assert status_options(new) == ["proposed", "approved", "in_progress", "piloting", "done",
                                   "dropped"]


def test_a_move_in_the_form_sets_the_actual_start_and_the_plan_still_answers(client,
                                                                           demo_org):
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    form = client.get(f"/orgs/{demo_org}/initiatives/{APPROVED}/edit").text
    assert 'id="f-actual_start"' in form and 'id="f-actual_end"' in form

    moved = client.post(f"/orgs/{demo_org}/initiatives/{APPROVED}/edit", data={
        "title": "Product operations", "status": "in_progress", "duration_weeks": "16"})

    assert moved.status_code == 303
    assert db.session.get(Initiative, APPROVED).actual_start == today
    assert client.get(f"/orgs/{demo_org}/roadmap").status_code == 200
    page = client.get(f"/orgs/{demo_org}/initiatives/{APPROVED}/edit").text
    assert f'name="actual_start" type="date" value="{today.isoformat()}"' in page


def plan_count(client, org_id: int) -> int:
    """How many initiatives the dependency page's plan overview counts: those in its waves
    plus those it leaves out (the page counts them; it no longer draws every node)."""
    page = client.get(f"/orgs/{org_id}/dependencies").text
    found = re.search(r'data-planned="(\d+)" data-unplanned="(\d+)"', page)
    return int(found.group(1)) + int(found.group(2))


def test_archive_takes_an_initiative_off_the_backlog_and_restore_brings_it_back(client,
                                                                              demo_org):
    before = plan_count(client, demo_org)
    archived = client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/archive")
    assert archived.status_code == 303

    page = client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}").text
    assert 'id="archived"' in page and 'id="restore"' in page and 'id="archive"' not in page
    assert "Initiative archived" in page
    assert PROPOSED not in row_ids(client.get(f"/orgs/{demo_org}/backlog?include_done=1").text)
    assert plan_count(client, demo_org) == before - 1
    focused = client.get(f"/orgs/{demo_org}/dependencies?focus={PROPOSED}").text
    assert 'id="focus-center"' in focused and "(archived)" in focused

    client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/restore")

    assert PROPOSED in row_ids(client.get(f"/orgs/{demo_org}/backlog").text)
    assert plan_count(client, demo_org) == before
    assert 'id="archived"' not in client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}").text


def test_delete_asks_for_a_confirmation_and_is_refused_with_history(client, demo_org):
    created = client.post(f"/orgs/{demo_org}/initiatives/new", data={"title": "Fresh idea"})
    fresh = int(created.headers["Location"].rsplit("/", 1)[1])
    assert 'id="delete-form"' in client.get(f"/orgs/{demo_org}/initiatives/{fresh}").text

    unconfirmed = client.post(f"/orgs/{demo_org}/initiatives/{fresh}/delete")
    assert unconfirmed.status_code == 422 and 'id="delete-error"' in unconfirmed.text
    deleted = client.post(f"/orgs/{demo_org}/initiatives/{fresh}/delete", data={"confirm": "1"})
    assert deleted.status_code == 303 and db.session.get(Initiative, fresh) is None

    page = client.get(f"/orgs/{demo_org}/initiatives/{PILOTED}").text
    assert 'id="no-delete"' in page and 'id="delete-form"' not in page
    assert "archive it instead" in page and "1 pilot." in page
    refused = client.post(f"/orgs/{demo_org}/initiatives/{PILOTED}/delete",
                          data={"confirm": "1"})
    assert refused.status_code == 409 and 'id="delete-error"' in refused.text
    assert db.session.get(Initiative, PILOTED) is not None


def test_the_backlog_page_hides_done_and_dropped_until_asked(client, demo_org):
    default = client.get(f"/orgs/{demo_org}/backlog").text
    everything = client.get(f"/orgs/{demo_org}/backlog?include_done=1").text

    assert DONE not in row_ids(default) and 'id="include-done"' in default
    assert "Done and dropped initiatives are hidden." in default
    assert DONE in row_ids(everything)
    assert re.search(r'id="include-done"[^>]*checked', everything)


def test_the_suggestions_mark_an_adopted_template_and_refuse_it_again(client, demo_org):
    seed_playbook()
    url = f"/orgs/{demo_org}/assessments/1/suggestions"
    adopted = client.post(url, data={"template_codes": "clarify-product-roles"})
    assert adopted.status_code == 201
    created = db.session.query(Initiative).filter_by(
        template_code="clarify-product-roles").one()

    page = client.get(url).text
    row = re.search(r'<tr data-code="clarify-product-roles" class="adopted">.*?</tr>', page,
                    re.S).group(0)
    assert f'/orgs/{demo_org}/initiatives/{created.id}">{created.title}</a>' in row
    assert 'value="clarify-product-roles"' not in row  # no box to adopt it again
    again = client.post(url, data={"template_codes": "clarify-product-roles"})
    assert again.status_code == 422
    assert f"already adopted as initiative {created.id}" in again.text
