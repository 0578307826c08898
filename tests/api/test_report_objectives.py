"""The report's Ambition section lists the objectives: title, horizon, status, KPIs."""

from __future__ import annotations

import html
import re

import pytest

from tests.builders import Scenario


@pytest.fixture
def scenario(lead, admin):
    return Scenario(lead, admin)


def ambition(page: str) -> str:
    return re.search(r'<section class="report-section" id="ambition">(.*?)</section>', page,
                     re.S).group(1)


def test_the_ambition_section_lists_each_objective_with_status_and_kpis(scenario, lead):
    kpi = lead.post(scenario.url("/kpis"), json={
        "name": "Lead time", "unit": "days", "direction": "lower_is_better", "target": 5}).json
    lead.post(scenario.url(f"/kpis/{kpi['id']}/measurements"),
              json={"value": 7, "measured_at": "2026-11-02"})
    lead.post(scenario.url("/objectives"), json={
        "title": "Cut story lead time by 30 %", "horizon": "2027-06-30", "kpi_ids": [kpi["id"]]})
    page = lead.get(scenario.assessment_url("/report?format=html"))
    assert page.status_code == 200
    section = html.unescape(re.sub(r"\s+", " ", ambition(page.text)))
    # 7 > 5 while lower is better: off target, so the objective is off track, 0 of 1
    assert "Cut story lead time by 30 %" in section
    assert "off track (0 of 1 on target)" in section
    assert "Lead time: 7 days / 5 days" in section
    assert "Jun 30, 2027" in section


def test_without_objectives_the_report_says_so(scenario, lead):
    page = lead.get(scenario.assessment_url("/report?format=html")).text
    assert "No objective has been set yet." in ambition(page)
