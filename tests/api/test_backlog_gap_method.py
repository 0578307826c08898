"""The `gap` method on the demo organization: value = Σ share_d · min(uplift_d, target gap_d)
on the latest closed assessment (DESIGN section 3)."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Assessment, Organization, User
from tracker.services.tenancy import accounts


def test_the_gap_method_scores_the_demo_backlog(app, client):
    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    org = db.session.scalar(select(Organization))
    pulse = db.session.scalar(select(Assessment).where(Assessment.kind == "pulse"))
    lead = db.session.scalar(select(User).where(User.email == "lead@novatechna.example"))
    _, secret = accounts.create_token(lead)
    headers = {"Authorization": f"Bearer {secret}"}

    scores = client.get(f"/api/v1/orgs/{org.id}/assessments/{pulse.id}/scores",
                        headers=headers).json
    roles_gap = next(d["target_gap"] for a in scores["axes"] for d in a["dimensions"]
                     if d["code"] == "organisation.roles")
    response = client.get(f"/api/v1/orgs/{org.id}/backlog?method=gap&per_page=200"
                          "&include_done=true", headers=headers)  # Role cards... is done

    assert response.status_code == 200, response.json
    roles = next(i for i in response.json["items"] if i["title"].startswith("Role cards"))
    # pom-grid: 4 axes of 8 dimensions, all weights 1 → share 1/32; uplift 0.5; effort 1
    assert roles["value"] == min(0.5, roles_gap) / 32
    assert roles["score"] == roles["value"] / 1
