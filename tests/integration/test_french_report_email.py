"""Issue 16: the report and the barometer email of a French organization name pom-grid's
axes and dimensions in French, none in English, whereas the same assessments in an English
organization keep the English names. The PDF's text likewise, where Chromium prints it."""

from __future__ import annotations

import io
import unicodedata
from html import unescape

import pytest
from pypdf import PdfReader

from tests.french_orgs import build_org, english_left, grid_names, pom_grid_seed
from tracker.adapters import pdf
from tracker.extensions import db
from tracker.models import Organization, OutboxMessage
from tracker.services.diagnose import report
from tracker.services.follow import barometer_mail

PERIOD = "2026-Q4"


@pytest.fixture
def pair(lead):
    """The English and the French organization, the same assessments in each."""
    return build_org(lead, "Acme", "en"), build_org(lead, "Acme FR", "fr")


def _org(built):
    return db.session.get(Organization, built.org_id)


def _french_names() -> list[str]:
    return [french for _, french in grid_names()]


def test_the_french_report_names_the_grid_in_french_and_the_english_one_in_english(pair):
    english, french = pair

    french_html = unescape(report.report_html(_org(french), french.second_id))
    english_html = unescape(report.report_html(_org(english), english.second_id))

    assert english_left(french_html) == []
    assert [name for name in _french_names() if name not in french_html] == []
    assert pom_grid_seed()["translations"]["fr"]["name"] in french_html
    assert [name for name, _ in grid_names() if name not in english_html] == []
    assert [name for name in _french_names() if name in english_html] == []
    assert '<html lang="fr"' in french_html and '<html lang="en"' in english_html


def test_a_lang_asked_overrides_the_organizations_language(pair):
    _, french = pair

    html = unescape(report.report_html(_org(french), french.second_id, "en"))

    assert [name for name, _ in grid_names() if name not in html] == []


@pytest.mark.skipif(not pdf.available(), reason="PDF needs /usr/bin/chromium")
def test_the_french_pdf_names_the_grid_in_french(pair):
    _, french = pair

    data, mimetype, _ = report.report(_org(french), french.second_id, "pdf")

    assert mimetype == "application/pdf"
    text = _flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    assert [english for english, _ in grid_names() if _flat(english) in text] == []
    assert [name for name in _french_names() if _flat(name) not in text] == []


def _flat(text: str) -> str:
    """`text` without whitespace (a name may break over two lines of the PDF) and with
    the printed ligatures (`ﬁ`) spelt out."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _sent(app, built, recipient):
    result = barometer_mail.send_barometer(_org(built), app.config, recipients=[recipient],
                                           period=PERIOD)
    assert result.queued == [recipient]
    return db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.org_id == built.org_id, OutboxMessage.recipient == recipient))


def _moved() -> list[str]:
    """The French names of the dimensions the email lists as moves: per axis the first
    dimension went 2 → 3 and the last 2 → 1; the email keeps the 3 largest moves each way,
    ties broken by code (`MOVES`)."""
    axes = pom_grid_seed()["axes"]
    up = sorted((axis["dimensions"][0] for axis in axes), key=lambda d: d["code"])[:3]
    down = sorted((axis["dimensions"][-1] for axis in axes), key=lambda d: d["code"])[:3]
    return [d["translations"]["fr"]["name"] for d in [*up, *down]]


def test_the_french_barometer_email_names_the_grid_in_french(app, pair):
    english, french = pair

    message = _sent(app, french, "sponsor@acme-fr.example")
    english_message = _sent(app, english, "sponsor@acme.example")

    axes = [axis["translations"]["fr"]["name"] for axis in pom_grid_seed()["axes"]]
    for part in (message.text, unescape(message.html or "")):
        assert english_left(part) == []
        assert [name for name in [*axes, *_moved()] if name not in part] == []
    english_axes = [axis["name"] for axis in pom_grid_seed()["axes"]]
    assert [name for name in english_axes if name not in english_message.text] == []
    assert [name for name in _french_names() if name in english_message.text] == []


def test_the_barometer_charts_label_the_axes_in_the_readers_language(pair):
    _, french = pair

    _, french_charts = barometer_mail.digest(_org(french), PERIOD, "http://tracker.test", "fr")
    _, english_charts = barometer_mail.digest(_org(french), PERIOD, "http://tracker.test", "en")

    radar = {chart.name: chart for chart in french_charts}["radar"]
    assert list(radar.labels) == [a["translations"]["fr"]["name"]
                                  for a in pom_grid_seed()["axes"]]
    assert list({c.name: c for c in english_charts}["radar"].labels) == [
        a["name"] for a in pom_grid_seed()["axes"]]
