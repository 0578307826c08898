"""The web foundation: sign-in, language per user, navigation by role, CSP, vendored Plotly,
and a French catalogue that is compiled from its current source."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tracker.extensions import db
from tracker.models import Membership, Organization, User
from tracker.services.tenancy import accounts

CATALOG = Path(__file__).resolve().parents[2] / "tracker" / "translations" / "fr" / "LC_MESSAGES"
PASSWORD = "correct horse battery"


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text


def member(org_id: int, email: str, role: str) -> int:
    user = accounts.create_user(email, PASSWORD)
    db.session.add(Membership(org_id=org_id, user_id=user.id, role=role))
    db.session.commit()
    return user.id


def an_org(name: str = "Acme") -> int:
    org = Organization(name=name)
    db.session.add(org)
    db.session.commit()
    return org.id


def _key(value: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    """Plural messages are lists in one reader and tuples in the other."""
    return value if isinstance(value, str) else tuple(value)


def test_the_compiled_french_catalogue_matches_its_source():
    with (CATALOG / "messages.po").open("rb") as handle:
        source = {_key(m.id): _key(m.string) for m in read_po(handle) if m.id}
    with (CATALOG / "messages.mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    assert compiled == source, "run: pybabel compile -d tracker/translations"
    assert all(source.values()), "every message has a French translation"


def test_the_language_switch_is_stored_on_the_user_and_formats_numbers(client):
    org = an_org("Zèbre & Co")
    user_id = member(org, "ann@example.org", "viewer")
    sign_in(client, "ann@example.org")
    assert "Your organizations" in client.get("/").text

    response = client.post("/locale", data={"locale": "fr", "next": "/"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    page = client.get("/").text
    assert "Vos organisations" in page and 'lang="fr"' in page
    assert "Zèbre &amp; Co" in page
    assert db.session.get(User, user_id).locale == "fr"

    assert client.post("/locale", data={"locale": "de", "next": "/"}).status_code == 422
    assert "Saisie invalide" in client.post("/locale", data={"locale": "de"}).text


def test_signed_out_visitors_keep_their_language_in_the_session(client):
    client.post("/locale", data={"locale": "fr", "next": "/login"})
    page = client.get("/login").text
    assert "Mot de passe" in page and "Se connecter" in page
    assert "Adresse inconnue" in client.post("/login", data={"email": "x@y.z",
                                                             "password": "nope"}).text


def test_the_score_filter_formats_two_decimals_for_the_locale(app):
    from flask_babel import refresh

    from tracker.web.i18n import score

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert score(3.456) == "3,46"
        assert score(None) == "–"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert score(3.0) == "3.00"


def test_navigation_lists_the_users_organizations_and_error_pages_are_translated(client):
    mine, other = an_org("Mine"), an_org("Other")
    member(mine, "bob@example.org", "lead")
    sign_in(client, "bob@example.org")
    page = client.get(f"/orgs/{mine}/assessments").text
    assert f'href="/orgs/{mine}/assessments"' in page and "Other" not in page
    assert 'href="#content"' in page and '<main id="content"' in page
    assert client.get(f"/orgs/{other}/assessments").status_code == 404
    client.post("/locale", data={"locale": "fr"})
    missing = client.get(f"/orgs/{other}/assessments")
    assert missing.status_code == 404 and "Introuvable" in missing.text


def test_pages_carry_a_csp_without_inline_scripts_and_plotly_is_served_locally(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    plotly = client.get("/static/vendor/plotly.min.js")
    assert plotly.status_code == 200 and plotly.mimetype == "text/javascript"
    assert b"plotly" in plotly.data[:2000].lower()
    assert client.get("/static/js/charts.js").status_code == 200
