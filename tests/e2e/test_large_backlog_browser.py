"""A large backlog in a real browser (issue 20): the demo organization grown to 600 more
initiatives chained by 1,200 dependencies. The backlog shows a page of 50 with its count,
filters and pages; the dependencies page shows the waves as counts, the critical chain and
one initiative's neighbourhood instead of every edge; the roadmap's table turns pages. With
TRACKER_SCREENSHOTS=1 each step leaves docs/screenshots/scale-<nn>-<step>.png."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.browser import signed_in_page
from tracker.extensions import db
from tracker.models import Dependency, Initiative
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services import derived

ADDED = 600
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def grow(org_id: int) -> int:
    """600 initiatives `Bulk <k>` with WSJF inputs, each of the last 400 waiting on two
    earlier ones (acyclic), written in two statements; how many initiatives the
    organization has in all."""
    rng = random.Random(20)
    first = int(db.session.scalar(select(func.max(Initiative.id))) or 0) + 1
    db.session.execute(insert(Initiative), [{
        "id": first + k, "org_id": org_id, "title": f"Bulk {k:03d}", "description": "",
        "status": "proposed", "duration_weeks": rng.choice((1, 2, 3, 4, 6)),
        "business_value": rng.randint(1, 20), "time_criticality": rng.randint(1, 20),
        "risk_reduction": rng.randint(1, 20), "job_size": rng.randint(1, 13)}
        for k in range(ADDED)])
    db.session.execute(insert(Dependency), [{
        "org_id": org_id, "prerequisite_id": first + earlier, "dependent_id": first + k,
        "lag_weeks": 0.0} for k in range(200, ADDED)
        for earlier in rng.sample(range(k), 2)])
    derived.bump_version(db.session, org_id)
    db.session.commit()
    return int(db.session.scalar(select(func.count(Initiative.id))
                                 .where(Initiative.org_id == org_id)) or 0)


def shoot(page, name: str) -> None:
    if os.environ.get("TRACKER_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / f"scale-{name}.png"), full_page=True)


@pytest.mark.e2e
def test_a_large_backlog_reads_a_page_at_a_time(live_server, chromium, app):
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    total = grow(org_id)
    watched = Watched(signed_in_page(chromium, live_server))
    page = watched.page

    page.goto(f"{live_server}/orgs/{org_id}/backlog")
    assert page.locator("#backlog-table tbody tr").count() == 50
    assert re.search(r"Initiatives 1 to 50 of \d+ matching", page.inner_text("#backlog-count"))
    shoot(page, "01-backlog-first-page")
    page.fill("#backlog-q", "Bulk 12")
    page.press("#backlog-q", "Enter")
    page.wait_for_url(re.compile(r".*q=Bulk\+12.*"))
    # Bulk 120 to Bulk 129: ten titles contain "Bulk 12" (Bulk 012 does not)
    assert page.locator("#backlog-table tbody tr").count() == 10
    assert "1 to 10 of 10 matching" in page.inner_text("#backlog-count")
    shoot(page, "02-backlog-filtered")

    page.goto(f"{live_server}/orgs/{org_id}/dependencies")
    assert page.locator("#dependency-table tbody tr").count() <= 50
    shoot(page, "03-dependencies-waves-and-critical-chain")
    page.goto(f"{live_server}/orgs/{org_id}/backlog?q=Bulk+599")
    focus = page.locator("#backlog-table tbody tr").first.get_attribute("data-id")
    page.goto(f"{live_server}/orgs/{org_id}/dependencies?focus={focus}")
    assert "Bulk 599" in page.inner_text("main")
    shoot(page, "04-dependencies-one-neighbourhood")
    assert_accessible(watched, "dependencies focused")

    page.goto(f"{live_server}/orgs/{org_id}/roadmap?page=2")
    assert page.locator("#timeline-table tbody tr").count() == 50
    planned = int(re.search(r"([\d,\u202f ]+) planned initiatives",
                            page.inner_text("#timeline-count")).group(1).replace(",", ""))
    assert ADDED <= planned <= total
    shoot(page, "05-roadmap-table-page-two")
    assert_accessible(watched, "roadmap page 2")
