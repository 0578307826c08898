"""The report's Pilot scopes section shows each criterion's verdict with its measurement and
the suggested decision (DESIGN section 3, "Pilot criteria")."""

from __future__ import annotations

import re

from tests.builders import Scenario


def test_the_report_shows_verdicts_and_the_suggestion(lead, admin):
    scenario = Scenario(lead, admin)
    kpi = lead.post(scenario.url("/kpis"), json={
        "name": "Story lead time", "direction": "lower_is_better", "target": 5}).json["id"]
    lead.post(scenario.url(f"/kpis/{kpi}/measurements"),
              json={"value": 6.5, "measured_at": "2026-02-10"})
    initiative = lead.post(scenario.url("/initiatives"), json={"title": "Release autonomy"})
    created = lead.post(scenario.url(f"/initiatives/{initiative.json['id']}/pilots"), json={
        "teams": ["pricing"], "start": "2026-01-05", "end": "2026-03-27",
        "criteria": [{"kpi_id": kpi, "threshold": 5}]})
    assert created.status_code == 201, created.json

    html = lead.get(scenario.assessment_url("/report")).text

    row = re.search(r'<tr class="pilot-criteria">(.*?)</tr>', html, re.S)
    assert row is not None
    text = " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split())
    # 6.5 > 5 with lower is better: not met; the only criterion, none met: stop
    assert "Story lead time ≤ 5: not met, 6.5 on Feb 10, 2026" in text
    assert "Suggested by the criteria: stop" in text
