"""The pilot criteria editor and verdicts on the initiative page (no script: server rows,
"Add a criterion" sends the form back with one more row), refusals beside their row."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative, Kpi, Measurement, Pilot


@pytest.fixture
def setup(app) -> tuple[int, int, int]:
    org_id = seed_demo()
    initiative = Initiative(org_id=org_id, title="Outcome reviews")
    # lead time, lower is better, 4.5 days on 2027-01-15 (inside 2026-12-01 .. 2027-03-14)
    kpi = Kpi(org_id=org_id, name="Review lead time", direction="lower_is_better", target=5)
    db.session.add_all([initiative, kpi])
    db.session.flush()
    db.session.add(Measurement(org_id=org_id, kpi_id=kpi.id, value=4.5,
                               measured_at=date(2027, 1, 15)))
    db.session.commit()
    return org_id, initiative.id, kpi.id


def criterion_rows(text: str, prefix: str) -> int:
    return len(re.findall(rf'id="{prefix}-kpi-\d+"', text))


def test_criteria_are_created_judged_and_the_decision_prefilled(client, setup):
    org_id, initiative_id, kpi_id = setup
    sign_in(client, "ops@novatechna.example")
    page = f"/orgs/{org_id}/initiatives/{initiative_id}"
    # three empty rows, one more after "Add a criterion" (nothing saved)
    assert criterion_rows(client.get(page).text, "new-criterion") == 3
    grown = client.post(f"{page}/pilots", data={
        "teams": "claims", "criterion_kpi": ["", "", ""], "criterion_threshold": ["", "", ""],
        "add_criterion": "1"})
    assert grown.status_code == 200 and criterion_rows(grown.text, "new-criterion") == 4
    assert db.session.query(Pilot).filter_by(initiative_id=initiative_id).count() == 0
    # a KPI without a threshold is refused beside its row, the rest kept
    half = client.post(f"{page}/pilots", data={
        "teams": "claims", "criterion_kpi": ["", str(kpi_id)], "criterion_threshold": ["", ""]})
    assert half.status_code == 422
    assert 'id="new-criterion-threshold-1-error"' in half.text and 'value="claims"' in half.text
    created = client.post(f"{page}/pilots", data={
        "teams": "claims", "start": "2026-12-01", "end": "2027-02-28",
        "criterion_kpi": [str(kpi_id), "", ""], "criterion_threshold": ["5,5", "", ""]})
    assert created.status_code == 303, created.text
    pilot = db.session.query(Pilot).filter_by(initiative_id=initiative_id).one()
    assert pilot.criteria == [{"kpi_id": kpi_id, "threshold": 5.5}]
    shown = client.get(page).text
    # 4.5 <= 5.5: met, the only criterion: generalize, and the decision form selects it
    assert f'data-kpi="{kpi_id}" data-verdict="met"' in shown
    assert 'data-suggested="generalize"' in shown
    assert re.search(r'<option value="generalize" selected>', shown)


def test_the_criteria_form_refuses_another_organizations_kpi_beside_its_row(client, setup):
    org_id, initiative_id, kpi_id = setup
    sign_in(client, "ops@novatechna.example")
    pilot = Pilot(org_id=org_id, initiative_id=initiative_id, teams=["claims"],
                  start=date(2026, 12, 1), end=date(2027, 2, 28), criteria=[])
    db.session.add(pilot)
    db.session.commit()
    url = f"/orgs/{org_id}/pilots/{pilot.id}/criteria"
    refused = client.post(url, data={"criterion_kpi": [str(kpi_id), "999999"],
                                     "criterion_threshold": ["4", "1"]})
    assert refused.status_code == 422
    assert f'id="pilot-{pilot.id}-criterion-kpi-1-error"' in refused.text
    saved = client.post(url, data={"criterion_kpi": [str(kpi_id), ""],
                                   "criterion_threshold": ["4", ""]})
    assert saved.status_code == 303
    # 4.5 > 4 (lower is better): not met, none met: stop
    shown = client.get(f"/orgs/{org_id}/initiatives/{initiative_id}").text
    assert f'data-kpi="{kpi_id}" data-verdict="not_met"' in shown
    assert 'data-suggested="stop"' in shown
