"""Issue 16 leftovers on the API: the cell errors of a ratings import, marshmallow's own
messages and the Windows-1252 warning speak the caller's language (Accept-Language, else
the user's), and English callers read the same messages as before."""

from __future__ import annotations

from io import BytesIO

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import User

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}
HEADER = "name,role,team,level,source,a.one,a.two,b.one,b.two\n"


def _import(scenario: Scenario, data: bytes, headers: dict[str, str] | None = None):
    return scenario.api.post(scenario.assessment_url("/ratings/import"), data=data,
                             headers={"Content-Type": "text/csv", **(headers or {})})


def test_a_french_caller_reads_the_bad_cells_in_french_under_the_same_keys(lead, admin):
    scenario = Scenario(lead, admin)
    text = (HEADER + "Ann,eng,x,team,survey,7,abc,3,3\n").encode()

    french = _import(scenario, text, FRENCH)
    english = _import(scenario, text)

    assert french.status_code == english.status_code == 422
    assert set(french.json["errors"]) == set(english.json["errors"]) == {
        "row 2.a.one", "row 2.a.two"}
    assert english.json["errors"]["row 2.a.one"] == ["7 is outside the scale 1–5"]
    assert english.json["errors"]["row 2.a.two"] == [
        "'abc' is not a number (use ? or n/a for cannot say)"]
    assert french.json["errors"]["row 2.a.one"] == ["7 est en dehors de l'échelle 1–5"]
    assert french.json["errors"]["row 2.a.two"] == [
        "« abc » n'est pas un nombre (utilisez ? ou n/a pour « ne sait pas »)"]
    assert french.json["detail"] == (
        "2 cellule(s) du CSV ne sont pas valides ; rien n'a été enregistré.")
    assert french.json["title"] == "Saisie invalide"


def test_a_french_users_language_applies_when_the_call_names_none(lead, admin):
    scenario = Scenario(lead, admin)
    db.session.scalar(db.select(User).where(User.email == "lead@example.org")).locale = "fr"
    db.session.commit()

    refused = _import(scenario, b"name,team\nAnn,x\n")
    asked_english = _import(scenario, b"name,team\nAnn,x\n", {"Accept-Language": "en"})

    assert refused.json["errors"]["row 1.role"] == ["Colonne obligatoire manquante."]
    assert asked_english.json["errors"]["row 1.role"] == ["Missing required column."]


def test_marshmallows_messages_are_french_for_a_french_caller_in_the_same_shape(lead, admin):
    scenario = Scenario(lead, admin)
    path = scenario.url("/kpis")
    body = {"name": "Lead time", "unit": "days", "direction": "lower_is_better",
            "target": "soon"}

    french = lead.post(path, json=body, headers=FRENCH)
    english = lead.post(path, json=body)

    assert french.status_code == english.status_code == 422
    assert english.json["errors"] == {"target": ["Not a valid number."]}
    assert french.json["errors"] == {"target": ["Nombre invalide."]}
    assert french.json["detail"] == "La requête n'est pas valide : voir errors."
    assert set(french.json) == set(english.json)


def test_required_and_choice_messages_are_french_too(lead, admin):
    scenario = Scenario(lead, admin)

    french = lead.patch(scenario.url(), json={"locale": "de"}, headers=FRENCH)
    missing = lead.post(scenario.url("/kpis"), json={"unit": "days"}, headers=FRENCH)

    assert french.json["errors"] == {"locale": ["Doit être l'une des valeurs : en, fr."]}
    assert missing.json["errors"]["name"] == ["Donnée obligatoire manquante."]


def test_a_windows_1252_file_is_imported_with_a_warning_in_the_callers_language(lead, admin):
    scenario = Scenario(lead, admin)
    data = (HEADER + "Amélie,ingénieur,équipe,team,survey,1,2,3,4\n").encode("cp1252")
    assert "é".encode("cp1252") == b"\xe9" and b"\xe9" in data  # not UTF-8 on purpose

    french = scenario.api.post(scenario.assessment_url("/ratings/import"),
                               data={"file": (BytesIO(data), "notes.csv")},
                               content_type="multipart/form-data", headers=FRENCH)

    assert french.status_code == 201, french.json
    assert french.json["ratings"] == 4
    assert french.json["warnings"] == [
        "Le fichier n'est pas en UTF-8 : il a été lu en Windows-1252, l'encodage du « CSV "
        "(séparateur : point-virgule) » d'Excel en français. Vérifiez les accents dans "
        "l'aperçu ; enregistrer le fichier en « CSV UTF-8 » évite cela."]
    names = [r["name"] for r in lead.get(scenario.assessment_url("/respondents")).json["items"]]
    assert names == ["Amélie"]


def test_a_utf8_file_has_no_warning_and_english_warnings_stay_english(lead, admin):
    scenario = Scenario(lead, admin)
    utf8 = _import(scenario, (HEADER + "Amélie,eng,x,team,survey,1,2,3,4\n").encode())
    cp1252 = _import(scenario, (HEADER + "Zoé,eng,x,team,survey,1,2,3,4\n").encode("cp1252"))

    assert utf8.status_code == cp1252.status_code == 201
    assert utf8.json["warnings"] == []
    assert cp1252.json["warnings"][0].startswith("The file is not UTF-8: it was read as "
                                                 "Windows-1252")


def test_the_openapi_document_describes_the_warnings(client):
    spec = client.get("/api/v1/openapi.json").json
    result = spec["components"]["schemas"]["RatingsImportResult"]

    assert result["properties"]["warnings"]["type"] == "array"
    assert "Windows-1252" in result["properties"]["warnings"]["description"]


def test_the_domains_refusals_are_translated_at_the_edge(lead, admin):
    scenario = Scenario(lead, admin)
    first, second = (lead.post(scenario.url("/initiatives"), json={"title": t}).json["id"]
                     for t in ("First", "Second"))
    links = scenario.url("/dependencies")
    assert lead.post(links, json={"prerequisite_id": first, "dependent_id": second}
                     ).status_code == 201

    cycle = lead.post(links, json={"prerequisite_id": second, "dependent_id": first},
                      headers=FRENCH)
    again = lead.post(links, json={"prerequisite_id": first, "dependent_id": second},
                      headers=FRENCH)
    english = lead.post(links, json={"prerequisite_id": second, "dependent_id": first})

    assert cycle.status_code == english.status_code == 409
    assert cycle.json["cycle"] == english.json["cycle"] == [first, second, first]
    assert english.json["detail"] == f"This link would close a cycle: {first} → {second} → {first}"
    assert cycle.json["detail"] == f"Ce lien fermerait un cycle : {first} → {second} → {first}"
    assert again.json["detail"] == f"L'initiative {second} dépend déjà de l'initiative {first}."
