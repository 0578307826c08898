"""The phases editor at /orgs/<id>/roadmap/phases: leads add, edit, move and remove the
roadmap's phases in one form; a refused save answers 422 with each error beside its field
and every input kept; others read the phases; another organization's phases are 404."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.web.plan_helpers import lead_of_new_org, member_signed_in, outsider_signed_in
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.plan import roadmap

LEAD = "lead@phases.example"

#: Three phases over the textbook network planned from Monday 2025-01-06 (unlimited):
#: A 6 w ends 02-17, B and C 2 w end 03-03, D 3 w ends 03-24, F 2 w ends 03-17,
#: E 4 w ends 04-21, G 1 w ends 04-28 (ends are exclusive; a phase holds what ends in
#: `start < end <= phase end`).
THREE = [("Foundations", "2025-01-06", "2025-03-03"), ("Scale", "2025-03-03", "2025-04-07"),
         ("Sustain", "2025-04-07", "2025-05-05")]


@pytest.fixture
def org(app, client) -> int:
    return lead_of_new_org(client, LEAD, "Phased")


def form(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    """The editor's fields for these rows, plus the blank row that adds a phase."""
    data = {"rows": str(len(rows) + 1)}
    for i, (name, start, end) in enumerate([*rows, ("", "", "")]):
        data |= {f"name-{i}": name, f"start-{i}": start, f"end-{i}": end}
    return data


def stored(org_id: int) -> list[tuple[str, str, str]]:
    return [(p.name, p.start.isoformat(), p.end.isoformat())
            for p in roadmap.list_phases(db.session.get(Organization, org_id), 1, 50).items]


def error_of(page: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page)
    assert match, f"no error beside {field}"
    return match.group(1)


def test_an_empty_editor_names_the_next_step_and_the_roadmap_links_to_it(client, org):
    page = client.get(f"/orgs/{org}/roadmap/phases")
    assert page.status_code == 200
    assert 'id="no-phase"' in page.text and 'href="#phase-0"' in page.text
    assert '<label for="name-0">' in page.text and '<label for="end-0">' in page.text
    add_network(org, TEXTBOOK, TEXTBOOK_EDGES)
    assert f'href="/orgs/{org}/roadmap/phases"' in client.get(f"/orgs/{org}/roadmap").text


def test_a_lead_adds_three_phases_one_at_a_time_and_the_roadmap_uses_them(client, org):
    ids = add_network(org, TEXTBOOK, TEXTBOOK_EDGES)
    for count in (1, 2, 3):
        response = client.post(f"/orgs/{org}/roadmap/phases", data=form(THREE[:count]))
        assert response.status_code == 303
    assert stored(org) == THREE
    page = client.get(f"/orgs/{org}/roadmap/phases").text
    assert page.index("Foundations") < page.index("Scale") < page.index("Sustain")
    plan = roadmap.get_roadmap(db.session.get(Organization, org),
                               roadmap.PlanParams(date(2025, 1, 6)))
    phase_of = {e.initiative_id: e.phase for e in plan.initiatives}
    assert [phase_of[ids[n]] for n in "ABCDFEG"] == [
        "Foundations", "Foundations", "Foundations", "Scale", "Scale", "Sustain", "Sustain"]


def test_errors_are_named_per_field_and_the_input_is_kept(client, org):
    client.post(f"/orgs/{org}/roadmap/phases", data=form(THREE[:1]))
    data = form([THREE[0], ("Backwards", "2025-03-10", "2025-03-03"),
                 ("Overlap", "2025-02-24", "2025-03-31")])
    data |= {"name-3": "Half typed", "start-3": "2025-06-02"}

    response = client.post(f"/orgs/{org}/roadmap/phases", data=data)

    assert response.status_code == 422
    text = response.text
    assert error_of(text, "end-1") == "must be after start"
    assert error_of(text, "start-2") == "overlaps phase &#39;Foundations&#39;"
    assert error_of(text, "end-3")  # the added row has no end yet
    assert 'id="end-1" name="end-1" value="2025-03-03" aria-invalid="true"' in text
    assert 'value="Half typed"' in text and 'value="Overlap"' in text
    assert stored(org) == [THREE[0]]  # nothing saved


def test_a_phase_needs_a_name_and_a_real_date(client, org):
    response = client.post(f"/orgs/{org}/roadmap/phases",
                           data=form([("", "2025-01-06", "someday")]))
    assert response.status_code == 422
    assert error_of(response.text, "name-0") and error_of(response.text, "end-0")
    assert 'value="someday"' in response.text


def test_editing_renames_and_moves_dates_and_emptying_a_row_removes_it(client, org):
    client.post(f"/orgs/{org}/roadmap/phases", data=form(THREE))
    edited = [("Foundations and pilots", "2025-01-06", "2025-03-10"),
              ("", "", ""), ("Sustain", "2025-04-07", "2025-05-05")]
    assert client.post(f"/orgs/{org}/roadmap/phases", data=form(edited)).status_code == 303
    assert stored(org) == [("Foundations and pilots", "2025-01-06", "2025-03-10"), THREE[2]]


def test_moving_a_phase_swaps_windows_keeping_lengths_and_the_gap(client, org):
    # Foundations [01-06, 03-03) is 8 weeks, Scale [03-03, 04-07) 5 weeks, no gap: Scale
    # moved earlier runs 01-06 + 5 w = 02-10, then Foundations 02-10 + 8 w = 04-07.
    client.post(f"/orgs/{org}/roadmap/phases", data=form(THREE))
    scale = roadmap.list_phases(db.session.get(Organization, org), 1, 50).items[1].id
    response = client.post(f"/orgs/{org}/roadmap/phases/{scale}/move",
                           data={"direction": "earlier"})
    assert response.status_code == 303
    assert stored(org) == [("Scale", "2025-01-06", "2025-02-10"),
                           ("Foundations", "2025-02-10", "2025-04-07"), THREE[2]]
    page = client.get(f"/orgs/{org}/roadmap/phases").text
    assert "Phase moved." in page
    first = roadmap.list_phases(db.session.get(Organization, org), 1, 50).items[0].id
    client.post(f"/orgs/{org}/roadmap/phases/{first}/move", data={"direction": "earlier"})
    assert stored(org)[0][0] == "Scale"  # already first: unchanged, and said
    assert "already first or last" in client.get(f"/orgs/{org}/roadmap/phases").text


def test_removing_a_phase_keeps_the_others(client, org):
    client.post(f"/orgs/{org}/roadmap/phases", data=form(THREE))
    scale = roadmap.list_phases(db.session.get(Organization, org), 1, 50).items[1].id
    assert client.post(f"/orgs/{org}/roadmap/phases/{scale}/remove").status_code == 303
    assert stored(org) == [THREE[0], THREE[2]]


def test_others_read_the_phases_but_only_leads_change_them(client, org):
    client.post(f"/orgs/{org}/roadmap/phases", data=form(THREE))
    member_signed_in(client, "ops@phases.example", org, "ops")
    page = client.get(f"/orgs/{org}/roadmap/phases")
    assert page.status_code == 200 and "Sustain" in page.text
    assert 'id="phases-form"' not in page.text and "/move" not in page.text
    assert client.post(f"/orgs/{org}/roadmap/phases", data=form([])).status_code == 403
    assert stored(org) == THREE


def test_another_organizations_phases_are_404(client, org):
    client.post(f"/orgs/{org}/roadmap/phases", data=form(THREE))
    phase_id = roadmap.list_phases(db.session.get(Organization, org), 1, 50).items[0].id
    other = outsider_signed_in(client)
    assert client.get(f"/orgs/{org}/roadmap/phases").status_code == 404
    assert client.post(f"/orgs/{other}/roadmap/phases/{phase_id}/remove").status_code == 404
    assert client.post(f"/orgs/{other}/roadmap/phases/{phase_id}/move",
                       data={"direction": "later"}).status_code == 404
    assert stored(org) == THREE
