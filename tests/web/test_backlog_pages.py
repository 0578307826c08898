"""Backlog, initiative, dependency and roadmap pages rendered server-side on the demo
organization: role-aware controls, escaping, CSP, method switch, cycle refusal, forms."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.web_helpers import XSS, seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.services.decide import backlog
from tracker.services.plan import roadmap


@pytest.fixture
def demo_org(app) -> int:
    return seed_demo()


def row_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', page)]


def test_switching_the_method_reorders_the_backlog_as_the_service_ranks_it(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    org = db.session.get(Organization, demo_org)
    wsjf = row_ids(client.get(f"/orgs/{demo_org}/backlog?method=wsjf").text)
    rice = row_ids(client.get(f"/orgs/{demo_org}/backlog?method=rice").text)
    assert wsjf == [item.id for item in backlog.ranked_backlog(org, "wsjf").items]
    assert rice == [item.id for item in backlog.ranked_backlog(org, "rice").items]
    assert len(wsjf) == 14 and wsjf[:3] != rice[:3]  # the 3 done initiatives are hidden
    everything = row_ids(client.get(f"/orgs/{demo_org}/backlog?method=wsjf&include_done=1").text)
    assert everything == [item.id for item in
                          backlog.ranked_backlog(org, "wsjf", include_done=True).items]
    assert len(everything) == 17
    done = row_ids(client.get(f"/orgs/{demo_org}/backlog?method=wsjf&status=done").text)
    assert done and all(db.session.get(Initiative, i).status == "done" for i in done)
    by_title = row_ids(client.get(f"/orgs/{demo_org}/backlog?sort=title").text)
    titles = [db.session.get(Initiative, i).title for i in by_title]
    assert titles == sorted(titles)


def test_the_matrix_points_carry_the_initiative_page_and_csv_exports(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/backlog").text
    assert f"/orgs/{demo_org}/initiatives/4" in page and 'id="value-effort"' in page
    csv = client.get(f"/orgs/{demo_org}/backlog.csv?method=rice")
    header = csv.get_data().decode("utf-8-sig").splitlines()[0]
    assert csv.mimetype == "text/csv" and header.startswith("rank,id,title")


def test_viewers_see_no_edit_controls_and_cannot_write(client, demo_org):
    sign_in(client, "sponsor@novatechna.example")
    pages = [client.get(f"/orgs/{demo_org}/{path}") for path in
             ("backlog", "initiatives/4", "dependencies", "roadmap")]
    assert [p.status_code for p in pages] == [200, 200, 200, 200]
    assert "New initiative" not in pages[0].text
    assert "/initiatives/4/edit" not in pages[1].text
    assert 'name="prerequisite_id"' not in pages[2].text
    assert client.get(f"/orgs/{demo_org}/initiatives/new").status_code == 403
    assert client.post(f"/orgs/{demo_org}/initiatives/4/edit",
                       data={"title": "x"}).status_code == 403
    assert client.post(f"/orgs/{demo_org}/dependencies",
                       data={"prerequisite_id": "1", "dependent_id": "2"}).status_code == 403


def test_leads_see_the_controls_and_outsiders_get_404(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    assert "New initiative" in client.get(f"/orgs/{demo_org}/backlog").text
    assert "/initiatives/4/edit" in client.get(f"/orgs/{demo_org}/initiatives/4").text
    assert 'name="prerequisite_id"' in client.get(f"/orgs/{demo_org}/dependencies").text
    other = Organization(name="Elsewhere")
    db.session.add(other)
    db.session.commit()
    for path in ("backlog", "dependencies", "roadmap", "initiatives/4"):
        assert client.get(f"/orgs/{other.id}/{path}").status_code == 404


def test_a_dependency_closing_a_cycle_is_refused_and_the_cycle_shown(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    # the demo has 4 → 17 (Release autonomy before Redraw team boundaries)
    response = client.post(f"/orgs/{demo_org}/dependencies",
                           data={"prerequisite_id": "17", "dependent_id": "4"})
    assert response.status_code == 409
    cycle = re.search(r'<ol class="cycle-path">(.*?)</ol>', response.text, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", cycle) == [
        "Release autonomy for stream-aligned teams",
        "Redraw team boundaries around value streams",
        "Release autonomy for stream-aligned teams"]
    added = client.post(f"/orgs/{demo_org}/dependencies",
                        data={"prerequisite_id": "2", "dependent_id": "16"})
    assert added.status_code == 303
    page = client.get(f"/orgs/{demo_org}/initiatives/16").text
    assert "Leadership mirror and team immersion" in page  # now a prerequisite


def test_form_errors_are_shown_next_to_their_fields(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    response = client.post(f"/orgs/{demo_org}/initiatives/new",
                           data={"title": "", "duration_weeks": "abc"})
    assert response.status_code == 422
    assert re.search(r'<p class="field-error" id="title-error">', response.text)
    assert re.search(r'<p class="field-error" id="duration_weeks-error">'
                     r'Duration \(weeks\) must be a number', response.text)
    domain = client.post(f"/orgs/{demo_org}/initiatives/new",
                         data={"title": "Zero job", "job_size": "0"})
    assert domain.status_code == 422 and 'id="job_size-error"' in domain.text
    moved = client.post(f"/orgs/{demo_org}/initiatives/2/edit",
                        data={"title": "Leadership mirror", "status": "approved"})
    assert moved.status_code == 422 and 'id="status-error"' in moved.text  # done → approved
    assert db.session.get(Initiative, 2).title == "Leadership mirror and team immersion"


def test_a_hostile_title_is_text_everywhere_and_pages_carry_the_csp(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    created = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": XSS, "duration_weeks": "2", "business_value": "8", "time_criticality": "5",
        "risk_reduction": "3", "job_size": "2"})
    assert created.status_code == 303
    new_id = int(created.headers["Location"].rsplit("/", 1)[1])
    # the dependencies page names initiatives only in focused views: focus on the new one
    for path in ("backlog", f"initiatives/{new_id}", f"dependencies?focus={new_id}",
                 "roadmap"):
        response = client.get(f"/orgs/{demo_org}/{path}")
        assert response.status_code == 200, path
        assert XSS not in response.text and "onerror=alert(1)>" not in response.text, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in response.text, path
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\ssrc=)", response.text), path


def test_the_roadmap_compares_a_baseline_and_runs_a_what_if_without_saving(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/roadmap?start=2026-06-01").text
    assert 'id="gantt"' in page and "Phase 1 — Quick wins and pilots" in page
    compared = client.get(f"/orgs/{demo_org}/roadmap?baseline=1").text
    assert 'id="slips"' in compared
    org = db.session.get(Organization, demo_org)
    expected = roadmap.what_if(org, {"start": date(2026, 6, 1), "delay": {17: 3.0}})
    what_if = client.get(f"/orgs/{demo_org}/roadmap?start=2026-06-01&delay_id=17"
                         "&delay_weeks=3").text
    change = expected["makespan_change"]
    shown = re.search(r'<p id="whatif-result"><strong>(.*?)</strong>', what_if).group(1)
    assert shown == (f"Makespan: {expected['makespan_before']:g} → "
                     f"{expected['makespan_after']:g} weeks ({'+' if change > 0 else ''}"
                     f"{change:g})")
    moved = what_if.split("whatif-result")[1]
    assert [m["title"] for m in expected["moved"]] == [
        t for t in re.findall(r"<tr>\s*<td>(.*?)</td>", moved)]
    assert expected["moved"] and expected["moved"][0]["initiative_id"] == 17
    again = roadmap.get_roadmap(org, roadmap.PlanParams(date(2026, 6, 1)))
    assert again.makespan_weeks == expected["makespan_before"]  # nothing saved
    started = client.get(f"/orgs/{demo_org}/roadmap?delay_id=4&delay_weeks=3").text
    assert "Some what-if changes are invalid." in started
    bad = client.get(f"/orgs/{demo_org}/roadmap?capacity=0")
    assert bad.status_code == 200 and "field-error" in bad.text
