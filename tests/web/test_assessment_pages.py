"""The assessment pages: the create form (errors beside the fields, back-entry dates for
leads only), the cockpit's open, close (confirmed) and reopen (a lead, with a reason) forms,
its completion without names for a viewer, and the next step it names per state."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.builders import Scenario, add_member
from tracker.extensions import db
from tracker.models import Assessment

PASSWORD = "correct horse battery"   # the one `make_api` gives its users


@pytest.fixture
def scenario(lead, admin, make_api) -> Scenario:
    """Acme with a draft diagnostic on the test grid, an ops and a viewer member."""
    built = Scenario(lead, admin)
    for role in ("ops", "viewer"):
        make_api(f"{role}@example.org")
        add_member(built.org["id"], f"{role}@example.org", role)
    return built


def _signed_in(app, email: str):
    browser = app.test_client()
    response = browser.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return browser


def _base(scenario: Scenario) -> str:
    return f"/orgs/{scenario.org['id']}/assessments"


def _cockpit(scenario: Scenario) -> str:
    return f"{_base(scenario)}/{scenario.assessment['id']}/cockpit"


def _field_errors(page: str) -> set[str]:
    return set(re.findall(r'<p class="field-error" id="([\w-]+)-error">', page))


def _status(scenario: Scenario) -> str:
    return db.session.get(Assessment, scenario.assessment["id"]).status


def test_a_new_assessment_without_title_or_framework_names_both_fields(app, scenario):
    browser = _signed_in(app, "ops@example.org")

    response = browser.post(f"{_base(scenario)}/new", data={"title": "", "kind": "pulse"})

    assert response.status_code == 422
    assert _field_errors(response.text) == {"title", "framework_id"}
    assert '<option value="pulse" selected>' in response.text
    for field in ("f-title", "f-kind", "f-framework_id"):
        assert f'<label for="{field}">' in response.text


def test_an_ops_member_creates_a_draft_and_lands_on_its_cockpit(app, scenario):
    browser = _signed_in(app, "ops@example.org")
    assert 'id="f-opened_at"' not in browser.get(f"{_base(scenario)}/new").text

    response = browser.post(f"{_base(scenario)}/new", data={
        "title": "Pulse Q3", "kind": "pulse", "framework_id": scenario.framework["id"]})

    created = db.session.query(Assessment).filter_by(title="Pulse Q3").one()
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/assessments/{created.id}/cockpit")
    assert (created.kind, created.status, created.opened_at) == ("pulse", "draft", None)


def test_only_a_lead_enters_a_past_campaign_with_its_dates(app, scenario):
    data = {"title": "Diagnostic 2025", "framework_id": scenario.framework["id"],
            "opened_at": "2025-03-03", "closed_at": "2025-03-28"}
    refused = _signed_in(app, "ops@example.org").post(f"{_base(scenario)}/new", data=data)
    assert refused.status_code == 403
    assert "lead" in refused.text

    response = _signed_in(app, "lead@example.org").post(f"{_base(scenario)}/new", data=data)

    created = db.session.query(Assessment).filter_by(title="Diagnostic 2025").one()
    assert response.status_code == 303
    assert (created.opened_at.date(), created.closed_at.date()) == (date(2025, 3, 3),
                                                                    date(2025, 3, 28))


def test_back_entry_dates_out_of_order_or_in_the_future_are_named(app, scenario):
    browser = _signed_in(app, "lead@example.org")
    future = (date.today() + timedelta(days=10)).isoformat()

    later = browser.post(f"{_base(scenario)}/new", data={
        "title": "Wrong", "framework_id": scenario.framework["id"],
        "opened_at": "2025-03-28", "closed_at": "2025-03-03"})
    ahead = browser.post(f"{_base(scenario)}/new", data={
        "title": "Ahead", "framework_id": scenario.framework["id"], "closed_at": future})

    assert later.status_code == ahead.status_code == 422
    assert _field_errors(later.text) == {"closed_at"}
    assert "cannot be before the opening date" in later.text
    assert 'value="2025-03-28"' in later.text
    assert "cannot be in the future" in ahead.text
    titles = Assessment.title.in_(["Wrong", "Ahead"])
    assert db.session.query(Assessment).filter(titles).count() == 0


def test_a_viewer_may_read_the_cockpit_but_not_create_or_move(app, scenario):
    browser = _signed_in(app, "viewer@example.org")

    assert browser.get(f"{_base(scenario)}/new").status_code == 403
    page = browser.get(_cockpit(scenario)).text
    assert 'id="open-form"' not in page
    assert browser.post(f"{_cockpit(scenario)}/status", data={"status": "open"}).status_code == 403
    assert _status(scenario) == "draft"


def test_an_outsider_gets_404(app, scenario, make_api):
    make_api("stranger@example.org")
    assert _signed_in(app, "stranger@example.org").get(_cockpit(scenario)).status_code == 404


def test_open_then_close_needs_the_confirmation_box(app, scenario):
    browser = _signed_in(app, "ops@example.org")
    scenario.add_respondent("Ann")

    assert browser.post(f"{_cockpit(scenario)}/status", data={"status": "open"}).status_code == 303
    assert _status(scenario) == "open"
    unconfirmed = browser.post(f"{_cockpit(scenario)}/status", data={"status": "closed"})
    assert unconfirmed.status_code == 422
    assert _field_errors(unconfirmed.text) == {"confirm"}
    assert _status(scenario) == "open"

    closed = browser.post(f"{_cockpit(scenario)}/status",
                          data={"status": "closed", "confirm": "1"})
    assert closed.status_code == 303 and _status(scenario) == "closed"


def _closed(scenario: Scenario) -> None:
    for status in ("open", "closed"):
        assert scenario.api.patch(scenario.assessment_url(),
                                  json={"status": status}).status_code == 200


def test_a_non_lead_cannot_reopen(app, scenario):
    _closed(scenario)
    browser = _signed_in(app, "ops@example.org")
    assert 'id="reopen-form"' not in browser.get(_cockpit(scenario)).text

    refused = browser.post(f"{_cockpit(scenario)}/status",
                           data={"status": "open", "reason": "typo"})

    assert refused.status_code == 403
    assert _status(scenario) == "closed"


def test_a_lead_reopens_with_a_reason_and_without_one_is_told_beside_the_field(app, scenario):
    _closed(scenario)
    browser = _signed_in(app, "lead@example.org")

    missing = browser.post(f"{_cockpit(scenario)}/status", data={"status": "open", "reason": ""})
    assert missing.status_code == 422
    assert _field_errors(missing.text) == {"reason"}
    assert _status(scenario) == "closed"

    done = browser.post(f"{_cockpit(scenario)}/status",
                        data={"status": "open", "reason": "Bob's rating was mistyped."})
    assert done.status_code == 303 and _status(scenario) == "open"
    corrections = browser.get(f"{_base(scenario)}/{scenario.assessment['id']}").text
    assert "Bob&#39;s rating was mistyped." in corrections


def _add_teams(scenario: Scenario) -> None:
    """Claims 3 (Ann fully, Bob partly, Cid not yet), billing 3 (Dan, Eve fully, Fay not
    yet), HR 1 (Gus partly: below min_group_size)."""
    rated = {"Ann": 4, "Bob": 2, "Cid": 0, "Dan": 4, "Eve": 4, "Fay": 0, "Gus": 1}
    teams = {"Ann": "claims", "Bob": "claims", "Cid": "claims", "Dan": "billing",
             "Eve": "billing", "Fay": "billing", "Gus": "hr"}
    rows = []
    for name, count in rated.items():
        rid = scenario.add_respondent(name, team=teams[name])
        rows += [{"respondent_id": rid, "dimension": code, "value": 3}
                 for code in ("a.one", "a.two", "b.one", "b.two")[:count]]
    assert scenario.rate(rows).status_code == 200


def _row(page: str, tbody: str, label: str) -> list[str]:
    section = page.split(f'id="{tbody}"')[1].split("</tbody>")[0]
    row = section.split(f"<th scope=\"row\">{label}</th>")[1].split("</tr>")[0]
    return re.findall(r'<td class="num">(\d+)</td>', row)


def test_the_cockpit_shows_completion_by_group_and_names_only_to_ops(app, scenario):
    _add_teams(scenario)

    viewer = _signed_in(app, "viewer@example.org").get(_cockpit(scenario)).text
    ops = _signed_in(app, "ops@example.org").get(_cockpit(scenario)).text

    assert _row(viewer, "completion-overall", "All respondents") == ["3", "2", "2", "7"]
    assert _row(viewer, "completion-team", "billing") == ["2", "0", "1", "3"]
    assert _row(viewer, "completion-team", "claims") == ["1", "1", "1", "3"]
    assert ">hr<" not in viewer
    assert "1 respondent in groups too small to be shown" in viewer
    for name in ("Ann", "Gus", "Cid"):
        assert name not in viewer
    assert 'id="completion-people"' in ops and "Gus: 1 of 4 dimensions" in ops


@pytest.mark.parametrize(("moves", "respondent", "step"), [
    ((), False, "add_respondents"), ((), True, "open"), (("open",), True, "remind"),
    (("open", "closed"), True, "read")])
def test_the_cockpit_names_the_next_step(app, scenario, moves, respondent, step):
    if respondent:
        scenario.add_respondent("Ann")
    for status in moves:
        scenario.api.patch(scenario.assessment_url(), json={"status": status})

    page = _signed_in(app, "lead@example.org").get(_cockpit(scenario)).text

    assert f'data-step="{step}"' in page
    if step == "read":
        assert f'/assessments/{scenario.assessment["id"]}/report' in page


def test_a_missing_title_and_bad_dates_are_reported_in_one_submission(app, scenario):
    response = _signed_in(app, "lead@example.org").post(f"{_base(scenario)}/new", data={
        "title": "", "framework_id": scenario.framework["id"],
        "opened_at": "2025-03-28", "closed_at": "2025-03-03"})

    assert response.status_code == 422
    assert _field_errors(response.text) == {"title", "closed_at"}


def test_the_list_offers_a_new_assessment_to_ops_and_a_cockpit_link_to_all(app, scenario):
    ops = _signed_in(app, "ops@example.org").get(_base(scenario)).text
    viewer = _signed_in(app, "viewer@example.org").get(_base(scenario)).text

    assert 'id="new-assessment"' in ops and 'id="new-assessment"' not in viewer
    assert f'href="{_cockpit(scenario)}"' in viewer


def test_the_list_shows_fifty_assessments_a_page_newest_first(app, scenario):
    org_id, framework_id = scenario.org["id"], db.session.get(
        Assessment, scenario.assessment["id"]).framework_id
    db.session.add_all([Assessment(org_id=org_id, framework_id=framework_id,
                                   title=f"Wave {n:02d}", kind="diagnostic", status="draft")
                        for n in range(1, 55)])
    db.session.commit()
    viewer = _signed_in(app, "viewer@example.org")

    first = viewer.get(_base(scenario)).text
    second = viewer.get(f"{_base(scenario)}?page=2").text
    past = viewer.get(f"{_base(scenario)}?page=9")

    titles = re.compile(r'/cockpit" aria-label="Cockpit of ([^"]+)"')
    assert titles.findall(first)[:2] == ["Wave 54", "Wave 53"]
    assert len(titles.findall(first)) == 50 and "Page 1 of 2" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    # 55 in all: the 54 waves and the scenario's own draft, the oldest
    assert len(titles.findall(second)) == 5 and 'rel="prev"' in second
    assert titles.findall(second)[-1] == scenario.assessment["title"]
    assert past.status_code == 200 and "past the end of the list" in past.text
