"""Trust in the trend on the barometer page (DESIGN section 3): every score with its 95 %
margin, a change smaller than its margin worded as such, the alignment trend, the
calibration line and the stalled initiatives, on the demo organization and on a built case."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html import unescape as html_unescape

import pytest
from sqlalchemy import select

from tests.builders import Scenario, closed_with_levels
from tests.web.scoring_helpers import demo_signed_in
from tracker.extensions import db
from tracker.models import Initiative, Membership, Organization, Uplift, User
from tracker.services.frame import frameworks


def _text(html: str, start: str) -> str:
    """The page's words from the section titled `start`, tags and extra spaces removed."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index(start):]))
    return text


@pytest.fixture()
def demo(app, client) -> int:
    return demo_signed_in(client, "lead@novatechna.example")


def test_the_demo_barometer_words_a_small_change_as_within_the_margin(client, demo):
    html = client.get(f"/orgs/{demo}/barometer").text
    table = _text(html, 'id="trend-title"')
    # the demo's pulse: overall 2.53 ± 0.24 → 2.60 ± 0.20, Δ = +0.08 (rounded); the change's
    # margin t(0.975, df)·√(se_a² + se_b²) with the Welch df (larger than each score's) is
    # below √(0.24² + 0.20²) = 0.31: 0.29, and |0.08| < 0.29: not significant
    assert "2.53 ± 0.24" in table and "2.60 ± 0.20" in table
    assert "+0.08, within the margin of ±0.29" in table
    assert "95 % margin of a score" in table
    # the chart draws the same margins as error bars on the measured overall line
    figure = json.loads(html_unescape(re.search(r"data-figure='([^']*)'", html).group(1)))
    overall = figure["data"][0]
    assert [round(m, 2) for m in overall["error_y"]["array"]] == [0.24, 0.20]
    assert all("error_y" not in line for line in figure["data"] if line["line"]["dash"] == "dash")


def test_the_demo_alignment_shows_the_empowerment_and_leadership_gaps_closing(client, demo):
    html = client.get(f"/orgs/{demo}/barometer").text
    section = _text(html, 'id="alignment-title"')
    section = section[:section.index("Calibration")]
    # leaders − teams on empowerment 2.22 → 1.67 over the demo's two assessments
    # (May 29 → Sep 18, 2026: 112 days = 1.2266 quarters of 91.3125 days):
    # (1.67 − 2.22) / 1.2266 ≈ −0.45 a quarter; leadership 1.78 → 1.11: −0.67/1.2266 ≈ −0.54
    assert "Team empowerment 2.22 → 1.67 closing by 0.45 a quarter" in section
    assert "Leadership alignment and posture 1.78 → 1.11 closing by 0.54 a quarter" in section
    assert "Leadership mirror and team immersion" in section  # the initiative that targets it
    assert re.search(r'href="/orgs/\d+/initiatives/\d+">Leadership mirror', html)
    # sorted by latest gap, largest first: outcomes (1.67) before leadership (1.11)
    assert section.index("Outcomes over output") < section.index("Leadership alignment")
    assert "widening by 0.12 a quarter" in section  # design and UX: 0.38 → 0.52


def test_the_demo_calibration_line_and_the_calibrated_projection(client, demo):
    section = _text(client.get(f"/orgs/{demo}/barometer").text, 'id="calibration-title"')
    # four finished pairs: realized 0.58 + 0.08 + 0.17 + 0.58 = 1.41 against expected
    # 0.50 + 0.25 + 0.50 + 0.50 = 1.75 (the uplift table's figures, DESIGN "Calibration"):
    # 1.41 / 1.75 = 0.806 → 81 %
    assert "Finished initiatives delivered 81 % of their expected uplift (4 pairs)" in section
    assert "every expected uplift times 0.81" in section
    assert "not a proof of cause" in section


def test_a_stalled_initiative_is_listed_with_its_weeks_and_its_limit(client, demo):
    org = db.session.get(Organization, demo)
    # 4 weeks planned, no estimate: the limit is 1.5 × 4 = 6 weeks; started 70 days ago
    # (10.0 weeks) and still in progress, it is stalled
    stalled = Initiative(org_id=org.id, title="Slow migration", status="in_progress",
                         duration_weeks=4, actual_start=date.today() - timedelta(days=70))
    db.session.add(stalled)
    db.session.commit()
    stalled_id = stalled.id
    html = client.get(f"/orgs/{demo}/barometer").text
    section = _text(html, 'id="stalled-title"')
    assert "Slow migration : 10 weeks in progress, limit 6 weeks" in section
    assert f'href="/orgs/{demo}/initiatives/{stalled_id}"' in html


def test_french_wording_of_the_margin(client, demo):
    lead = db.session.scalar(select(User).where(User.email == "lead@novatechna.example"))
    lead.locale = "fr"
    db.session.commit()
    table = _text(client.get(f"/orgs/{demo}/barometer").text, 'id="trend-title"')
    assert "2,53 ± 0,24" in table and "0,29" in table  # figures by locale


def test_without_an_assessment_the_sections_name_the_next_step(client, demo):
    lead = db.session.scalar(select(User).where(User.email == "lead@novatechna.example"))
    org = Organization(name="Newcomer")
    db.session.add(org)
    db.session.flush()
    db.session.add(Membership(user_id=lead.id, org_id=org.id, role="lead"))
    db.session.commit()
    html = client.get(f"/orgs/{org.id}/barometer").text
    assert "No known leaders–teams gap yet" in html
    assert "the projection is not calibrated" in html
    assert "No stalled initiative." in html


def test_a_built_case_closing_gap_and_a_change_within_its_margin(client, lead, admin):
    scenario = Scenario(lead, admin)
    people = [("L1", "leader"), ("L2", "leader"), ("L3", "leader"),
              ("T1", "team"), ("T2", "team"), ("T3", "team")]
    # Q1: leaders 5, 5, 4 (14/3), teams 2, 2, 3 (7/3): gap 7/3 = 2.33; a.one = 21/6 = 3.50
    closed_with_levels(lead, scenario, "Q1", dict(zip(people, [5, 5, 4, 2, 2, 3], strict=True)),
            date(2027, 1, 1))
    # Q3, 182 days later (182 / 91.3125 = 1.9932 quarters): leaders 4, 4, 5 (13/3), teams
    # 3, 3, 3: gap 4/3 = 1.33; a.one = 22/6 = 3.67, +0.17 against a margin above 1 (six
    # ratings spread from 2 to 5 each time): within the margin
    closed_with_levels(lead, scenario, "Q3", dict(zip(people, [4, 4, 5, 3, 3, 3], strict=True)),
            date(2027, 7, 2))
    dims = frameworks.dimensions_by_code(frameworks.load_framework(scenario.framework["id"]))
    mirror = Initiative(org_id=scenario.org["id"], title="Mirror", status="approved")
    db.session.add(mirror)
    db.session.flush()
    mirror_id = mirror.id
    db.session.add(Uplift(initiative_id=mirror_id, dimension_id=dims["a.one"].id,
                          expected=0.5))
    db.session.commit()
    assert client.post("/login", data={"email": "lead@example.org",
                                       "password": "correct horse battery"}).status_code == 302
    html = client.get(f"/orgs/{scenario.org['id']}/barometer").text
    assert re.search(r"\+0\.17, within the margin of ±\d\.\d\d", html)
    section = _text(html, 'id="alignment-title"')
    # slope (4/3 − 7/3) / 1.9932 = −0.50 a quarter: closing by 0.50
    assert "2.33 → 1.33 closing by 0.50 a quarter Mirror" in section
    assert f'href="/orgs/{scenario.org["id"]}/initiatives/{mirror_id}">Mirror' in html
