"""Input the database cannot hold is refused at the edge: ids and page numbers beyond its
integer range, NUL characters, empty bulk bodies and incomplete nested records answer 422
(or 404 for a path naming no record), all field errors at once, never a 500."""

from __future__ import annotations

import logging

import pytest
from marshmallow import ValidationError, fields

from tests.builders import Scenario, framework_doc
from tracker import schemas
from tracker.domain.constants import DB_INT_MAX
from tracker.schemas import common

PROBLEM = "application/problem+json"
TOO_BIG = 2**31  # one past PostgreSQL's `integer`
HUGE = 2**63  # past SQLite's 64-bit integers too
NUL_TITLE = "Pilot\x00 squads"


def _errors(response, status: int = 422) -> dict:
    """The field errors of a problem+json answer with `status`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    return response.json.get("errors", {})


@pytest.fixture
def org(lead) -> str:
    """The URL of a new organization of `lead`."""
    return f"/api/v1/orgs/{lead.post('/api/v1/orgs', json={'name': 'Acme'}).json['id']}"


@pytest.mark.parametrize("path", [f"/api/v1/orgs/{HUGE}", f"/api/v1/orgs/{TOO_BIG}/kpis"])
def test_a_path_id_beyond_the_database_range_is_not_found(lead, path):
    _errors(lead.get(path), 404)


def test_an_initiative_id_beyond_the_range_is_not_found(lead, org):
    _errors(lead.get(f"{org}/initiatives/{HUGE}"), 404)
    _errors(lead.patch(f"{org}/initiatives/{TOO_BIG}", json={"title": "x"}), 404)


def test_the_openapi_document_shows_the_id_bounds(client):
    parameter = client.get("/api/v1/openapi.json").json["paths"][
        "/api/v1/orgs/{org_id}"]["parameters"][0]
    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def test_a_text_path_segment_with_a_nul_is_not_found(lead, org):
    initiative = lead.post(f"{org}/initiatives", json={"title": "Squads"}).json["id"]
    _errors(lead.put(f"{org}/initiatives/{initiative}/ratings/ann%00", json={}), 404)
    _errors(lead.get(f"{org}/playbook/x%00y"), 404)


@pytest.mark.parametrize("page", [TOO_BIG, HUGE])
def test_a_page_beyond_the_range_is_refused(lead, page):
    assert "page" in _errors(lead.get(f"/api/v1/orgs?page={page}"))


@pytest.mark.parametrize("ids", [[TOO_BIG], [HUGE, -1]])
def test_body_ids_beyond_the_range_are_refused_per_item(lead, org, ids):
    errors = _errors(lead.post(f"{org}/initiatives/from-findings", json={"finding_ids": ids}))
    assert set(errors) == {f"finding_ids[{i}]" for i in range(len(ids))}


def test_a_dependency_between_huge_ids_names_both_fields(lead, org):
    errors = _errors(lead.post(f"{org}/dependencies", json={
        "prerequisite_id": HUGE, "dependent_id": TOO_BIG}))
    assert {"prerequisite_id", "dependent_id"} <= set(errors)


def test_a_nul_in_a_title_is_refused_with_the_other_field_errors(lead, org):
    errors = _errors(lead.post(f"{org}/initiatives", json={
        "title": NUL_TITLE, "status": "nowhere", "owner": "Ann\x00"}))
    assert set(errors) == {"title", "status", "owner"}
    assert errors["title"] == [common.NUL_MESSAGE]
    assert lead.get(f"{org}/initiatives").json["total"] == 0


def test_nul_characters_are_found_in_lists_objects_keys_and_nested_records(lead, org):
    errors = _errors(lead.post(f"{org}/initiatives", json={
        "title": "Squads", "criteria": {"reach\x00": 1.0},
        "uplifts": [{"dimension": "products.vision", "expected": 1},
                    {"dimension": "a\x00", "expected": 1}]}))
    assert set(errors) == {"criteria", "uplifts[1].dimension"}


def test_a_nul_in_a_query_argument_is_refused(lead, org):
    assert "q" in _errors(lead.get(f"{org}/decisions?q=go%00"))


def test_a_nul_in_a_free_form_import_document_is_refused(lead):
    errors = _errors(lead.post("/api/v1/orgs/import", json={
        "format_version": 1, "organization": {"name": "Acme\x00"}}))
    assert errors == {"organization.name": [common.NUL_MESSAGE]}


def test_a_nul_in_a_ratings_csv_is_refused(lead, admin):
    scenario = Scenario(lead, admin)
    response = lead.post(scenario.assessment_url("/ratings/import"),
                         data="name,role,team,level,source,a.one\nAnn\x00,pm,x,team,survey,3\n",
                         headers={"Content-Type": "text/csv"})
    assert "file" in _errors(response)


def test_an_empty_bulk_import_is_refused(lead, org):
    errors = _errors(lead.post(f"{org}/initiatives/import", json={"initiatives": []}))
    assert "initiatives" in errors


def test_an_empty_ratings_batch_is_refused(lead, admin):
    scenario = Scenario(lead, admin)
    assert _errors(scenario.rate([]))


def test_an_uplift_without_its_dimension_is_refused_on_a_change_too(lead, org):
    initiative = lead.post(f"{org}/initiatives", json={"title": "Squads"}).json["id"]
    errors = _errors(lead.patch(f"{org}/initiatives/{initiative}",
                                json={"uplifts": [{"expected": 1.0}]}))
    assert "uplifts[0].dimension" in errors


def test_a_stored_whole_number_beyond_the_range_is_refused(admin):
    errors = _errors(admin.post("/api/v1/frameworks", json=framework_doc(version=TOO_BIG)))
    assert "version" in errors


def test_an_unexpected_error_answers_its_problem_and_logs_the_traceback(app, lead, monkeypatch,
                                                                        caplog):
    from tracker.services.tenancy import organizations

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(organizations, "list_organizations", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        with caplog.at_level(logging.ERROR, logger=app.logger.name):
            response = lead.get("/api/v1/orgs", headers={"Accept-Language": "fr"})
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500 and response.mimetype == PROBLEM
    assert response.json["title"] == "Erreur interne" and response.json["status"] == 500
    assert "secret internals" not in response.get_data(as_text=True)
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert "GET /api/v1/orgs" in record.getMessage()
    assert record.exc_info and "secret internals" in str(record.exc_info[1])


def _schema_classes() -> list[type]:
    """Every schema class the stage modules of `tracker.schemas` define."""
    import importlib
    import inspect
    import pkgutil

    import marshmallow

    modules = [importlib.import_module(f"tracker.schemas.{m.name}")
               for m in pkgutil.iter_modules(schemas.__path__)]
    return [cls for module in modules for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, marshmallow.Schema) and cls.__module__ == module.__name__]


def test_every_schema_derives_from_the_base_that_refuses_nul_characters():
    classes = _schema_classes()
    assert len(classes) > 50
    assert [c.__name__ for c in classes if not issubclass(c, common.Schema)] == []
    with pytest.raises(ValidationError) as refused:
        common.Schema.from_dict({"name": fields.String()})().load({"name": "a\x00"})
    assert refused.value.messages == {"name": [common.NUL_MESSAGE]}


def _request_integers(spec: dict, schema: dict, path: str, seen: set[str]) -> list:
    """(path, schema) of every integer a request schema accepts, `$ref`s followed."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _request_integers(spec, spec["components"]["schemas"][name], path,
                                 seen | {name})
    if schema.get("readOnly"):
        return []
    found = [(path, schema)] if schema.get("type") == "integer" else []
    for key, inner in (schema.get("properties") or {}).items():
        found += _request_integers(spec, inner, f"{path}.{key}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += _request_integers(spec, schema[key], f"{path}[]", seen)
    return found


def _request_schemas(spec: dict) -> list:
    """(label, schema) of every query parameter and JSON request body of the document."""
    found = []
    for url, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            label = f"{method.upper()} {url}"
            found += [(f"{label} ?{p['name']}", p["schema"])
                      for p in operation.get("parameters", []) if p.get("in") == "query"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                found.append((f"{label} body", body["schema"]))
    return found


def test_every_integer_a_request_takes_is_bounded_and_every_id_is_a_record_id(client):
    """The OpenAPI document (which schemathesis reads too) bounds every integer of every
    request body and query argument; ids are from 1 to 2^31 − 1."""
    spec = client.get("/api/v1/openapi.json").json
    unbounded, not_ids = [], []
    for label, schema in _request_schemas(spec):
        for path, integer in _request_integers(spec, schema, label, set()):
            if integer.get("maximum", DB_INT_MAX + 1) > DB_INT_MAX:
                unbounded.append(path)
            name = path.rstrip("[]").rsplit(".", 1)[-1].lstrip("?").rsplit("?", 1)[-1]
            if (name == "id" or name.endswith(("_id", "_ids"))) and integer.get("minimum") != 1:
                not_ids.append(path)
    assert unbounded == [] and not_ids == []


def test_an_unknown_time_zone_is_refused_on_a_change_of_settings(lead, org):
    assert "timezone" in _errors(lead.patch(org, json={"timezone": "Nowhere/Land"}))
    assert lead.get(org).json["timezone"] == "UTC"


def test_texts_longer_than_their_columns_are_refused(lead, admin):
    """PostgreSQL refuses a value longer than its `varchar`: an email beyond RFC 5321's 254
    characters, a question stream beyond 50."""
    scenario = Scenario(lead, admin)
    email = "a" * 64 + "@" + ".".join(["d" * 60] * 3) + ".example"
    assert len(email) > 254
    response = lead.post(scenario.assessment_url("/respondents"),
                         json={"name": "Ann", "email": email})
    assert "email" in _errors(response)
    doc = framework_doc(code="streams")
    doc["axes"][0]["dimensions"][0]["questions"] = [{
        "code": "q1", "text": "Q?", "stream": "s" * 51,
        "answers": [{"text": "No", "value": 1}]}]
    errors = _errors(admin.post("/api/v1/frameworks", json=doc))
    assert "axes[0].dimensions[0].questions[0].stream" in errors


def test_durations_and_slips_beyond_ten_years_are_refused(lead, org):
    """A plan's dates stay within the calendar: an initiative of 1e300 weeks would make
    every roadmap read of the organization overflow."""
    errors = _errors(lead.post(f"{org}/initiatives", json={"title": "Forever",
                                                          "duration_weeks": 1e300}))
    assert "duration_weeks" in errors
    initiative = lead.post(f"{org}/initiatives", json={"title": "Squads",
                                                      "duration_weeks": 4}).json["id"]
    assert "weeks" in _errors(lead.get(f"{org}/initiatives/{initiative}/impact?weeks=1e300"))
    assert f"delay.{initiative}.value" in _errors(lead.post(f"{org}/roadmap/what-if",
                                        json={"delay": {str(initiative): 1e300}}))


def test_an_empty_entity_tag_in_if_match_names_no_version(lead, org):
    initiative = lead.post(f"{org}/initiatives", json={"title": "Squads"}).json["id"]
    response = lead.patch(f"{org}/initiatives/{initiative}", json={"title": "Tribes"},
                          headers={"If-Match": 'W/"x", ""'})
    _errors(response, 412)
