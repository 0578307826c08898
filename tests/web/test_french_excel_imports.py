"""French Excel files import (DESIGN section 9): `;` as the separator, a UTF-8 byte order
mark, decimal commas, and a "CSV (séparateur: point-virgule)" saved in Windows-1252, which
is read as such and said so in the preview. Real bytes, through the upload pages."""

from __future__ import annotations

import html
import io
import re

import pytest

from tests.web.test_ratings_upload_pages import campaign  # noqa: F401  (the fixture, reused)
from tests.web_helpers import sign_in
from tracker.adapters.importers.ratings_csv import decode_text
from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import Rating, Respondent
from tracker.web.forms import encoding_warning

NOT_UTF8 = "read as Windows-1252"


@pytest.fixture
def upload(client, campaign) -> dict[str, object]:  # noqa: F811
    """The upload pages' assessment (Ann already in it, unrated), a lead signed in: its id,
    two dimension codes and the ratings and respondents import URLs."""
    sign_in(client, "lead@novatechna.example")
    respondents = f"/orgs/{campaign['org']}/assessments/{campaign['id']}/respondents/import"
    return {"id": campaign["id"], "codes": campaign["codes"], "ratings": campaign["url"],
            "respondents": respondents}


def _upload(client, url: str, data: bytes, name: str, **fields: str):
    return client.post(url, data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def _saved(upload) -> list[tuple[str, float | None]]:
    db.session.expire_all()
    return sorted(db.session.execute(
        db.select(Respondent.name, Rating.value).join(Rating, Rating.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == upload["id"])).all(), key=lambda r: (r[0], r[1] or 0))


def test_a_windows_1252_ratings_file_is_read_and_the_preview_says_so(client, upload):
    one, two = upload["codes"]
    data = (f"name;role;team;level;source;{one};{two}\r\n"
            f"Hélène Dupré;DSI;Équipe A;manager;interview;3,5;4\r\n").encode("cp1252")
    assert b"H\xe9l\xe8ne" in data  # the accents as Windows-1252 bytes, not UTF-8

    preview = _upload(client, upload["ratings"], data, "notes.csv")

    assert preview.status_code == 200, preview.text
    assert NOT_UTF8 in preview.text
    token = re.search(r'name="token" value="([\w-]+)"', preview.text).group(1)
    saved = client.post(upload["ratings"] + "/confirm", data={"token": token})
    assert saved.status_code == 303
    assert _saved(upload) == [("Hélène Dupré", 3.5), ("Hélène Dupré", 4.0)]


def test_a_utf8_file_with_a_bom_says_nothing_of_its_encoding(client, upload):
    one, two = upload["codes"]
    data = ("\ufeffname;role;team;level;source;" + f"{one};{two}\r\n"
            "Zoé;;;;survey;2,5;1\r\n").encode("utf-8")

    preview = _upload(client, upload["ratings"], data, "notes.csv")

    assert preview.status_code == 200, preview.text
    assert NOT_UTF8 not in preview.text
    assert _saved(upload) == []  # a preview writes nothing


def test_a_windows_1252_respondent_list_with_semicolons_is_previewed(client, upload):
    data = ("name;email;role;team;level;source\r\n"
            "Hélène Dupré;helene@x.example;DSI;Équipe A;leader;survey\r\n").encode("cp1252")

    preview = _upload(client, upload["respondents"], data, "liste.csv", step="preview")

    assert preview.status_code == 200, preview.text
    assert NOT_UTF8 in preview.text
    carried = re.search(r'name="list" value="([^"]*)"', preview.text).group(1)
    added = client.post(upload["respondents"],
                        data={"step": "confirm", "list": html.unescape(carried)})
    assert added.status_code == 303
    assert db.session.scalars(db.select(Respondent.team).where(
        Respondent.assessment_id == upload["id"], Respondent.name == "Hélène Dupré")).all() \
        == ["Équipe A"]


def test_a_utf8_respondent_list_with_a_bom_and_semicolons_is_read(client, upload):
    data = "\ufeffname;source\r\nÉlodie;survey\r\n".encode("utf-8")

    preview = _upload(client, upload["respondents"], data, "liste.csv", step="preview")

    assert preview.status_code == 200, preview.text
    assert "Élodie" in html.unescape(preview.text) and NOT_UTF8 not in preview.text


def test_bytes_neither_utf8_nor_windows_1252_are_refused_naming_the_line():
    # 0x81 is one of the five bytes Windows-1252 leaves undefined; it sits on line 2
    with pytest.raises(InvalidInput) as refused:
        decode_text(b"name;source\n\x81nn;survey\n")

    assert "line 2" in refused.value.detail
    assert encoding_warning(b"name;source\n\x81nn;survey\n", "x.csv") is None
