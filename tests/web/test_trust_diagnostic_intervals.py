"""The 95 % intervals on the diagnostic page (DESIGN section 3, "Uncertainty"): every
dimension, axis and the overall score worded "score ± margin", the margins computed here by
hand from Student's t quantiles read in a printed table."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest

from tests.builders import Scenario
from tests.web.scoring_helpers import demo_signed_in
from tracker.extensions import db
from tracker.models import Assessment

PASSWORD = "correct horse battery"   # the one `make_api` gives its users
#: t(0.975, df) from a printed table of Student's t distribution.
T_975 = {1: 12.7062, 2: 4.3027, 3: 3.1824}


def _rows(respondent_id: int, values: dict[str, float]) -> list[dict]:
    return [{"respondent_id": respondent_id, "dimension": code, "value": value}
            for code, value in values.items()]


def _sample_margin(values: list[float]) -> float:
    """t(0.975, n − 1) · s / √n, with the sample standard deviation `s`."""
    n = len(values)
    mean = sum(values) / n
    s = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return T_975[n - 1] * s / math.sqrt(n)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def page(app, lead, admin) -> str:
    """The diagnostic page of three respondents on the test grid (axis a: a.one weight 1,
    a.two weight 3; axis b, weight 2: b.one, b.two), as its lead sees it."""
    scenario = Scenario(lead, admin)
    ann, bob, cat = (scenario.add_respondent(n) for n in ("Ann", "Bob", "Cat"))
    assert scenario.rate(_rows(ann, {"a.one": 1, "a.two": 4, "b.one": 2})
                         + _rows(bob, {"a.one": 3, "a.two": 2, "b.one": 4})
                         + _rows(cat, {"a.two": 3, "b.one": 5})).status_code == 200
    browser = app.test_client()
    assert browser.post("/login", data={"email": "lead@example.org",
                                        "password": PASSWORD}).status_code == 302
    response = browser.get(f"/orgs/{scenario.org['id']}/assessments/"
                           f"{scenario.assessment['id']}")
    assert response.status_code == 200
    return response.text


def _cell(html: str, attribute: str, code: str) -> str:
    match = re.search(rf'{attribute}="{re.escape(code)}">(.*?)</t[dh]>', html, re.S)
    assert match, code
    return _text(match.group(1)).strip()


def test_every_dimension_shows_its_score_and_margin(page):
    # a.one: 1, 3 → 2, s = √2, se = 1, df 1: ± 12.7062
    assert _cell(page, "data-dimension", "a.one") == "2.00 ± 12.71"
    # a.two: 4, 2, 3 → 3, s = 1, se = 1/√3, df 2: 4.3027 / √3 = 2.4842
    assert round(T_975[2] / math.sqrt(3), 2) == 2.48
    assert _cell(page, "data-dimension", "a.two") == "3.00 ± 2.48"
    # b.one: 2, 4, 5 → 3.67, s = 1.5275, df 2: 4.3027 · 1.5275 / √3 = 3.79
    assert _cell(page, "data-dimension", "b.one") == (
        f"3.67 ± {_sample_margin([2, 4, 5]):.2f}")
    # b.two has no rating: no score, no margin
    assert _cell(page, "data-dimension", "b.two") == "–"


def test_axes_and_overall_use_each_respondents_own_score(page):
    # axis a per respondent: Ann (1 + 3·4) / 4 = 3.25, Bob (3 + 3·2) / 4 = 2.25, Cat 3
    # (a.two only); the published axis score is (2 + 3·3) / 4 = 2.75
    axis_a = _cell(page, "data-axis", "a")
    assert axis_a.endswith(f"2.75 ± {_sample_margin([3.25, 2.25, 3.0]):.2f}")
    assert axis_a.endswith("2.75 ± 1.29")
    # overall per respondent: (own axis a + 2 · own b.one) / 3; published (2.75 + 2·11/3) / 3
    own = [(3.25 + 2 * 2) / 3, (2.25 + 2 * 4) / 3, (3.0 + 2 * 5) / 3]
    overall = (2.75 + 2 * 11 / 3) / 3
    assert re.search(r'id="overall-score">(.*?)</strong>', page, re.S).group(1).count("±") == 1
    headline = _text(re.search(r'id="overall-score">(.*?)</strong>', page, re.S).group(1))
    assert headline.strip() == f"{overall:.2f} ± {_sample_margin(own):.2f}"
    assert "± is the 95 % margin of a score" in _text(page)


def test_the_demo_pulse_shows_the_barometers_overall_margin(app, client):
    org_id = demo_signed_in(client, "lead@novatechna.example")
    latest = db.session.query(Assessment).filter_by(org_id=org_id, status="closed").order_by(
        Assessment.closed_at.desc()).first()
    html = client.get(f"/orgs/{org_id}/assessments/{latest.id}").text
    # the same 2.60 ± 0.20 as the barometer's last point (tests/web/test_barometer_trust_pages)
    headline = _text(re.search(r'id="overall-score">(.*?)</strong>', html, re.S).group(1))
    assert headline.strip() == "2.60 ± 0.20"
    assert html.count('class="margin"') >= 30  # each of the 32 dimensions, the axes, overall
