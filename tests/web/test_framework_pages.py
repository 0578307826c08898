"""The framework pages on the demo organization: the library (built-in and own grids, never
another organization's), a grid's page, the upload of a grid file (a preview naming every
problem at once, then an import that checks again), an OWASP SAMM model zip (previewed,
imported; an unsafe or oversized archive refused), "new version" of an own grid, and the
roles (a viewer cannot upload, an ops cannot import SAMM)."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.web_helpers import seed_demo, sign_in
from tracker.adapters.importers import samm
from tracker.extensions import db
from tracker.models import Framework
from tracker.services.frame import frameworks
from tracker.services.tenancy import accounts, organizations

SAMM_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samm-sample" / "model"

GRID = {"code": "acme-grid", "name": "Acme grid", "version": 1,
        "scale": [{"value": 1, "label": "Initial"}, {"value": 3, "label": "Defined"},
                  {"value": 5, "label": "Optimizing"}],
        "axes": [{"code": "products", "name": "Products", "weight": 2, "dimensions": [
            {"code": "products.vision", "name": "Vision is shared", "weight": 1,
             "levels": {1: "Nobody knows it", 5: "Everyone can tell it"}},
            {"code": "products.discovery", "name": "Discovery", "weight": 3}]}]}


@pytest.fixture
def demo_org(app, client) -> int:
    org_id = seed_demo()
    sign_in(client, "lead@novatechna.example")
    return org_id


def other_org_grid() -> int:
    """The id of a grid owned by another organization, which the demo's members may not
    see."""
    outsider = accounts.create_user("outsider@other.example", "a long passphrase 42")
    other = organizations.create_organization(outsider, {"name": "Other org"})
    return frameworks.import_framework_document({**GRID, "code": "secret-grid"},
                                                org_id=other.id).id


def own_grid(org_id: int, document: dict | None = None) -> int:
    """The id of a grid the demo organization owns."""
    return frameworks.import_framework_document(document or GRID, org_id=org_id).id


def upload(client, org_id: int, text: str, name: str = "grid.yaml"):
    return client.post(f"/orgs/{org_id}/frameworks/upload",
                       data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def carried_document(page: str) -> str:
    return html.unescape(re.search(r'name="document" value="([^"]*)"', page).group(1))


def samm_zip(root: str = "core/model/", extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(SAMM_SAMPLE.rglob("*.yml")):
            archive.write(path, root + path.relative_to(SAMM_SAMPLE).as_posix())
        archive.writestr("core/README.md", "not part of the model")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload_samm(client, org_id: int, data: bytes):
    return client.post(f"/orgs/{org_id}/frameworks/upload-samm",
                       data={"model_zip": (io.BytesIO(data), "samm.zip"), "release": "2.2"},
                       content_type="multipart/form-data")


def test_the_library_lists_built_in_and_own_grids_but_not_another_organizations(
        client, demo_org):
    secret = other_org_grid()
    own = own_grid(demo_org)

    page = client.get(f"/orgs/{demo_org}/frameworks").text

    assert "Product operating model grid" in page and "pom-grid" in page
    assert f'data-framework-id="{own}"' in page and "Acme grid" in page
    assert "secret-grid" not in page
    assert client.get(f"/orgs/{demo_org}/frameworks/{secret}").status_code == 404
    assert client.get(f"/orgs/{demo_org}/frameworks/{secret}.yaml").status_code == 404


def test_the_frameworks_entry_is_in_the_menu(client, demo_org):
    page = client.get(f"/orgs/{demo_org}/assessments").text

    assert f'href="/orgs/{demo_org}/frameworks"' in page


def test_a_grid_page_shows_axes_weights_levels_and_questions_in_sections(client, demo_org):
    grid = own_grid(demo_org,
        {**GRID, "axes": [{**GRID["axes"][0], "dimensions": [
            {**GRID["axes"][0]["dimensions"][0], "questions": [
                {"code": "products.vision.q1", "text": "Can the team tell the vision?",
                 "answers": [{"text": "No", "value": 1}, {"text": "Yes", "value": 5}]}]}]}]})

    page = client.get(f"/orgs/{demo_org}/frameworks/{grid}").text

    assert page.count('<details class="dimension"') == 1
    assert "Vision is shared" in page and "Weight 2" in page
    assert "Everyone can tell it" in page and "Optimizing" in page
    assert "Can the team tell the vision?" in page and "products.vision.q1" in page
    assert 'id="new-version"' in page


def test_an_upload_previews_the_counts_then_the_confirm_imports_it(client, demo_org):
    preview = upload(client, demo_org, yaml.safe_dump(GRID))

    assert preview.status_code == 200
    assert "1 axis" in preview.text and "2 dimensions" in preview.text
    assert "products.discovery" in preview.text  # warned: no level descriptors
    assert db.session.query(Framework).filter_by(code="acme-grid").count() == 0

    done = client.post(f"/orgs/{demo_org}/frameworks/import",
                       data={"document": carried_document(preview.text)})

    stored = db.session.query(Framework).filter_by(code="acme-grid").one()
    assert done.status_code == 303 and stored.org_id == demo_org
    assert done.headers["Location"].endswith(f"/orgs/{demo_org}/frameworks/{stored.id}")


def test_an_upload_names_every_problem_at_once_with_its_place(client, demo_org):
    broken = {key: value for key, value in GRID.items() if key != "scale"}
    broken["axes"] = [{**GRID["axes"][0], "dimensions": [
        {**GRID["axes"][0]["dimensions"][0], "weight": "heavy"}]}]

    response = upload(client, demo_org, yaml.safe_dump(broken))

    assert response.status_code == 422
    errors = re.search(r'<ul class="field-error" id="document-errors">(.*?)</ul>',
                       response.text, re.S).group(1)
    assert "scale" in errors and "Missing data for required field." in errors
    assert "axis 1 (products) › dimension 1 (products.vision) › weight" in errors
    assert "axes[0].dimensions[0].weight" in errors and "Not a valid number." in errors
    assert "weight: heavy" in response.text  # the document is kept in the text area
    assert 'name="document"' not in response.text


def test_a_grid_whose_code_and_version_exist_is_refused_clearly(client, demo_org):
    own_grid(demo_org)

    response = upload(client, demo_org, json.dumps(GRID), name="grid.json")

    assert response.status_code == 422
    assert "acme-grid version 1 already exists; give this one version 2." in \
        html.unescape(response.text)


def test_the_confirm_checks_the_document_again(client, demo_org):
    response = client.post(f"/orgs/{demo_org}/frameworks/import",
                           data={"document": json.dumps({**GRID, "axes": []})})

    assert response.status_code == 422
    assert "<strong>axes</strong>: Shorter than minimum length 1." in response.text
    assert db.session.query(Framework).filter_by(code="acme-grid").count() == 0


def test_new_version_fills_the_form_with_the_next_version(client, demo_org):
    own = own_grid(demo_org)

    form = client.get(f"/orgs/{demo_org}/frameworks/upload?from={own}").text
    content = html.unescape(re.search(r'<textarea id="f-content"[^>]*>(.*?)</textarea>',
                                      form, re.S).group(1))
    preview = client.post(f"/orgs/{demo_org}/frameworks/upload", data={"content": content})

    assert yaml.safe_load(content)["version"] == 2
    assert preview.status_code == 200 and "version 2" in preview.text
    download = client.get(f"/orgs/{demo_org}/frameworks/{own}.yaml")
    assert yaml.safe_load(download.text)["code"] == "acme-grid"


@pytest.mark.parametrize("email", ["sponsor@novatechna.example",
                                   "contributor@novatechna.example"])
def test_a_viewer_or_contributor_cannot_upload(app, client, email):
    org_id = seed_demo()
    sign_in(client, email)

    assert client.get(f"/orgs/{org_id}/frameworks/upload").status_code == 403
    assert upload(client, org_id, yaml.safe_dump(GRID)).status_code == 403
    assert client.post(f"/orgs/{org_id}/frameworks/import",
                       data={"document": json.dumps(GRID)}).status_code == 403
    assert 'id="import-grid-link"' not in client.get(f"/orgs/{org_id}/frameworks").text


def test_a_samm_zip_previews_then_imports(client, demo_org):
    preview = upload_samm(client, demo_org, samm_zip())

    assert preview.status_code == 200, preview.text
    assert "2 axes" in preview.text and "2 dimensions" in preview.text
    assert "B-CR" in preview.text and "owasp-samm" in preview.text

    client.post(f"/orgs/{demo_org}/frameworks/import",
                data={"document": carried_document(preview.text)})

    stored = db.session.query(Framework).filter_by(code="owasp-samm").one()
    assert stored.org_id == demo_org and stored.question_rule == "samm"


def test_an_ops_uploads_grid_files_but_not_samm_zips(app, client):
    org_id = seed_demo()
    sign_in(client, "ops@novatechna.example")

    form = client.get(f"/orgs/{org_id}/frameworks/upload").text

    assert 'for="f-file"' in form and 'id="f-model_zip"' not in form
    assert upload_samm(client, org_id, samm_zip()).status_code == 403


def test_an_upload_without_a_file_or_a_document_says_so(client, demo_org):
    response = client.post(f"/orgs/{demo_org}/frameworks/upload", data={"content": " "})

    assert response.status_code == 422
    assert "Choose a grid file or paste the grid document." in response.text


def test_importing_the_same_samm_release_twice_is_refused(client, demo_org):
    first = upload_samm(client, demo_org, samm_zip())
    client.post(f"/orgs/{demo_org}/frameworks/import",
                data={"document": carried_document(first.text)})

    again = upload_samm(client, demo_org, samm_zip())

    assert again.status_code == 422
    assert "owasp-samm version 202 already exists" in again.text


@pytest.mark.parametrize("name", ["../evil.yml", "/etc/evil.yml", "core/../../evil.yml"])
def test_a_zip_with_a_member_outside_its_folder_is_refused(client, demo_org, name):
    response = upload_samm(client, demo_org, samm_zip(extra={name: b"id: 1"}))

    assert response.status_code == 422
    assert "outside its folder" in response.text and name in html.unescape(response.text)
    assert db.session.query(Framework).filter_by(code="owasp-samm").count() == 0


def test_a_zip_too_large_once_uncompressed_is_refused(client, demo_org, monkeypatch):
    monkeypatch.setattr(samm, "MAX_MODEL_BYTES", 4096)
    filler = b"# " + b"x" * 8192 + b"\n"
    data = samm_zip(extra={"core/model/streams/zz.yml": filler})

    response = upload_samm(client, demo_org, data)

    assert response.status_code == 422
    assert "once uncompressed" in response.text


def test_a_broken_samm_file_is_named(client, demo_org):
    data = samm_zip(extra={"core/model/streams/broken.yml": b"id: [unclosed"})

    response = upload_samm(client, demo_org, data)

    assert response.status_code == 422
    assert "streams/broken.yml" in response.text
