"""Objective pages (list with status and KPIs on target n of m, form, detail, delete) and
the KPI form's family, owner, perimeter and links (issue 17), on a fresh organization."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Organization
from tracker.models.kpis import Kpi, Objective
from tracker.services.follow import kpis, objectives
from tracker.services.tenancy import accounts, organizations

PASSWORD = "a long enough password"


class Org:
    """The organization by id, read again after each request (which ends the session)."""

    def __init__(self, org_id: int) -> None:
        self.id = org_id

    def get(self) -> Organization:
        return db.session.get(Organization, self.id)


@pytest.fixture
def org(app, client) -> Org:
    user = accounts.create_user("ops@example.org", PASSWORD, name="Olga")
    org_id = organizations.create_organization(user, {"name": "Acme"}).id
    response = client.post("/login", data={"email": "ops@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.text
    return Org(org_id)


def field_errors(page: str) -> set[str]:
    return set(re.findall(r'<p class="field-error" id="([\w-]+)-error">', page))


def kpi(org, name, direction, target, value=None, **fields):
    created = kpis.create_kpi(org.get(), {"name": name, "direction": direction, "target": target,
                                    **fields})
    if value is not None:
        kpis.add_measurement(org.get(), created.id,
                             {"value": value, "measured_at": date(2026, 11, 2)})
    return created.id


def test_the_kpi_form_saves_family_owner_perimeter_and_refuses_a_nameless_team(client, org):
    base = f"/orgs/{org.id}/kpis"
    form = {"name": "Pricing lead time", "unit": "days", "direction": "lower_is_better",
            "target": "5", "family": "flow", "owner": "Ann", "perimeter_kind": "team",
            "perimeter_name": ""}
    refused = client.post(f"{base}/new", data=form)
    assert refused.status_code == 422 and field_errors(refused.text) == {"perimeter_name"}
    assert 'value="Ann"' in refused.text  # input kept
    saved = client.post(f"{base}/new", data={**form, "perimeter_name": "Pricing"})
    assert saved.status_code == 303
    stored = db.session.scalars(select(Kpi)).one()
    assert (stored.family, stored.owner, stored.perimeter_kind, stored.perimeter_name) == (
        "flow", "Ann", "team", "Pricing")
    page = client.get(f"{base}/{stored.id}").text
    assert "flow" in page and "team: Pricing" in page
    listed = client.get(f"{base}?family=flow").text
    assert "Pricing lead time" in listed
    assert "Pricing lead time" not in client.get(f"{base}?family=people").text


def test_an_objective_is_created_from_the_form_and_shows_its_status(client, org):
    # lead time 4 ≤ 5: on target; adoption 70 < 80: off target → at risk, 1 of 2
    lead_time = kpi(org, "Lead time", "lower_is_better", 5, 4)
    adoption = kpi(org, "Adoption", "higher_is_better", 80, 70)
    base = f"/orgs/{org.id}/objectives"
    empty = client.get(base).text
    assert 'id="no-objective"' in empty and f'href="{base}/new"' in empty
    refused = client.post(f"{base}/new", data={"title": "", "horizon": "soon"})
    assert refused.status_code == 422 and field_errors(refused.text) == {"title", "horizon"}
    saved = client.post(f"{base}/new", data={
        "title": "Faster delivery", "horizon": "2027-06-30",
        "kpi_ids": [str(lead_time), str(adoption)]})
    assert saved.status_code == 303
    objective = db.session.scalars(select(Objective)).one()
    listed = client.get(base).text
    row = re.search(rf'<tr data-id="{objective.id}">(.*?)</tr>', listed, re.S).group(1)
    assert "Faster delivery" in row and "at risk" in row and "1 of 2" in row
    detail = client.get(f"{base}/{objective.id}").text
    assert "at risk" in detail and "Lead time" in detail and "Adoption" in detail
    edit = client.post(f"{base}/{objective.id}/edit", data={
        "title": "Faster delivery", "horizon": "", "kpi_ids": [str(lead_time)]})
    assert edit.status_code == 303
    assert "on track" in client.get(f"{base}/{objective.id}").text
    assert client.post(f"{base}/{objective.id}/delete").status_code == 303
    assert db.session.scalars(select(Objective)).all() == []


def test_outsiders_get_404_and_viewers_cannot_write(client, org, app):
    outsider = accounts.create_user("out@example.org", PASSWORD)
    organizations.create_organization(outsider, {"name": "Other"})
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": "out@example.org", "password": PASSWORD})
    assert other.get(f"/orgs/{org.id}/objectives").status_code == 404
    assert other.get(f"/orgs/{org.id}/objectives/new").status_code == 404


def test_editing_an_objective_keeps_its_archived_kpi_on_offer(client, org):
    lead_time = kpi(org, "Lead time", "lower_is_better", 5, 4)
    old = kpi(org, "Old cycle time", "lower_is_better", 24, 36)
    created = objectives.create_objective(org.get(), None, {"title": "Faster",
                                                            "kpi_ids": [lead_time, old]})
    kpis.archive_kpi(org.get(), old)
    form = client.get(f"/orgs/{org.id}/objectives/{created.id}/edit").text
    assert re.search(rf'<option value="{old}" selected>Old cycle time</option>', form)
    assert f'<option value="{old}"' not in client.get(f"/orgs/{org.id}/objectives/new").text
