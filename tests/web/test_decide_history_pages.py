"""Reading an initiative's history in the browser: archiving behind a confirmation that
says what happens, the archiving listed in the decision log (not in the API's), the
decision form's links in pickers, "why it applies" of a suggested template in plain words,
and the audit trail (initiative page and organization log) with who, when in the
organization's time zone, human labels and formatted values."""

from __future__ import annotations

import html
import re

import pytest

from tests.playbook_scenario import WHY, playbook_scenario
from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.services.audit import audit
from tracker.services.decide import initiatives
from tracker.services.unit_of_work import transaction

PROPOSED = 12  # demo: "Map the product portfolio by lifecycle stage", proposed
PROPOSED_TITLE = "Map the product portfolio by lifecycle stage"
PASSWORD = "correct horse battery"  # the one `make_api` gives its users


@pytest.fixture
def demo_org(app, client) -> int:
    org_id = seed_demo()
    sign_in(client, "ops@novatechna.example")
    return org_id


def log_rows(page: str) -> list[str]:
    body = page.split('<table id="decisions-table">')[1].split("</table>")[0]
    return [html.unescape(row) for row in re.findall(r"<tr data-kind=.*?</tr>", body, re.S)]


def test_archiving_is_behind_a_confirmation_saying_what_happens(client, demo_org):
    page = html.unescape(client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}").text)

    confirm = page.split('<details class="confirm" id="archive-confirm">')[1].split(
        "</details>")[0]
    assert "<summary>Archive…</summary>" in confirm
    assert f"Archiving takes “{PROPOSED_TITLE}” out of the backlog" in confirm
    assert "Its pilots, decisions and audit trail are kept, it is listed in the decision " \
        "log, and it can be restored at any time." in confirm
    assert 'id="archive"' in confirm and 'type="submit"' in confirm


def test_an_archived_initiative_is_listed_in_the_decision_log(client, demo_org, app):
    before = log_rows(client.get(f"/orgs/{demo_org}/decisions").text)
    response = client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/archive")
    assert response.status_code == 303

    page = client.get(f"/orgs/{demo_org}/decisions").text
    rows = log_rows(page)
    assert len(rows) == len(before) + 1
    archived = next(row for row in rows if 'data-kind="archive"' in row)
    assert f"“{PROPOSED_TITLE}” archived" in archived
    assert "Hugo Mercier" in archived and "initiative archived" in archived
    assert f'href="/orgs/{demo_org}/initiatives/{PROPOSED}"' in archived
    searched = log_rows(client.get(f"/orgs/{demo_org}/decisions?q=portfolio+lifecycle").text)
    assert any('data-kind="archive"' in row for row in searched)
    csv = client.get(f"/orgs/{demo_org}/decisions.csv").text
    assert any(line.startswith("archive,") and PROPOSED_TITLE in line
               for line in csv.splitlines())

    client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/restore")
    kinds = [re.search(r'data-kind="(\w+)"', row).group(1)
             for row in log_rows(client.get(f"/orgs/{demo_org}/decisions").text)]
    assert kinds.count("archive") == 1 and kinds.count("restore") == 1


def test_the_decision_form_picks_its_links_by_name(client, demo_org):
    page = client.get(f"/orgs/{demo_org}/decisions").text
    # initiatives are typed or searched (no select of every initiative), pilots and findings
    # filtered in their select
    assert re.search(r'<label for="d-initiative-1">', page)
    assert re.search(r'<input type="text" id="d-initiative-1" name="initiative_ids" value=""'
                     r' list="d-initiative-1-options"', page)
    assert '<select id="d-initiative_ids"' not in page
    for name in ("pilot_ids", "finding_ids"):
        assert re.search(rf'<label for="d-{name}">', page)
        assert re.search(rf'<select id="d-{name}" name="{name}" multiple size="5" data-picker',
                         page)


def test_the_initiative_trail_says_who_when_and_what_in_words(client, demo_org):
    org = db.session.get(Organization, demo_org)
    org.timezone = "Europe/Paris"
    db.session.commit()
    roles = initiatives.usable_dimensions(org)["organisation.roles"].name
    response = client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/edit", data={
        "title": PROPOSED_TITLE, "status": "approved", "duration_weeks": "7.5",
        "pinned_start": "2027-03-01", "uplift_dimension": ["organisation.roles"],
        "uplift_expected": ["0.5"], "version": str(db.session.get(Initiative, PROPOSED).version)})
    assert response.status_code == 303, response.text
    with transaction():
        audit(db.session.get(Organization, demo_org), None, "initiative", PROPOSED, PROPOSED,
              "update", {"owner": [None, "Ops"]})

    page = html.unescape(client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}").text)
    trail = page.split('<table class="audit">')[1].split("</table>")[0]
    rows = re.findall(r"<tr>.*?</tr>", trail.split("<tbody>")[1], re.S)
    edit, system = rows[-2], rows[-1]
    assert '<td class="who">Hugo Mercier<br><span class="note">ops@novatechna.example' in edit
    assert "initiative #12 · changed" in edit
    assert '<span class="change-label">Status</span>: proposed → approved' in edit
    assert '<span class="change-label">Duration (weeks)</span>: ' in edit and "→ 7.5" in edit
    assert '<span class="change-label">Pinned start</span>: – → Mar 1, 2027' in edit
    assert re.search(rf'<span class="change-label">Expected uplifts</span>: [^<]* → {roles} '
                     r'\+0.5</li>', edit)
    assert "Europe/Paris" in edit
    for raw in ("duration_weeks", "pinned_start", ">uplifts", "finding_ids", "{'", "[None"):
        assert raw not in trail
    assert '<td class="who">system' in system


def test_the_audit_log_page_shows_the_same_words(client, app, demo_org):
    client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/archive")
    sign_in(client, "lead@novatechna.example")
    page = html.unescape(client.get(f"/orgs/{demo_org}/audit?entity=initiative"
                                    "&action=archive").text)
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert '<td class="who">Hugo Mercier<br><span class="note">ops@novatechna.example' in body
    assert "initiative #12 · archived" in body
    assert '<span class="change-label">Archived</span>: – → ' in body
    assert "archived_at" not in body and "T" not in body.split("→")[1].split("<")[0]


# --- why it applies, on a grid whose numbers are known (tests/playbook_scenario.py) ------

def test_why_it_applies_reads_in_plain_words(client, lead, admin):
    s = playbook_scenario(lead, admin)
    assert client.post("/login", data={"email": "lead@example.org",
                                       "password": PASSWORD}).status_code == 302
    page = client.get(f"/orgs/{s.org['id']}/assessments/{s.assessment['id']}/suggestions")
    assert page.status_code == 200
    why = html.unescape(re.search(r'<td class="why">(.*?)</td>', page.text, re.S).group(1))

    assert why == WHY  # the arithmetic is beside WHY
    api = lead.get(s.assessment_url("/suggested-initiatives")).json
    reason = api["findings"][0]["templates"][0]["reason"]
    assert reason.startswith("Lifts a.one named by the finding")  # the API keeps its reason
