"""`POST /frameworks/import` with `format: samm` on our own small SAMM-format sample
(always available, unlike the official model), including a broken copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

SAMPLE = Path(__file__).parents[1] / "data/samm-sample/model"


def _import(api, path: Path):
    return api.post("/api/v1/frameworks/import", json={"format": "samm", "path": str(path)})


def test_the_sample_imports_with_samm_codes(admin):
    response = _import(admin, SAMPLE)

    assert response.status_code == 201, response.json
    framework = response.json
    assert framework["question_rule"] == "samm"
    assert [axis["code"] for axis in framework["axes"]] == ["stewardship", "building"]
    assert [d["code"] for axis in framework["axes"] for d in axis["dimensions"]] == [
        "S-RP", "B-CR"]
    codes = [q["code"] for axis in framework["axes"] for d in axis["dimensions"]
             for q in d["questions"]]
    assert "B-CR-A-1" in codes and "B-CR-1-A" not in codes


def test_a_broken_reference_is_refused_naming_the_file_and_nothing_is_saved(admin, tmp_path):
    broken = Path(shutil.copytree(SAMPLE, tmp_path / "model"))
    question = broken / "questions/B-CR-1-A.yml"
    question.write_text(question.read_text(encoding="utf-8").replace(
        "answerSet: as-a-0001", "answerSet: as-gone-9999"), encoding="utf-8")

    response = _import(admin, broken)

    assert response.status_code == 422
    assert response.json["errors"] == {"questions/B-CR-1-A.yml": [
        "answerSet refers to missing answer set as-gone-9999"]}
    assert admin.get("/api/v1/frameworks").json["total"] == 0


def test_samm_import_needs_a_path_and_tracker_import_needs_content(admin):
    assert "path" in admin.post("/api/v1/frameworks/import",
                                json={"format": "samm"}).json["errors"]
    assert "content" in admin.post("/api/v1/frameworks/import", json={}).json["errors"]
