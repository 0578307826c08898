"""Translatable content (DESIGN section 9): grids and playbook templates carry `language`
and `translations`, are validated with every error named by its path, read in the
reader's language (`?lang=`, then `Accept-Language`, else their own) and written back by
the YAML export."""

from __future__ import annotations

import copy

import pytest
import yaml

from tests.builders import framework_doc
from tracker.config import resource_dir
from tracker.seeding.frameworks import seed_frameworks
from tracker.seeding.playbook import seed_playbook
from tracker.services.frame import frameworks as framework_service
from tracker.services.frame import playbook as playbook_service

FR_GRID = framework_doc(
    language="en", translations={"fr": {"name": "Grille test"}},
    scale=[{"value": 1, "label": "Low", "translations": {"fr": {"label": "Bas"}}},
           {"value": 2, "label": "High", "descriptor": "All good",
            "translations": {"fr": {"label": "Haut", "descriptor": "Tout va bien"}}}],
    axes=[{"code": "a", "name": "Axis A", "translations": {"fr": {"name": "Axe A"}},
           "dimensions": [
               {"code": "a.one", "name": "A one", "levels": {1: "Nothing", 2: "Everything"},
                "translations": {"fr": {"name": "A un", "levels": {1: "Rien"}}}},
               {"code": "a.two", "name": "A two", "questions": [
                   {"code": "a.two.q1", "text": "Is it?",
                    "answers": [{"text": "No", "value": 1}, {"text": "Yes", "value": 2}],
                    "translations": {"fr": {"text": "Est-ce ?", "answers": ["Non", "Oui"]}}}]}]}])


def _create(admin, doc):
    response = admin.post("/api/v1/frameworks", json=doc)
    assert response.status_code == 201, response.json
    return response.json


def test_upload_stores_translations_and_reads_follow_lang(admin):
    created = _create(admin, FR_GRID)
    assert created["language"] == "en" and created["name"] == "Test grid"
    url = f"/api/v1/frameworks/{created['id']}"
    french = admin.get(f"{url}?lang=fr").json
    assert french["name"] == "Grille test"
    assert [level["label"] for level in french["scale"]] == ["Bas", "Haut"]
    assert french["scale"][1]["descriptor"] == "Tout va bien"
    axis = french["axes"][0]
    assert axis["name"] == "Axe A"
    one, two = axis["dimensions"]
    assert one["name"] == "A un"
    # level 1 translated, level 2 falls back to the own language's text
    assert one["levels"] == {"1": "Rien", "2": "Everything"}
    assert one["translations"] == {"fr": {"name": "A un", "levels": {"1": "Rien"}}}
    assert two["name"] == "A two"
    question = two["questions"][0]
    assert question["text"] == "Est-ce ?"
    assert [(a["text"], a["value"]) for a in question["answers"]] == [("Non", 1), ("Oui", 2)]
    english = admin.get(url, headers={"Accept-Language": "en-GB,en;q=0.8"}).json
    assert english["axes"][0]["name"] == "Axis A"
    assert english["axes"][0]["translations"] == {"fr": {"name": "Axe A"}}
    by_header = admin.get(url, headers={"Accept-Language": "fr-FR,fr;q=0.9"}).json
    assert by_header["axes"][0]["dimensions"][0]["name"] == "A un"
    # ?lang= wins over Accept-Language
    both = admin.get(f"{url}?lang=en", headers={"Accept-Language": "fr"}).json
    assert both["axes"][0]["name"] == "Axis A"
    listed = admin.get("/api/v1/frameworks?lang=fr").json["items"]
    assert [f["name"] for f in listed if f["id"] == created["id"]] == ["Grille test"]
    assert admin.get(f"{url}?lang=de").status_code == 422


def test_a_french_grid_falls_back_to_its_own_language(admin):
    doc = framework_doc(code="grille", language="fr", name="Grille",
                        translations={"en": {"name": "Grid"}})
    created = _create(admin, doc)
    url = f"/api/v1/frameworks/{created['id']}"
    assert admin.get(url).json["name"] == "Grille"
    assert admin.get(f"{url}?lang=en").json["name"] == "Grid"
    assert admin.get(f"{url}?lang=en").json["axes"][0]["name"] == "Axis A"


def test_translation_errors_are_named_by_path(admin):
    doc = copy.deepcopy(FR_GRID)
    doc["language"] = "de"
    doc["translations"] = {"de": {"name": "Raster"}, "fr": {"title": "Grille", "name": 3}}
    dimension = doc["axes"][0]["dimensions"][0]
    dimension["translations"] = {"fr": {"levels": {7: "Hors échelle"}}}
    doc["axes"][0]["dimensions"][1]["questions"][0]["translations"] = {
        "fr": {"answers": ["Non"]}}
    response = admin.post("/api/v1/frameworks", json=doc)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert set(errors) >= {"language", "translations.de", "translations.fr.title",
                           "translations.fr.name"}
    assert "Not a translatable field" in errors["translations.fr.title"][0]
    doc["language"], doc["translations"] = "en", {}
    errors = admin.post("/api/v1/frameworks", json=doc).json["errors"]
    assert errors["axes[0].dimensions[0].translations.fr.levels"] == [
        "Level '7' is not on the scale."]
    assert "axes[0].dimensions[1].questions[0].translations.fr.answers" in errors


def test_a_code_with_an_accent_says_why(admin):
    doc = framework_doc(code="grille-évaluée")
    response = admin.post("/api/v1/frameworks", json=doc)
    assert response.status_code == 422
    assert "unaccented" in response.json["errors"]["code"][0]


def test_yaml_round_trip_keeps_translations(admin):
    created = _create(admin, FR_GRID)
    stored = framework_service.load_framework(created["id"])
    text = framework_service.framework_yaml(stored, version=2)
    document = yaml.safe_load(text)
    assert document["language"] == "en"
    assert document["axes"][0]["dimensions"][0]["translations"] == {
        "fr": {"name": "A un", "levels": {"1": "Rien"}}}
    again = _create(admin, document)
    first = admin.get(f"/api/v1/frameworks/{created['id']}?lang=fr").json
    second = admin.get(f"/api/v1/frameworks/{again['id']}?lang=fr").json
    assert _texts(first) == _texts(second)


def _texts(read):
    """Every text and translation of a framework read, without ids."""
    return [(axis["name"], axis.get("translations"),
             [(d["name"], d["levels"], d["translations"],
               [(q["text"], q["answers"], q["translations"]) for q in d["questions"]])
              for d in axis["dimensions"]]) for axis in read["axes"]]


def test_builtin_pom_grid_reads_in_french(admin):
    seed_frameworks()
    pom = admin.get("/api/v1/frameworks?code=pom-grid").json["items"][0]
    english = admin.get(f"/api/v1/frameworks/{pom['id']}").json
    french = admin.get(f"/api/v1/frameworks/{pom['id']}?lang=fr").json
    assert french["language"] == "en"
    pairs = [(e["name"], f["name"])
             for e_axis, f_axis in zip(english["axes"], french["axes"], strict=True)
             for e, f in [(e_axis, f_axis),
                          *zip(e_axis["dimensions"], f_axis["dimensions"], strict=True)]]
    assert len(pairs) == 4 + 32
    assert all(f and f != e for e, f in pairs if e not in {"Organisation"}), pairs
    assert all(f["translations"]["fr"]["name"] == f["name"] for f in french["axes"])


@pytest.fixture
def org(lead):
    response = lead.post("/api/v1/orgs", json={"name": "Acme"})
    assert response.status_code == 201
    return response.json


def test_playbook_templates_read_in_french(lead, org):
    seed_frameworks()
    seed_playbook()
    url = f"/api/v1/orgs/{org['id']}/playbook"
    english = lead.get(f"{url}/align-leadership").json
    french = lead.get(f"{url}/align-leadership?lang=fr").json
    assert french["language"] == "en"
    assert french["title"] == french["translations"]["fr"]["title"] != english["title"]
    assert french["success_criteria"] == french["translations"]["fr"]["success_criteria"]
    listed = lead.get(f"{url}?per_page=200", headers={"Accept-Language": "fr"}).json["items"]
    assert all(t["title"] == t["translations"]["fr"]["title"] for t in listed)
    assert all(t["builtin"] for t in listed)


def test_playbook_yaml_with_translations_round_trips(lead, org):
    seed_frameworks()
    url = f"/api/v1/orgs/{org['id']}/playbook"
    text = yaml.safe_dump({"language": "en", "templates": [{
        "code": "t-own", "title": "Own", "uplifts": {"products.vision": 1},
        "success_criteria": ["One"],
        "translations": {"fr": {"title": "Propre", "success_criteria": ["Un"]}}}]},
        allow_unicode=True)
    response = lead.post(f"{url}/import", data=text.encode(),
                         headers={"Content-Type": "application/yaml"})
    assert response.status_code == 201, response.json
    assert lead.get(f"{url}/t-own?lang=fr").json["title"] == "Propre"
    exported = yaml.safe_load(lead.get(f"{url}/export").text)
    own = next(t for t in exported["templates"] if t["code"] == "t-own")
    assert own["translations"] == {"fr": {"title": "Propre", "success_criteria": ["Un"]}}
    assert own["language"] == "en"
    bad = yaml.safe_dump({"templates": [{"code": "t-bad", "title": "Bad",
                                         "translations": {"fr": {"name": "Mauvais"}}}]})
    response = lead.post(f"{url}/import", data=bad.encode(),
                         headers={"Content-Type": "application/yaml"})
    assert response.status_code == 422
    assert "templates[0].translations.fr.name" in response.json["errors"]
    accented = yaml.safe_dump({"templates": [{"code": "modèle", "title": "Bad"}]},
                              allow_unicode=True)
    response = lead.post(f"{url}/import", data=accented.encode(),
                         headers={"Content-Type": "application/yaml"})
    assert "unaccented" in response.json["errors"]["templates[0].code"][0]


def test_a_database_seeded_before_the_translations_gains_them(admin):
    path = resource_dir("seeds") / "frameworks" / "pom-grid.yaml"
    document = framework_service.read_framework_file(path)
    untranslated = _without_translations(document)
    framework_service.import_framework_document(untranslated)
    stored = framework_service.find_framework("pom-grid", 1)
    assert stored.translations == {} and stored.axes[0].translations == {}

    refreshed = framework_service.refresh_translations(document)

    assert refreshed is not None and refreshed.id == stored.id
    french = framework_service.framework_read(refreshed, "fr")
    assert [axis["name"] for axis in french["axes"]] == [
        axis["translations"]["fr"]["name"] for axis in document["axes"]]
    assert french["scale"][1]["label"] == document["scale"][1]["translations"]["fr"]["label"]
    assert framework_service.refresh_translations({**document, "version": 9}) is None


def _without_translations(node):
    """A document with every `translations` and `language` left out."""
    if isinstance(node, dict):
        return {k: _without_translations(v) for k, v in node.items()
                if k not in ("translations", "language")}
    if isinstance(node, list):
        return [_without_translations(item) for item in node]
    return node


def test_seeding_the_playbook_again_brings_translations_to_stored_templates(lead, org):
    seed_frameworks()
    text = (resource_dir("seeds") / "playbook" / "templates.yaml").read_text(encoding="utf-8")
    plain = yaml.safe_dump(_without_translations(yaml.safe_load(text)), allow_unicode=True)
    assert playbook_service.add_builtin_templates(plain)
    url = f"/api/v1/orgs/{org['id']}/playbook/align-leadership"
    assert lead.get(url).json["translations"] == {}

    assert playbook_service.add_builtin_templates(text) == []

    french = lead.get(f"{url}?lang=fr").json
    assert french["title"] == french["translations"]["fr"]["title"]


def test_an_organization_export_carries_its_grids_and_templates_translations(lead, admin, org):
    seed_frameworks()
    _create(admin, {**FR_GRID, "org_id": org["id"]})
    template = {"code": "t-own", "title": "Own", "language": "en",
                "translations": {"fr": {"title": "Propre"}}}
    assert lead.post(f"/api/v1/orgs/{org['id']}/playbook", json=template).status_code == 201

    document = admin.get(f"/api/v1/orgs/{org['id']}/export").json
    assert document["framework"][0]["translations"] == {"fr": {"name": "Grille test"}}
    assert document["axis"][0]["translations"] == {"fr": {"name": "Axe A"}}
    document["framework"][0]["code"] = "test-grid-copy"  # owned codes are unique
    copy = admin.post("/api/v1/orgs/import", json=document)

    assert copy.status_code == 201, copy.json
    copied = admin.get("/api/v1/frameworks?code=test-grid-copy&lang=fr").json["items"]
    assert [f["name"] for f in copied] == ["Grille test"]
    grid = admin.get(f"/api/v1/frameworks/{copied[0]['id']}?lang=fr").json
    assert grid["axes"][0]["dimensions"][0]["levels"] == {"1": "Rien", "2": "Everything"}
    copied_template = admin.get(f"/api/v1/orgs/{copy.json['id']}/playbook/t-own?lang=fr").json
    assert copied_template["title"] == "Propre"
