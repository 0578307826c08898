"""Builders of test data with overridable defaults."""

from __future__ import annotations

from typing import Any

SCALE = [{"value": v, "label": label} for v, label in
         enumerate(["Initial", "Managed", "Defined", "Quantitatively managed", "Optimizing"], 1)]


def framework_doc(axes: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    """A framework document; by default two axes (weights 1 and 2) of two dimensions."""
    doc = {
        "code": "test-grid",
        "name": "Test grid",
        "version": 1,
        "scale": SCALE,
        "axes": axes or [
            {"code": "a", "name": "Axis A", "weight": 1, "dimensions": [
                {"code": "a.one", "name": "A one", "weight": 1},
                {"code": "a.two", "name": "A two", "weight": 3}]},
            {"code": "b", "name": "Axis B", "weight": 2, "dimensions": [
                {"code": "b.one", "name": "B one"},
                {"code": "b.two", "name": "B two"}]},
        ],
    }
    doc.update(overrides)
    return doc


def one_dimension_axes(count: int) -> list[dict[str, Any]]:
    """`count` axes of one dimension each, codes `x0`..`x{count-1}` and `x0.d`..."""
    return [{"code": f"x{i}", "name": f"Axis {i}", "dimensions": [
        {"code": f"x{i}.d", "name": f"Dimension {i}"}]} for i in range(count)]


def respondent(name: str = "Ann", **overrides: Any) -> dict[str, Any]:
    data = {"name": name, "role": "engineer", "team": "claims", "level": "team",
            "source": "survey"}
    data.update(overrides)
    return data


def add_member(org_id: int, email: str, role: str) -> dict[str, Any]:
    """Give an existing user a role at once, as `tracker members add` does (the API only
    invites); the membership as the API shows it."""
    from tracker.extensions import db
    from tracker.models import Organization
    from tracker.services.tenancy import organizations

    membership = organizations.add_member(db.session.get(Organization, org_id), email, role)
    return {"user_id": membership.user_id, "email": email, "role": role}


class Scenario:
    """An organization with a framework and an assessment, built through the API."""

    def __init__(self, api: Any, admin: Any, doc: dict[str, Any] | None = None,
                 org_name: str = "Acme") -> None:
        self.api = api
        response = admin.post("/api/v1/frameworks", json=doc or framework_doc())
        assert response.status_code == 201, response.json
        self.framework = response.json
        response = api.post("/api/v1/orgs", json={"name": org_name})
        assert response.status_code == 201, response.json
        self.org = response.json
        response = api.post(self.url("/assessments"), json={
            "framework_id": self.framework["id"], "title": "Diagnostic", "kind": "diagnostic"})
        assert response.status_code == 201, response.json
        self.assessment = response.json

    def url(self, suffix: str = "") -> str:
        return f"/api/v1/orgs/{self.org['id']}{suffix}"

    def assessment_url(self, suffix: str = "") -> str:
        return self.url(f"/assessments/{self.assessment['id']}{suffix}")

    def add_respondent(self, name: str = "Ann", **attributes: Any) -> int:
        response = self.api.post(self.assessment_url("/respondents"),
                                 json=respondent(name, **attributes))
        assert response.status_code == 201, response.json
        return response.json["id"]

    def rate(self, rows: list[dict[str, Any]]) -> Any:
        return self.api.put(self.assessment_url("/ratings"), json=rows)

    def scores(self) -> dict[str, Any]:
        response = self.api.get(self.assessment_url("/scores"))
        assert response.status_code == 200, response.json
        return response.json


def closed_with_levels(api: Any, scenario: Scenario, title: str,
                       ratings: dict[tuple[str, str], float], closed_on: Any) -> int:
    """A closed assessment of the scenario's framework: `ratings` maps (name, level) to the
    value of a.one; `closed_on` (a date) back-dates its `closed_at`. Its id."""
    from datetime import UTC, datetime

    from tracker.extensions import db
    from tracker.models import Assessment

    assessment_id = api.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": title, "kind": "pulse"}).json["id"]
    base = scenario.url(f"/assessments/{assessment_id}")
    api.patch(base, json={"status": "open"})
    rows = []
    for (name, level), value in ratings.items():
        rid = api.post(f"{base}/respondents", json={"name": name, "level": level}).json["id"]
        rows.append({"respondent_id": rid, "dimension": "a.one", "value": value})
    assert api.put(f"{base}/ratings", json=rows).status_code == 200
    api.patch(base, json={"status": "closed"})
    db.session.get(Assessment, assessment_id).closed_at = datetime.combine(
        closed_on, datetime.min.time(), tzinfo=UTC)
    db.session.commit()
    return assessment_id
