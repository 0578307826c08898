"""Issue 16 leftovers on the pages of a French user: decimals pre-filled with a comma (the
initiative, KPI, raters and scorecard forms), the ratings preview naming each bad cell in
French, the Gantt hover dates by locale, and the services' refusals (the last lead, an
invitation to a member, a forbidden assessment move, marshmallow's own messages) in French;
an English user reads the English forms."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from html import unescape

import pytest
from flask_babel import force_locale

from tests.builders import Scenario
from tracker.adapters.charts import gantt
from tracker.adapters.charts.figures import Legend
from tracker.extensions import db
from tracker.models import User
from tracker.services.tenancy import accounts

PASSWORD = "correct horse battery"


def _browser(app, locale: str):
    """A web client signed in as lead@example.org, who reads `locale`."""
    accounts.set_locale(accounts.find_user("lead@example.org"), locale)
    browser = app.test_client()
    signed_in = browser.post("/login", data={"email": "lead@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.text
    return browser


@pytest.fixture
def org(lead, admin) -> Scenario:
    return Scenario(lead, admin)


def _initiative(org: Scenario, **fields) -> int:
    response = org.api.post(org.url("/initiatives"), json={"title": "Pilot squads", **fields})
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.mark.parametrize(("locale", "shown"), [("fr", "3,5"), ("en", "3.5")])
def test_the_initiative_form_shows_a_decimal_in_the_users_notation(app, org, locale, shown):
    initiative = _initiative(org, duration_weeks=3.5)

    page = _browser(app, locale).get(f"/orgs/{org.org['id']}/initiatives/{initiative}/edit")

    assert page.status_code == 200
    assert f'name="duration_weeks" type="text" inputmode="decimal" value="{shown}"' in page.text


def test_the_kpi_form_shows_its_target_with_a_comma_in_french(app, org):
    kpi = org.api.post(org.url("/kpis"), json={"name": "Lead time", "unit": "days",
                                               "direction": "lower_is_better", "target": 2.5})
    assert kpi.status_code == 201, kpi.json

    page = _browser(app, "fr").get(f"/orgs/{org.org['id']}/kpis/{kpi.json['id']}/edit")

    assert page.status_code == 200 and 'id="k-target" name="target" inputmode="decimal" ' \
        'value="2,5"' in page.text


def test_a_raters_prefilled_values_use_a_comma_in_french(app, org):
    initiative = _initiative(org)
    browser = _browser(app, "fr")
    saved = browser.post(f"/orgs/{org.org['id']}/initiatives/{initiative}/raters",
                         data={"rater": "Ann", "business_value": "8", "confidence": "0,5"})
    assert saved.status_code == 303, saved.text

    page = browser.get(f"/orgs/{org.org['id']}/initiatives/{initiative}?rater=Ann").text

    assert 'id="rater-confidence" name="confidence" value="0,5"' in page
    assert 'id="rater-business_value" name="business_value" value="8"' in page


def test_the_ratings_preview_names_each_bad_cell_in_french(app, org):
    upload = f"/orgs/{org.org['id']}/assessments/{org.assessment['id']}/ratings/upload"
    text = "name;role;team;level;source;a.one\nAnn;eng;x;team;survey;7\n"

    page = _browser(app, "fr").post(upload, data={"file": (io.BytesIO(text.encode()), "r.csv")},
                                    content_type="multipart/form-data")

    assert page.status_code == 422
    assert ("<strong>ligne 2, colonne a.one</strong>: 7 est en dehors de l'échelle 1–5"
            in unescape(page.text))


def test_the_last_lead_is_kept_with_a_french_refusal(app, org):
    browser = _browser(app, "fr")
    me = db.session.scalar(db.select(User.id).where(User.email == "lead@example.org"))

    browser.post(f"/orgs/{org.org['id']}/members/{me}/role", data={"role": "ops"})
    page = unescape(browser.get(f"/orgs/{org.org['id']}/members").text)

    assert "Une organisation garde au moins un responsable." in page
    assert "An organization keeps at least one lead." not in page


def test_an_invitation_to_a_member_and_a_bad_email_are_refused_in_french(app, org):
    browser = _browser(app, "fr")
    invite = f"/orgs/{org.org['id']}/invitations"

    member = browser.post(invite, data={"email": "lead@example.org", "role": "ops"})
    bad = browser.post(invite, data={"email": "not an address", "role": "ops"})

    assert member.status_code == 409 and "Déjà membre." in unescape(member.text)
    assert bad.status_code == 422 and "Adresse e-mail invalide." in unescape(bad.text)


def test_a_forbidden_assessment_move_is_refused_in_french(app, org):
    cockpit = (f"/orgs/{org.org['id']}/assessments/{org.assessment['id']}/cockpit/status")

    page = _browser(app, "fr").post(cockpit, data={"status": "closed", "confirm": "1"})

    assert page.status_code == 409  # a draft opens first: draft → open → closed
    assert "Autorisé : open." in unescape(page.text)


@dataclass(frozen=True)
class _Bar:
    initiative_id: int
    title: str
    start: date
    end: date
    slack_weeks: float = 0.0
    critical: bool = True


@pytest.mark.parametrize(("locale", "start", "last"), [
    ("fr", "1 mars 2027", "14 mars 2027"), ("en", "Mar 1, 2027", "Mar 14, 2027")])
def test_the_gantt_hover_text_gives_dates_in_the_readers_language(app, locale, start, last):
    # two weeks from Monday 1 March 2027: the end is exclusive, so the last day is the 14th
    bar = _Bar(1, "Pilot squads", date(2027, 3, 1), date(2027, 3, 15))
    with app.test_request_context(), force_locale(locale):
        figure = gantt.timeline([bar], [], Legend("critical", "other"),
                                lambda weeks: "no slack", lambda i: f"/i/{i}")

    hover = figure["data"][0]["text"][0]
    assert hover == f"Pilot squads — {start} → {last} · no slack"
    assert figure["data"][0]["base"] == ["2027-03-01"]  # Plotly still reads ISO dates


def test_a_pasted_list_of_respondents_names_its_bad_cells_in_french(app, org):
    pasted = "name;email;source\nCarl;carl@x.example;survey\nDana;dana-at-x;survey\n"
    path = f"/orgs/{org.org['id']}/assessments/{org.assessment['id']}/respondents/import"

    preview = _browser(app, "fr").post(path, data={"step": "preview", "list": pasted})
    header = _browser(app, "fr").post(path, data={"step": "preview", "list": "email\nx@y.z"})

    assert preview.status_code == 422
    assert "ligne 3, email: Adresse e-mail invalide." in unescape(preview.text)
    assert "ligne 1, name: Colonne manquante (l'en-tête est " in unescape(header.text)


def test_a_word_in_a_number_field_is_named_in_french_and_kept_as_typed(app, org):
    response = _browser(app, "fr").post(f"/orgs/{org.org['id']}/initiatives/new", data={
        "title": "Revues", "duration_weeks": "deux"})

    assert response.status_code == 422
    assert "doit être un nombre, par exemple 2,5 ou 2.5." in unescape(response.text)
    assert "Nombre invalide." not in unescape(response.text)
    assert 'name="duration_weeks" type="text" inputmode="decimal" value="deux"' in response.text
