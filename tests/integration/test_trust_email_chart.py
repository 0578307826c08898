"""The barometer email's trend chart draws each score's 95 % interval as an error bar, and
its text words a change smaller than its margin as such (DESIGN section 3, "Uncertainty",
"Significant change"). Margins computed here by hand with Student's t quantiles read in a
printed table; the error bars read from the chart's figure before it is drawn."""

from __future__ import annotations

import math

import pytest
from matplotlib.container import ErrorbarContainer
from sqlalchemy import select

from tests.builders import Scenario
from tracker.adapters.charts import png as charts
from tracker.adapters.email.barometer import render
from tracker.extensions import db
from tracker.models import Organization
from tracker.models.outbox import OutboxAsset, OutboxMessage
from tracker.services.follow import barometer_mail

#: t(0.975, df) from a printed table of Student's t distribution.
T_975 = {2: 4.3027, 3: 3.1824}
#: Each respondent rates every dimension alike, so their own overall score is that value.
DIAGNOSTIC = {"Ann": 2.0, "Bob": 3.0, "Cat": 4.0}   # overall 3
PULSE = {"Ann": 2.5, "Bob": 3.0, "Cat": 4.0}        # overall 9.5 / 3 = 3.1667
SCALE = (1.0, 5.0)


def _se(values: list[float]) -> float:
    """Sample standard deviation over √n."""
    n = len(values)
    mean = sum(values) / n
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1) / n)


def _campaign(scenario: Scenario, lead, assessment_id: int, values: dict[str, float]) -> None:
    """Open the assessment, each respondent rates every dimension with their value, close."""
    base = scenario.url(f"/assessments/{assessment_id}")
    assert lead.patch(base, json={"status": "open"}).status_code == 200
    rows = []
    for name, value in values.items():
        respondent = lead.post(f"{base}/respondents", json={"name": name}).json["id"]
        rows += [{"respondent_id": respondent, "dimension": code, "value": value}
                 for code in ("a.one", "a.two", "b.one", "b.two")]
    assert lead.put(f"{base}/ratings", json=rows).status_code == 200
    assert lead.patch(base, json={"status": "closed"}).status_code == 200


@pytest.fixture
def org(lead, admin) -> Organization:
    """A diagnostic then a pulse, three respondents each, both closed."""
    scenario = Scenario(lead, admin)
    _campaign(scenario, lead, scenario.assessment["id"], DIAGNOSTIC)
    pulse = lead.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Pulse", "kind": "pulse"}).json
    _campaign(scenario, lead, pulse["id"], PULSE)
    return db.session.get(Organization, scenario.org["id"])


def _margins() -> tuple[float, float]:
    """The hand-computed 95 % margins of the two overall scores: t(0.975, 2) · s / √3."""
    return (T_975[2] * _se(list(DIAGNOSTIC.values())),
            T_975[2] * _se(list(PULSE.values())))


def test_the_trend_chart_carries_each_scores_margin(org):
    _digest, shown = barometer_mail.digest(org, "2027-Q1", "http://tracker.test")
    trend = next(chart for chart in shown if chart.name == "trend")
    (_, overall), (_, margins) = trend.series
    assert overall == pytest.approx((3.0, 9.5 / 3))
    # diagnostic: 2, 3, 4: s = 1, se = 1/√3, margin 4.3027 / √3 = 2.484
    # pulse: 2.5, 3, 4: s = 0.7638, se = 0.4410, margin 1.897
    assert margins == pytest.approx(_margins(), abs=1e-4)
    assert [round(m, 2) for m in margins] == [2.48, 1.90]


def test_the_error_bars_span_each_interval(org):
    low, high = _margins()
    figure = charts.trend_figure(["Diagnostic", "Pulse"], [3.0, 9.5 / 3], SCALE,
                                 "Overall", "en", [low, high])
    bars = [c for c in figure.axes[0].containers if isinstance(c, ErrorbarContainer)]
    assert len(bars) == 1
    segments = bars[0].lines[2][0].get_segments()
    spans = [value for (x0, y0), (_x1, y1) in segments for value in (x0, y0, y1)]
    assert spans == pytest.approx([0, 3.0 - low, 3.0 + low, 1, 9.5 / 3 - high, 9.5 / 3 + high],
                                  abs=1e-4)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert texts == ["3.00 ± 2.48", "3.17 ± 1.90"]
    # without a margin, no error bar and the bare score
    plain = charts.trend_figure(["Diagnostic", "Pulse"], [3.0, 9.5 / 3], SCALE, "Overall",
                                "en", [None, None])
    assert not plain.axes[0].containers
    assert [t.get_text() for t in plain.axes[0].texts] == ["3.00", "3.17"]


def test_the_emailed_png_is_the_chart_with_error_bars(app, org):
    barometer_mail.send_barometer(org, app.config, ["ann@example.org"], "2027-Q1")
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient == "ann@example.org"))
    images = {a["cid"]: db.session.scalar(select(OutboxAsset.content).where(
        OutboxAsset.key == a["asset"])) for a in message.attachments}
    _digest, shown = barometer_mail.digest(org, "2027-Q1", "http://tracker.test")
    trend = next(chart for chart in shown if chart.name == "trend")
    margins = trend.series[1][1]
    labels, overall = ["Diagnostic", "Pulse"], [3.0, 9.5 / 3]
    with_bars = charts.trend_chart(labels, trend.series[0][1], SCALE, "Overall · Global",
                                   "en", margins)
    without = charts.trend_chart(labels, overall, SCALE, "Overall · Global", "en")
    assert images[barometer_mail.TREND_CID] == with_bars
    assert with_bars != without


def test_a_change_within_its_margin_is_worded_so(org):
    digest, _shown = barometer_mail.digest(org, "2027-Q1", "http://tracker.test")
    se_a, se_b = _se(list(DIAGNOSTIC.values())), _se(list(PULSE.values()))
    se = math.sqrt(se_a ** 2 + se_b ** 2)
    df = math.floor(se ** 4 / (se_a ** 4 / 2 + se_b ** 4 / 2))   # Welch–Satterthwaite: 3.74
    assert df == 3
    margin = T_975[df] * se                                       # 3.1824 · 0.7265 = 2.312
    assert digest.delta_previous == pytest.approx(9.5 / 3 - 3.0)
    assert digest.delta_previous_margin == pytest.approx(margin, abs=1e-4)
    assert digest.delta_previous_significant is False
    _subject, text, html = render(digest, "en")
    assert f"Overall: 3.17 ± {_margins()[1]:.2f}" in text
    assert "+0.17, within the margin of ±2.31 (it may be noise)" in text
    assert "+0.17, within the margin of ±2.31" in html
    # each axis alike: its respondents' own axis scores are the same values
    assert ("- Axis A: 3.17 ± 1.90  (vs previous +0.17, within the margin of ±2.31; "
            "vs first ▲ +0.17)") in text
    assert "within the margin of ±2.31</span>" in html
