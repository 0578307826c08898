"""The respondents pages of an assessment on the demo organization: ops and leads only;
add, edit and remove through the services with errors beside the fields; a pasted or
uploaded (.xlsx) list previewed with every bad cell named and added all or nothing; the
survey invitations and reminders queued in the outbox once per respondent; the copy
button beside each personal link."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Assessment, Organization, Rating, Respondent
from tracker.models.outbox import OutboxMessage
from tracker.services.follow import outbox
from tracker.services.frame import frameworks
from tracker.services.observe import assessments

HEADER = "name,email,role,team,level,source"


@pytest.fixture
def campaign(app, client) -> dict[str, int]:
    """A new open assessment of the demo organization on the demo's grid, and a lead
    signed in; its ids."""
    org_id = seed_demo()
    org = db.session.get_one(Organization, org_id)
    framework_id = db.session.scalar(db.select(Assessment.framework_id)
                                     .where(Assessment.org_id == org_id))
    created = assessments.create_assessment(org, {"framework_id": framework_id,
                                                  "title": "Campaign 2027", "kind": "pulse"})
    assessment_id = created.id
    assessments.update_assessment(org, assessment_id, {"status": "open"})
    sign_in(client, "lead@novatechna.example")
    return {"org": org_id, "assessment": assessment_id}


def base(ids: dict[str, int]) -> str:
    return f"/orgs/{ids['org']}/assessments/{ids['assessment']}/respondents"


def names(ids: dict[str, int]) -> list[str]:
    return list(db.session.scalars(db.select(Respondent.name).where(
        Respondent.assessment_id == ids["assessment"]).order_by(Respondent.id)))


def add(client, ids: dict[str, int], **fields: str):
    return client.post(f"{base(ids)}/new", data={"source": "survey", **fields})


def respondent(ids: dict[str, int], name: str) -> Respondent:
    return db.session.scalars(db.select(Respondent).where(
        Respondent.assessment_id == ids["assessment"], Respondent.name == name)).one()


def survey_messages(ids: dict[str, int]) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.dedupe_key.startswith(f"survey:{ids['assessment']}:"))
        .order_by(OutboxMessage.id)))


@pytest.mark.parametrize("who", ["sponsor", "contributor"])  # viewer, contributor
def test_viewers_and_contributors_get_403_on_every_respondents_page(client, campaign, who):
    add(client, campaign, name="Ann", email="ann@x.example")
    ann = respondent(campaign, "Ann").id
    sign_in(client, f"{who}@novatechna.example")

    assert client.get(base(campaign)).status_code == 403
    assert client.get(f"{base(campaign)}/{ann}/edit").status_code == 403
    for path in ("new", f"{ann}/edit", f"{ann}/delete", f"{ann}/invitation", "import",
                 "invitations", "reminders"):
        assert client.post(f"{base(campaign)}/{path}", data={"name": "X"}).status_code == 403
    assert names(campaign) == ["Ann"]


def test_ops_see_the_list_with_completion_and_the_empty_state_names_the_next_step(
        client, campaign):
    sign_in(client, "ops@novatechna.example")
    empty = client.get(base(campaign))
    assert empty.status_code == 200
    assert "No respondent yet" in empty.text and 'href="#add-title"' in empty.text

    add(client, campaign, name="Ann", email="ann@x.example", role="PM", team="Pricing")
    page = client.get(base(campaign)).text
    assert "ann@x.example" in page and "Pricing" in page
    assert re.search(r'class="completion">0 / \d+<', page)
    crumb = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', page, re.S).group(0)
    assert f'/orgs/{campaign["org"]}/assessments/{campaign["assessment"]}' in crumb


def test_the_copy_button_points_at_the_personal_link_shown_as_text(client, campaign):
    add(client, campaign, name="Ann", email="ann@x.example")
    ann = respondent(campaign, "Ann")
    page = client.get(base(campaign)).text

    link = re.search(rf'<code class="survey-link" id="link-{ann.id}">([^<]+)</code>', page)
    assert link.group(1).endswith(f"/survey/{ann.survey_token}")
    assert f'data-copy="link-{ann.id}"' in page
    assert re.search(r'src="/static/js/copy\.[0-9a-f]{12}\.js"', page) and "<script>" not in page


def test_adding_one_keeps_the_input_and_shows_every_error_beside_its_field(client, campaign):
    add(client, campaign, name="Ann")
    response = add(client, campaign, name="Ann", email="not-an-email", team="Sales",
                   source="rumour")

    assert response.status_code == 422
    ids = set(re.findall(r'<p class="field-error" id="r-([\w-]+)-error">', response.text))
    assert ids == {"email", "source"}
    assert 'value="not-an-email"' in response.text and 'value="Sales"' in response.text
    duplicate = add(client, campaign, name="Ann", email="ann@x.example")
    assert duplicate.status_code == 422
    assert 'id="r-name-error"' in duplicate.text
    assert names(campaign) == ["Ann"]


def test_edit_saves_through_the_service_and_refuses_a_taken_name(client, campaign):
    add(client, campaign, name="Ann")
    add(client, campaign, name="Bob")
    ann = respondent(campaign, "Ann").id
    edit = f"{base(campaign)}/{ann}/edit"
    assert 'value="Ann"' in client.get(edit).text

    refused = client.post(edit, data={"name": "Bob", "email": "", "source": "survey"})
    assert refused.status_code == 422 and 'id="r-name-error"' in refused.text

    saved = client.post(edit, data={"name": "Anne", "email": "anne@x.example",
                                    "team": "Ops", "source": "interview"})
    assert saved.status_code == 303
    changed = db.session.get(Respondent, ann)
    assert (changed.name, changed.email, changed.team, changed.source) == \
        ("Anne", "anne@x.example", "Ops", "interview")


def test_remove_deletes_a_respondent_without_ratings_and_refuses_one_with(client, campaign):
    add(client, campaign, name="Ann")
    add(client, campaign, name="Bob")
    ann, bob = respondent(campaign, "Ann").id, respondent(campaign, "Bob").id
    dimension_id = db.session.scalar(db.select(Rating.dimension_id))
    db.session.add(Rating(org_id=campaign["org"], assessment_id=campaign["assessment"],
                          respondent_id=bob, dimension_id=dimension_id, value=3))
    db.session.commit()

    assert client.post(f"{base(campaign)}/{ann}/delete").status_code == 303
    refused = client.post(f"{base(campaign)}/{bob}/delete", follow_redirects=True)
    assert "Bob has already given ratings" in refused.text
    assert names(campaign) == ["Bob"]


def test_a_pasted_list_with_one_bad_cell_shows_every_error_and_adds_nothing(client, campaign):
    add(client, campaign, name="Ann")
    pasted = "\ufeff" + "\n".join([
        "name;email;role;team;level;source",
        "Carl;carl@x.example;PM;Pricing;team;survey",
        "Dana;dana-at-x;Dev;Pricing;team;survey",
        "Eve;;Dev;Ops;leader;rumour",
        "ann;;;;;",
        "Carl;;;;;document"])

    preview = client.post(f"{base(campaign)}/import", data={"step": "preview", "list": pasted})
    assert preview.status_code == 422
    for cell in ("row 3, email", "row 4, source", "row 5, name", "row 6, name"):
        assert cell in preview.text
    assert 'id="confirm-add"' not in preview.text
    confirmed = client.post(f"{base(campaign)}/import", data={"step": "confirm", "list": pasted})
    assert confirmed.status_code == 422
    assert names(campaign) == ["Ann"]


def test_a_good_pasted_list_is_previewed_then_added_whole(client, campaign):
    pasted = f"{HEADER}\nCarl,carl@x.example,PM,Pricing,team,survey\nDana,,Dev,Ops,,\n"
    preview = client.post(f"{base(campaign)}/import", data={"step": "preview", "list": pasted})
    assert preview.status_code == 200 and "Add these 2 respondents" in preview.text
    assert names(campaign) == []

    carried = re.search(r'name="list" value="([^"]*)"', preview.text).group(1)
    added = client.post(f"{base(campaign)}/import",
                        data={"step": "confirm", "list": html.unescape(carried)})
    assert added.status_code == 303
    assert names(campaign) == ["Carl", "Dana"]
    assert respondent(campaign, "Dana").source == "survey"


def test_an_uploaded_xlsx_is_previewed_and_added(client, campaign):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "email", "role", "team", "level", "source"])
    sheet.append(["Fay", "fay@x.example", "PM", "Pricing", "team", "survey"])
    sheet.append(["Gus", None, "Lead", "Ops", "leader", "interview"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = client.post(f"{base(campaign)}/import", content_type="multipart/form-data",
                          data={"step": "preview",
                                "file": (io.BytesIO(buffer.getvalue()), "people.xlsx")})
    assert preview.status_code == 200, preview.text
    assert "Fay" in preview.text and "Add these 2 respondents" in preview.text
    carried = html.unescape(re.search(r'name="list" value="([^"]*)"', preview.text).group(1))
    assert client.post(f"{base(campaign)}/import",
                       data={"step": "confirm", "list": carried}).status_code == 303
    assert names(campaign) == ["Fay", "Gus"]
    assert respondent(campaign, "Gus").source == "interview"


def test_invitations_are_queued_once_per_respondent_with_an_email(client, campaign):
    add(client, campaign, name="Ann", email="ann@x.example")
    add(client, campaign, name="Bob", email="bob@x.example")
    add(client, campaign, name="Cid")
    assert "Send invitations (2)" in client.get(base(campaign)).text

    first = client.post(f"{base(campaign)}/invitations", follow_redirects=True)
    assert "2 invitations queued." in first.text
    second = client.post(f"{base(campaign)}/invitations", follow_redirects=True)
    assert "0 invitations queued." in second.text
    messages = survey_messages(campaign)
    assert sorted(m.recipient for m in messages) == ["ann@x.example", "bob@x.example"]
    ann = respondent(campaign, "Ann")
    assert f"/survey/{ann.survey_token}" in next(m.text for m in messages
                                                 if m.recipient == "ann@x.example")
    assert "Send invitations (0)" in second.text and "(queued)" in second.text
    again = client.post(f"{base(campaign)}/{ann.id}/invitation", follow_redirects=True)
    assert "1 invitation queued." in again.text
    assert [m.dedupe_key.rsplit(":", 1)[1] for m in survey_messages(campaign)][-1] == \
        "invitation#1"


def test_queued_invitations_land_as_eml_files_in_the_mail_folder(app, client, campaign):
    add(client, campaign, name="Ann", email="ann@x.example")
    token = respondent(campaign, "Ann").survey_token
    client.post(f"{base(campaign)}/invitations")
    folder = Path(app.config["TRACKER_MAIL_DIR"])
    before = set(folder.glob("*.eml"))  # the session's mail folder keeps other tests' mail

    assert outbox.deliver_pending(app.config).sent == 1
    files = list(set(folder.glob("*.eml")) - before)
    assert len(files) == 1 and f"http://tracker.test/survey/{token}" in files[0].read_text()


def test_reminders_go_only_to_the_unfinished_once_a_week_unless_again(client, campaign):
    for name in ("Ann", "Bob"):
        add(client, campaign, name=name, email=f"{name.lower()}@x.example")
    bob = respondent(campaign, "Bob").id
    grid = frameworks.load_framework(db.session.get_one(
        Assessment, campaign["assessment"]).framework_id)
    for dimension in frameworks.dimensions_by_code(grid).values():  # Bob has finished
        db.session.add(Rating(org_id=campaign["org"], assessment_id=campaign["assessment"],
                              respondent_id=bob, dimension_id=dimension.id, value=3))
    db.session.commit()

    first = client.post(f"{base(campaign)}/reminders", follow_redirects=True)
    assert "1 reminder queued." in first.text
    assert "0 reminders queued." in client.post(f"{base(campaign)}/reminders",
                                                follow_redirects=True).text
    again = client.post(f"{base(campaign)}/reminders", data={"again": "1"},
                        follow_redirects=True)
    assert "1 reminder queued." in again.text
    assert [m.recipient for m in survey_messages(campaign)] == ["ann@x.example"] * 2


def test_emails_wait_for_the_assessment_to_open(client, campaign):
    org = db.session.get_one(Organization, campaign["org"])
    draft = assessments.create_assessment(org, {"framework_id": db.session.get(
        Assessment, campaign["assessment"]).framework_id, "title": "Draft", "kind": "pulse"})
    ids = {"org": campaign["org"], "assessment": draft.id}
    db.session.commit()
    add(client, ids, name="Ann", email="ann@x.example")

    refused = client.post(f"{base(ids)}/invitations", follow_redirects=True)
    assert "Open the assessment first" in refused.text
    assert survey_messages(ids) == []


def test_a_bad_header_or_a_file_that_is_no_workbook_is_named_beside_the_list(client, campaign):
    header = client.post(f"{base(campaign)}/import",
                         data={"step": "preview", "list": "nom,email\nAnn,a@x.example"})
    assert header.status_code == 422
    assert 'id="r-list-error"' in header.text and "row 1, name" in header.text
    assert "nom,email" in header.text

    garbage = client.post(f"{base(campaign)}/import", content_type="multipart/form-data",
                          data={"step": "preview",
                                "file": (io.BytesIO(b"PK\x03\x04 not a zip"), "people.xlsx")})
    assert garbage.status_code == 422 and "not an Excel workbook (.xlsx)" in garbage.text
    assert names(campaign) == []
