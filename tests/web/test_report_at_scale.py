"""The report is a document a sponsor reads (issue 20): each long section shows its head and
counts the rest, with numbers computed by hand, and the report page sends the same number
of SQL statements whatever the organization's size.

The organization: `size` initiatives "Item 0".."Item {size-1}", no dependency, WSJF inputs
business value k + 1, time criticality 1, risk reduction 1, job size 1, so a score of k + 3
and the rank size - k (the best score first). Classes are set by hand (`class_override`):
k % 5 in (0, 2) a quick win, k % 5 == 1 a structural lever, else standard (at 30: 12 quick
wins, 6 levers, 12 standard). The first `size` // 5 * 2 initiatives have no duration, so
the plan leaves them out (12 at 30), the others last 2 weeks each. One finding cites 7
verbatims of one dimension, which has 8 in all; the decision log holds `size` - 5 decisions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

from sqlalchemy import select

from tests.statements import warm_get
from tests.web.plan_helpers import lead_of_new_org
from tracker.extensions import db
from tracker.models import (
    Assessment,
    Axis,
    Decision,
    Dimension,
    Evidence,
    Finding,
    Framework,
    Initiative,
    Organization,
)
from tracker.seeding import frameworks as seeds
from tracker.services.diagnose import report


def _klass(k: int) -> str:
    return "quick_win" if k % 5 in (0, 2) else "structural_lever" if k % 5 == 1 else "standard"


def build(client, size: int, name: str) -> tuple[int, int]:
    """The organization described above, its lead signed in; (org id, assessment id)."""
    org_id = lead_of_new_org(client, f"lead{size}@report.example", name)
    seeds.seed_frameworks()
    framework = db.session.scalars(select(Framework).where(Framework.code == "pom-grid")
                                   .order_by(Framework.version.desc())).first()
    assessment = Assessment(org_id=org_id, framework_id=framework.id, title="Diagnostic",
                            kind="diagnostic", status="open", created_at=datetime.now(UTC))
    db.session.add(assessment)
    unplanned = size // 5 * 2
    db.session.add_all(Initiative(
        org_id=org_id, title=f"Item {k}", status="approved", business_value=k + 1,
        time_criticality=1, risk_reduction=1, job_size=1, class_override=_klass(k),
        duration_weeks=None if k < unplanned else 2) for k in range(size))
    db.session.flush()
    dimension = db.session.scalars(select(Dimension).join(Axis, Axis.id == Dimension.axis_id)
                                   .where(Axis.framework_id == framework.id)
                                   .order_by(Dimension.id)).first()
    quotes = [Evidence(org_id=org_id, assessment_id=assessment.id, text=f"Quote {q}",
                       source="interview", tone="neutral", dimensions=[dimension])
              for q in range(8)]
    db.session.add_all(quotes)
    db.session.add(Finding(org_id=org_id, assessment_id=assessment.id, kind="gap",
                           title="Slow decisions", evidence=quotes[:7]))
    db.session.add_all(Decision(org_id=org_id, title=f"Decision {d}", committee="portfolio",
                                decided_on=date(2026, 1, 1) + timedelta(days=d))
                       for d in range(size - 5))
    db.session.commit()
    return org_id, assessment.id


def section(page: str, name: str) -> str:
    found = re.search(rf'<section class="report-section" id="{name}">.*?</section>', page, re.S)
    assert found, name
    return unescape(found.group(0))


def test_the_report_shows_the_head_of_each_long_section_and_counts_the_rest(client):
    org_id, assessment_id = build(client, 30, "Thirty")
    page = client.get(f"/orgs/{org_id}/assessments/{assessment_id}/report").text

    backlog = section(page, "backlog")
    ranks = re.search(r'<table id="backlog-ranks">.*?</table>', backlog, re.S).group(0)
    # ranks 1..20 are k = 29..10
    assert re.findall(r"<td class=\"long\">Item (\d+)</td>", ranks) == [
        str(k) for k in range(29, 9, -1)]
    assert "30 initiatives to do: quick win 12 · structural lever 6 · standard 12." in (
        " ".join(backlog.split()))
    assert "20 of 30 shown." in backlog
    assert re.search(rf'<a href="[^"]*/orgs/{org_id}/backlog">and 10 more</a>', backlog)
    wins = re.search(r'<table id="quick-wins-table">.*?</table>', backlog, re.S).group(0)
    # the 10 best-ranked of the 12 quick wins: k = 27, 25, 22, 20, 17, 15, 12, 10, 7, 5
    assert re.findall(r'<tr><td class="num">(\d+)</td><td class="long">Item (\d+)</td>',
                      wins) == [(str(30 - k), str(k))
                                for k in (27, 25, 22, 20, 17, 15, 12, 10, 7, 5)]
    assert "10 of 12 shown." in backlog
    assert re.search(r'<a href="[^"]*/backlog\?class=quick_win">and 2 more</a>', backlog)

    synthesis = section(page, "synthesis")
    finding = synthesis.split('<div class="verbatims"')[0]
    assert re.findall(r"“Quote (\d)”", finding) == ["0", "1", "2", "3", "4"]
    assert "and 2 more" in finding  # 7 cited, 5 shown
    verbatims = synthesis.split('<div class="verbatims"')[1]
    assert re.findall(r"“Quote (\d)”", verbatims) == ["0", "1", "2", "3", "4"]
    assert "5 of 8 shown." in verbatims

    pilots = section(page, "pilots")
    assert re.findall(r"Decision (\d+)</td>", pilots) == [str(d) for d in range(24, 4, -1)]
    assert "20 of 25 shown." in pilots and "and 5 more" in pilots

    trajectory = " ".join(section(page, "trajectory").split())
    # Items 0..11 have no duration: the first 10 named, 2 counted
    assert ("12 initiatives are left out of the plan and their uplifts are not projected: "
            + ", ".join(f"Item {k}" for k in range(10)) + ", and 2 more.") in trajectory
    assert "18 initiatives planned" in trajectory
    counts = [int(n) for n in re.findall(r'<td class="num">(\d+)</td></tr>',
                                         trajectory.split('id="roadmap-phases"')[1]
                                         .split("</table>")[0])]
    outside = re.search(r"(\d+) initiatives? in no phase", trajectory)
    assert sum(counts) + (int(outside.group(1)) if outside else 0) == 18
    # no dependency: every planned initiative lasts 2 weeks, the chain is one of them
    assert re.search(r"Critical chain, 1 initiative, 2 weeks: Item \d+", trajectory)
    assert "Item 29</td>" not in trajectory  # no planned item is listed


def test_the_report_of_the_service_is_the_page(client):
    """The PDF, the job and the CLI render `report_html`: the same bounded sections."""
    org_id, assessment_id = build(client, 30, "Same")
    html = report.report_html(db.session.get(Organization, org_id), assessment_id)
    assert "20 of 30 shown." in html and html.count("<td class=\"long\">Item ") == 30


def test_the_report_costs_the_same_statements_at_30_and_60_initiatives(client):
    counts, sizes = [], []
    for size, name in ((30, "Small"), (60, "Large")):
        org_id, assessment_id = build(client, size, name)
        response, statements = warm_get(
            client, f"/orgs/{org_id}/assessments/{assessment_id}/report")
        counts.append(statements)
        sizes.append(response.text.count("<td class=\"long\">Item "))
        client.post("/logout")
    assert counts[0] == counts[1]
    # 20 backlog lines and 10 quick wins shown at both sizes
    assert sizes == [30, 30]
