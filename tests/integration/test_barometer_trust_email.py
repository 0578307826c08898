"""Trust in the trend in the barometer email (DESIGN section 3): the headline change worded
by its significance, the leaders–teams gaps that close or widen the most, and the stalled
initiatives, rendered for the demo organization in English and French."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker.adapters.email.barometer import render
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.services.follow import barometer_mail


@pytest.fixture
def demo_org(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    return db.session.get(Organization, org_id)


def test_the_headline_change_is_worded_within_its_margin(app, demo_org):
    digest, _charts = barometer_mail.digest(demo_org, "2026-Q4", "http://tracker.test")
    # overall 2.53 ± 0.24 → 2.60 ± 0.20: Δ +0.08 below the change's margin 0.29
    # (t(0.975, Welch df) · √(se_a² + se_b²), under √(0.24² + 0.20²) = 0.31)
    assert digest.delta_previous_significant is False
    assert round(digest.delta_previous_margin, 2) == 0.29
    _subject, text, html = render(digest, "en")
    assert "Overall: 2.60 ± 0.20" in text
    assert ("Change since the previous assessment: +0.08, within the margin of ±0.29 "
            "(it may be noise)") in text
    assert "+0.08, within the margin of ±0.29" in html


def test_the_gaps_that_move_most_and_the_stalled_initiatives(app, demo_org):
    # 4 weeks planned, no estimate: limit 1.5 × 4 = 6 weeks; 70 days = 10.0 weeks in progress
    db.session.add(Initiative(org_id=demo_org.id, title="Slow migration",
                              status="in_progress", duration_weeks=4,
                              actual_start=date.today() - timedelta(days=70)))
    db.session.commit()
    digest, _charts = barometer_mail.digest(demo_org, "2026-Q4", "http://tracker.test")
    # the demo's gaps over 112 days (1.2266 quarters): leadership 1.78 → 1.11 (−0.54 a
    # quarter), empowerment 2.22 → 1.67 and discovery 1.67 → 1.11 (−0.45 each; the codes
    # break the tie); the three largest changes in absolute value
    names = [g.name for g in digest.alignment]
    assert len(names) == 3 and names[0] == "Leadership alignment and posture"
    assert "Team empowerment" in names
    _subject, text, html = render(digest, "en")
    assert "- Leadership alignment and posture: 1.11, closing by 0.54 a quarter" in text
    assert "- Team empowerment: 1.67, closing by 0.45 a quarter" in text
    assert "- Slow migration: 10.0 weeks in progress, limit 6.0 weeks" in text
    assert "Slow migration: 10.0 weeks in progress, limit 6.0 weeks" in html
    _subject, french, _html = render(digest, "fr")
    assert "1.11" in french  # the email's figures alike in every language (mail_* filters)
