"""Trust in the trend in the diagnostic report (DESIGN section 3): every score worded
"score ± margin" (the 95 % interval, Student's t quantiles from a printed table), and the
leaders–teams alignment trend of the grid's closed assessments with the initiatives that
target each dimension."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest
from sqlalchemy import select

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Assessment

#: t(0.975, df) from a printed table of Student's t distribution.
T_975 = {1: 12.7062, 2: 4.3027}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _row(html: str, attribute: str, code: str) -> str:
    match = re.search(rf'<tr {attribute}="{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert match, code
    return _text(match.group(1))


@pytest.fixture
def demo(app) -> tuple[int, int]:
    """The demo organization and its latest closed assessment (the pulse)."""
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    latest = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org_id, Assessment.status == "closed")
        .order_by(Assessment.closed_at.desc()).limit(1))
    return org_id, latest.id


def _report(api, org_id: int, assessment_id: int, lang: str = "en") -> str:
    response = api.get(f"/api/v1/orgs/{org_id}/assessments/{assessment_id}/report"
                       f"?format=html&lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_report_words_every_score_with_its_margin(lead, admin):
    scenario = Scenario(lead, admin)
    ids = [scenario.add_respondent(name) for name in ("Ann", "Bob", "Cat")]
    values = [{"a.one": 1, "a.two": 4, "b.one": 2}, {"a.one": 3, "a.two": 2, "b.one": 4},
              {"a.two": 3, "b.one": 5}]
    assert scenario.rate([{"respondent_id": rid, "dimension": code, "value": value}
                          for rid, own in zip(ids, values, strict=True)
                          for code, value in own.items()]).status_code == 200
    html = _report(lead, scenario.org["id"], scenario.assessment["id"])
    # a.one: 1, 3: s = √2, se = 1, df 1 → ± 12.71; a.two: 4, 2, 3: se = 1/√3, df 2 → ± 2.48
    assert "2.00 ± 12.71" in _row(html, "data-dimension", "a.one")
    assert f"3.00 ± {T_975[2] / math.sqrt(3):.2f}" in _row(html, "data-dimension", "a.two")
    assert "3.00 ± 2.48" in _row(html, "data-dimension", "a.two")
    # b.two, never rated: no score and no margin
    assert "±" not in _row(html, "data-dimension", "b.two")
    # axis a from each respondent's own axis score: 3.25, 2.25, 3 (sample sd 0.5204), df 2
    own = [3.25, 2.25, 3.0]
    mean = sum(own) / 3
    margin = T_975[2] * math.sqrt(sum((x - mean) ** 2 for x in own) / 2) / math.sqrt(3)
    assert f"2.75 ± {margin:.2f}" in _row(html, "data-axis", "a")
    assert "± is the 95 % margin of a score" in _text(html)


def test_the_demo_report_shows_the_pulse_intervals_in_english_and_french(admin, demo):
    org_id, pulse = demo
    english = _report(admin, org_id, pulse)
    overall = _text(re.search(r'id="overall-score">(.*?)</strong>', english, re.S).group(1))
    assert overall == "2.60 ± 0.20"  # the barometer's last point (test_barometer_trust_pages)
    french = _report(admin, org_id, pulse, "fr")
    overall = _text(re.search(r'id="overall-score">(.*?)</strong>', french, re.S).group(1))
    assert overall == "2,60 ± 0,20"


def test_the_demo_report_shows_the_leaders_teams_gaps_closing(admin, demo):
    org_id, pulse = demo
    html = _report(admin, org_id, pulse)
    # the demo's two closed assessments (May 29 → Sep 18, 2026: 112 days = 1.2266 quarters
    # of 91.3125 days); empowerment 2.22 → 1.67: (1.67 − 2.22) / 1.2266 ≈ −0.45 a quarter,
    # leadership 1.78 → 1.11: ≈ −0.54 (the gaps of tests/web/test_barometer_trust_pages)
    table = re.search(r'<table id="alignment-table".*?</table>', html, re.S).group(0)
    assert "May 29, 2026" in _text(table) and "Sep 18, 2026" in _text(table)
    rows = {code: _row(table, "data-code", code) for code in re.findall(
        r'data-code="([^"]+)"', table)}
    empowerment = next(text for text in rows.values() if text.startswith("Team empowerment"))
    assert "2.22 1.67 closing by 0.45 a quarter" in empowerment
    leadership = next(text for text in rows.values()
                      if text.startswith("Leadership alignment and posture"))
    assert "1.78 1.11 closing by 0.54 a quarter" in leadership
    assert "Leadership mirror and team immersion" in leadership  # targets it
    # largest latest gap first: empowerment (1.67) before leadership (1.11)
    section = _text(html[html.index('id="alignment"'):])
    assert section.index("Team empowerment") < section.index("Leadership alignment")
