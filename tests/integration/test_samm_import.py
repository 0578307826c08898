"""The official OWASP SAMM v2.2 model, imported through the API and the CLI, and scored by
the `samm` question rule (skipped when ../shared/data is absent)."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED_DATA

MODEL = SHARED_DATA / "owasp-samm-v2.2" / "model"

pytestmark = pytest.mark.skipif(not MODEL.is_dir(), reason="OWASP SAMM model not available")


def _import(admin) -> dict:
    response = admin.post("/api/v1/frameworks/import", json={"format": "samm",
                                                               "path": str(MODEL)})
    assert response.status_code == 201, response.json
    return response.json


def _questions(framework: dict) -> list[str]:
    return [q["code"] for axis in framework["axes"] for d in axis["dimensions"]
            for q in d["questions"]]


def test_the_model_imports_as_5_axes_15_dimensions_90_questions(admin):
    framework = _import(admin)

    assert [axis["code"] for axis in framework["axes"]] == [
        "governance", "design", "implementation", "verification", "operations"]
    assert sum(len(axis["dimensions"]) for axis in framework["axes"]) == 15
    assert len(_questions(framework)) == 90
    assert "G-SM-A-1" in _questions(framework)
    assert framework["question_rule"] == "samm"


def test_only_admins_import_from_a_server_folder(lead):
    response = lead.post("/api/v1/frameworks/import", json={"format": "samm",
                                                              "path": str(MODEL)})
    assert response.status_code == 403


def test_a_missing_folder_is_a_clear_error(admin):
    response = admin.post("/api/v1/frameworks/import", json={"format": "samm",
                                                               "path": "/nonexistent/model"})
    assert response.status_code == 422
    assert "folder" in response.json["errors"]


def _answer_all(lead, admin, value_of) -> dict:
    framework = _import(admin)
    org = lead.post("/api/v1/orgs", json={"name": "Acme"}).json
    base = f"/api/v1/orgs/{org['id']}/assessments"
    assessment = lead.post(base, json={"framework_id": framework["id"], "title": "SAMM"}).json
    url = f"{base}/{assessment['id']}"
    ann = lead.post(f"{url}/respondents", json={"name": "Ann"}).json["id"]
    rows = [{"respondent_id": ann, "question": code, "value": value_of(code)}
            for code in _questions(framework)]
    response = lead.put(f"{url}/ratings", json=rows)
    assert response.status_code == 200, response.json
    return lead.get(f"{url}/scores").json


def test_yes_for_most_everywhere_scores_3_everywhere(lead, admin):
    scores = _answer_all(lead, admin, lambda code: 1.0)

    assert scores["overall"] == 3.0
    assert {axis["score"] for axis in scores["axes"]} == {3.0}
    assert {d["score"] for axis in scores["axes"] for d in axis["dimensions"]} == {3.0}


def test_a_mixed_case_reproduces_samm_practice_function_and_overall_scores(lead, admin):
    # G-SM: stream A answers 0.5 at each of its 3 levels (1.5), stream B 0 → (1.5 + 0) / 2
    # = 0.75; every other practice 3. Governance = (0.75 + 3 + 3) / 3 = 2.25;
    # overall = (2.25 + 4 · 3) / 5 = 2.85.
    scores = _answer_all(lead, admin, lambda code: {"G-SM-A": 0.5, "G-SM-B": 0.0}.get(
        code[:6], 1.0))
    governance = scores["axes"][0]

    assert governance["dimensions"][0]["code"] == "G-SM"
    assert governance["dimensions"][0]["score"] == 0.75
    assert governance["score"] == 2.25
    assert scores["overall"] == pytest.approx(2.85, rel=1e-15)


def test_the_cli_imports_the_model_folder(app):
    result = app.test_cli_runner().invoke(args=["frameworks", "import", str(MODEL),
                                                "--format", "samm"])

    assert result.exit_code == 0, result.output
    assert "5 axes, 15 dimensions" in result.output
