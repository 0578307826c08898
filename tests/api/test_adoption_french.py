"""Templates adopted in a French organization become initiatives titled and described in
French (the template's translations), not in the playbook's stored English (issue 16's
leftover); and the role variants of the playbook follow the profile's size band: merged
product manager / product owner roles for a mid-size organization, distinct ones for a
large group (issue 17), on the same pair of organizations (tests/french_orgs.py)."""

from __future__ import annotations

import pytest
import yaml

from tests.french_orgs import build_org
from tracker.config import resource_dir
from tracker.seeding.playbook import seed_playbook

SEED = {t["code"]: t for t in yaml.safe_load(
    (resource_dir("seeds") / "playbook" / "templates.yaml").read_text(encoding="utf-8"))
    ["templates"]}


def _suggested(lead, org_id: int, assessment_id: int) -> dict:
    response = lead.get(f"/api/v1/orgs/{org_id}/assessments/{assessment_id}"
                        "/suggested-initiatives")
    assert response.status_code == 200, response.json
    return response.json


@pytest.mark.parametrize(("locale", "language"), [("fr", "fr"), ("en", None)])
def test_an_adopted_template_is_written_in_the_organization_language(lead, locale,
                                                                      language):
    seed_playbook()
    built = build_org(lead, f"Org {locale}", locale)
    url = f"/api/v1/orgs/{built.org_id}/assessments/{built.first_id}"

    response = lead.post(f"{url}/suggested-initiatives/adopt",
                         json={"template_codes": ["clarify-product-roles"]})

    assert response.status_code == 201, response.json
    seed = SEED["clarify-product-roles"]
    texts = seed["translations"][language] if language else seed
    [created] = response.json["initiatives"]
    assert created["title"] == texts["title"]
    assert created["description"].split() == texts["description"].split()
    stored = lead.get(f"/api/v1/orgs/{built.org_id}/initiatives/{created['id']}").json
    assert stored["title"] == texts["title"]


@pytest.mark.parametrize(("band", "shown", "held"), [
    ("mid_size", "merged-product-roles", "distinct-product-roles"),
    ("large_group", "distinct-product-roles", "merged-product-roles")])
def test_the_role_variant_follows_the_size_band(lead, band, shown, held):
    seed_playbook()
    built = build_org(lead, f"Org {band}", "fr")
    assert lead.put(f"/api/v1/orgs/{built.org_id}/profile",
                    json={"size_band": band, "management_levels": 3}).status_code == 200

    body = _suggested(lead, built.org_id, built.first_id)

    suggested = {t["code"] for f in body["findings"] for t in f["templates"]}
    assert shown in suggested and held not in suggested
    # the other variant is held back, and says so in French figures and words
    [check] = [r for r in body["readiness"] if r["code"] == held]
    assert check["title"] == SEED[held]["translations"]["fr"]["title"]
    assert [(c["name"], c["actual"]) for c in check["conditions"]] == [("size_band", band)]
    adopted = lead.post(f"/api/v1/orgs/{built.org_id}/assessments/{built.first_id}"
                        "/suggested-initiatives/adopt", json={"template_codes": [shown]})
    assert adopted.status_code == 201, adopted.json
    assert adopted.json["initiatives"][0]["title"] == SEED[shown]["translations"]["fr"]["title"]
