"""The leaders–teams alignment trend in the demo's barometer email: for each gap that moves
the most, its value in each closed assessment, its change per quarter and the initiatives
that target its dimension (DESIGN section 3, "Alignment gap")."""

from __future__ import annotations

import pytest

from tracker.adapters.email.barometer import render
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import barometer_mail


@pytest.fixture
def demo_org(app) -> Organization:
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    return db.session.get(Organization, org_id)


def test_each_moving_gap_comes_with_its_series_and_its_initiatives(demo_org):
    digest, _charts = barometer_mail.digest(demo_org, "2026-Q4", "http://tracker.test")
    lines = {line.name: line for line in digest.alignment}
    empowerment = lines["Team empowerment"]
    # leaders − teams: 2.22 in the initial diagnostic, 1.67 in the pulse, 112 days later
    # (1.2266 quarters of 91.3125 days): (1.6667 − 2.2222) / 1.2266 = −0.453 a quarter
    assert [round(g, 2) for g in empowerment.gaps] == [2.22, 1.67]
    assert empowerment.change_per_quarter == pytest.approx((5 / 3 - 20 / 9) / (112 / 91.3125))
    assert empowerment.initiatives == ("Leadership mirror and team immersion",)
    _subject, text, html = render(digest, "en")
    assert ("- Team empowerment: 1.67, closing by 0.45 a quarter\n"
            "  gap in each closed assessment: 2.22 → 1.67\n"
            "  targeted by: Leadership mirror and team immersion\n") in text
    assert ("- Leadership alignment and posture: 1.11, closing by 0.54 a quarter\n"
            "  gap in each closed assessment: 1.78 → 1.11\n") in text
    assert ("gap in each closed assessment: 2.22 → 1.67 · targeted by: Leadership mirror "
            "and team immersion") in html


def test_the_demo_email_words_every_axis_change_within_its_margin(demo_org):
    digest, _charts = barometer_mail.digest(demo_org, "2026-Q4", "http://tracker.test")
    assert digest.axes and all(a.margin is not None for a in digest.axes)
    # the demo's pulse moves no axis beyond its margin (largest: organisation +0.15)
    assert all(a.delta_previous_significant is False for a in digest.axes)
    _subject, text, _html = render(digest, "en")
    organisation = next(a for a in digest.axes if a.name == "Organisation")
    assert (f"- Organisation: {organisation.score:.2f} ± {organisation.margin:.2f}  "
            f"(vs previous {organisation.delta_previous:+.2f}, within the margin of "
            f"±{organisation.delta_previous_margin:.2f}; vs first") in text
