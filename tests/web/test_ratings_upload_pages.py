"""Ratings from files in the browser: a CSV with `;`, a byte order mark and decimal commas, an
`.xlsx` workbook, the preview that names every bad cell and writes nothing, the confirmation
that writes all, rows that rate respondents already in the assessment, the template download,
the size limit and the role rules."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Assessment, Rating, Respondent
from tracker.services.frame import frameworks


@pytest.fixture
def campaign(app) -> dict[str, object]:
    """An open assessment of the demo on its grid, with one respondent (Ann) and no rating;
    its upload URL and two dimension codes."""
    org = seed_demo()
    latest = db.session.scalars(db.select(Assessment).where(Assessment.org_id == org)
                                .order_by(Assessment.id.desc())).first()
    assessment = Assessment(org_id=org, framework_id=latest.framework_id, title="Upload",
                            kind="diagnostic", status="open")
    db.session.add(assessment)
    db.session.flush()
    db.session.add(Respondent(org_id=org, assessment_id=assessment.id, name="Ann",
                              source="survey", survey_token="tok-upload-ann"))
    db.session.commit()
    codes = list(frameworks.dimensions_by_code(frameworks.load_framework(latest.framework_id)))
    return {"org": org, "id": assessment.id, "codes": codes[:2],
            "url": f"/orgs/{org}/assessments/{assessment.id}/ratings/upload"}


def _post(client, url: str, data: bytes, name: str):
    return client.post(url, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _ratings(campaign) -> dict[tuple[str, str], float | None]:
    rows = db.session.execute(db.select(Respondent.name, Rating.dimension_id, Rating.value)
                              .join(Rating, Rating.respondent_id == Respondent.id)
                              .where(Respondent.assessment_id == campaign["id"])).all()
    return {(name, str(dimension)): value for name, dimension, value in rows}


def _confirm(client, campaign, page: str):
    token = re.search(r'name="token" value="([\w-]+)"', page).group(1)
    return client.post(campaign["url"] + "/confirm", data={"token": token})


def test_a_semicolon_csv_with_a_bom_and_decimal_commas_is_previewed_then_saved(client,
                                                                               campaign):
    sign_in(client, "ops@novatechna.example")
    one, two = campaign["codes"]
    text = f"\ufeffname;role;team;level;source;{one};{two}\nAnn;;;;survey;3,5;4\n" \
           f"Bob;eng;claims;team;interview;2;n/a\n"

    preview = _post(client, campaign["url"], text.encode(), "ratings.csv")

    assert preview.status_code == 200, preview.text
    assert re.search(r'id="preview-new">1<', preview.text)
    assert re.search(r'id="preview-updated">1<', preview.text)
    assert re.search(r'id="preview-ratings">4<', preview.text)
    assert _ratings(campaign) == {}
    saved = _confirm(client, campaign, preview.text)
    assert saved.status_code == 303
    assert saved.location.endswith("/cockpit")
    values = sorted(v for v in _ratings(campaign).values() if v is not None)
    assert values == [2.0, 3.5, 4.0]
    assert db.session.scalar(db.select(db.func.count()).select_from(Respondent)
                             .where(Respondent.assessment_id == campaign["id"])) == 2


def test_an_xlsx_workbook_is_read_from_its_first_sheet(client, campaign):
    sign_in(client, "lead@novatechna.example")
    one, two = campaign["codes"]
    book = Workbook()
    book.active.append(["name", "role", "team", "level", "source", one, two])
    book.active.append(["Cat", "pm", "claims", "team", "interview", 3.5, 4])
    out = io.BytesIO()
    book.save(out)

    preview = _post(client, campaign["url"], out.getvalue(), "ratings.xlsx")

    assert re.search(r'id="preview-ratings">2<', preview.text), preview.text
    assert _confirm(client, campaign, preview.text).status_code == 303
    assert sorted(_ratings(campaign).values()) == [3.5, 4.0]


def test_the_preview_names_every_bad_cell_and_writes_nothing(client, campaign):
    sign_in(client, "ops@novatechna.example")
    one, two = campaign["codes"]
    text = (f"name,role,team,level,source,{one},{two}\nAnn,,,,survey,7,3\n"
            f"Bob,,,,radio,2,abc\n")

    response = _post(client, campaign["url"], text.encode(), "ratings.csv")

    assert response.status_code == 422
    assert f"row 2.{one}</strong>: 7 is outside the scale 1–5" in response.text
    assert "row 3.source</strong>" in response.text
    assert f"row 3.{two}</strong>: &#39;abc&#39; is not a number" in response.text
    assert 'id="ratings-confirm"' not in response.text
    assert _ratings(campaign) == {}


def test_a_missing_file_and_a_bad_workbook_are_named_beside_the_field(client, campaign):
    sign_in(client, "ops@novatechna.example")

    missing = client.post(campaign["url"], data={}, content_type="multipart/form-data")
    broken = _post(client, campaign["url"], b"PK\x03\x04 not a zip", "x.xlsx")

    assert missing.status_code == broken.status_code == 422
    assert 'id="file-error"' in missing.text and "Choose a CSV" in missing.text
    assert "Not an .xlsx workbook" in broken.text


def test_an_unknown_or_foreign_token_confirms_nothing(client, campaign):
    sign_in(client, "ops@novatechna.example")

    response = client.post(campaign["url"] + "/confirm", data={"token": "x" * 32})

    assert response.status_code == 422
    assert "upload the file again" in response.text


def test_a_file_over_the_byte_limit_answers_413(app, client, campaign, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_RATINGS_IMPORT_MAX_BYTES", 10)
    sign_in(client, "ops@novatechna.example")

    response = _post(client, campaign["url"], b"name,role,team,level,source\n", "r.csv")

    assert response.status_code == 413


def test_the_template_lists_the_grid_codes(client, campaign):
    sign_in(client, "ops@novatechna.example")

    response = client.get(f"/orgs/{campaign['org']}/assessments/{campaign['id']}"
                          "/ratings/template.csv")

    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    assert text.startswith("name,role,team,level,source," + ",".join(campaign["codes"]))


@pytest.mark.parametrize("email", ["contributor@novatechna.example",
                                   "sponsor@novatechna.example"])
def test_below_ops_the_upload_is_forbidden(client, campaign, email):
    sign_in(client, email)

    assert client.get(campaign["url"]).status_code == 403
    assert _post(client, campaign["url"], b"name\n", "r.csv").status_code == 403


def test_a_closed_assessment_offers_no_upload_and_refuses_one(client, campaign):
    db.session.get(Assessment, campaign["id"]).status = "closed"
    db.session.commit()
    sign_in(client, "ops@novatechna.example")

    page = client.get(campaign["url"])

    assert 'id="assessment-closed"' in page.text and 'id="f-file"' not in page.text
    text = b"name,role,team,level,source\nAnn,,,,survey\n"
    assert _post(client, campaign["url"], text, "r.csv").status_code == 409
