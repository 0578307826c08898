"""Importing a Jira backlog in a real browser: from the backlog, "Import from a file", upload
a Jira Cloud CSV export (its real headers, the blocks link repeated in two columns), the
mapping step pre-filled by the Jira preset with the file's first rows, a slip (no title
column) refused beside its choice, one mapping changed by hand (a team-managed project's
"Story point estimate" as the job size), then "Import 4 initiatives" lands on the backlog
with the count. Every page passes axe-core with no
console error. With TRACKER_SCREENSHOTS=1, each step leaves
docs/screenshots/backlog-import-<nn>-<step>.png."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.browser import signed_in_page
from tests.e2e.campaign_steps import Campaign
from tracker.extensions import db
from tracker.models import Dependency, Initiative
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds

#: A Jira Cloud "Export > CSV (all fields)" of a team-managed project, cut to a few columns:
#: the story points there are "Story point estimate", which the preset does not know.
JIRA_EXPORT = (
    "Summary,Issue key,Issue id,Issue Type,Status,Project key,Project name,Priority,"
    "Assignee,Reporter,Created,Updated,Description,Custom field (Story point estimate),"
    "Outward issue link (Blocks),Outward issue link (Blocks),Inward issue link (Blocks)\r\n"
    "Single sign-on for staff,OPS-11,10311,Story,Done,OPS,Platform ops,High,Ann Lee,"
    "Bo Chen,02/Sep/25 9:12 AM,14/Oct/25 4:40 PM,SAML with the identity provider,5,"
    "OPS-12,OPS-13,\r\n"
    "Enforce MFA,OPS-12,10312,Story,In Progress,OPS,Platform ops,High,Ann Lee,Bo Chen,"
    '03/Sep/25 10:01 AM,20/Oct/25 11:02 AM,"Second factor, for everyone",8,OPS-14,,OPS-11\r\n'
    "Audit log,OPS-13,10313,Task,To Do,OPS,Platform ops,Medium,,Bo Chen,"
    "04/Sep/25 2:30 PM,04/Sep/25 2:30 PM,,3,,,OPS-11\r\n"
    "Access reviews,OPS-14,10314,Task,Selected for Development,OPS,Platform ops,Low,,"
    "Bo Chen,05/Sep/25 8:00 AM,05/Sep/25 8:00 AM,,,,,OPS-12\r\n")


@pytest.fixture
def demo_org(app) -> int:
    seeds.seed_frameworks()
    return demo.load_demo().org_id


@pytest.mark.e2e
def test_a_jira_export_is_mapped_by_hand_and_imported_onto_the_backlog(
        app, live_server, chromium, demo_org, tmp_path):
    export = tmp_path / "Jira Export CSV (all fields).csv"
    export.write_text(JIRA_EXPORT, encoding="utf-8")
    before = db.session.scalar(db.select(db.func.count()).select_from(Initiative)
                               .where(Initiative.org_id == demo_org))
    page = signed_in_page(chromium, live_server)
    watched = Watched(page)
    shots = Campaign(app, live_server, watched, prefix="backlog-import")
    page.goto(f"{live_server}/orgs/{demo_org}/backlog")
    page.click("#backlog-import")
    page.wait_for_selector("#backlog-import-form")
    assert_accessible(watched, "upload step")
    shots.screenshot(page, "upload step", number=1)

    page.set_input_files("#f-file", str(export))
    page.select_option("#f-preset", "jira")
    page.click("#backlog-import-next")
    page.wait_for_selector("#backlog-mapping-form")
    assert page.input_value("#map-title") == "Summary"
    assert page.input_value("#map-external_key") == "Issue key"
    assert page.input_value("#map-blocks") == "Outward issue link (Blocks)"
    assert page.input_value("#map-job_size") == ""  # "Story Points" is not in this export
    headers = page.eval_on_selector_all("#preview-table thead th",
                                        "cells => cells.map(c => c.textContent)")
    assert headers.count("Outward issue link (Blocks)") == 2
    second = "#preview-table tbody tr:nth-child(2) td:nth-child(2)"
    assert page.text_content(second) == "Enforce MFA"
    assert_accessible(watched, "mapping step")
    shots.screenshot(page, "mapping with preview", number=2)

    page.select_option("#map-title", "")  # a slip: no title column, refused beside it
    page.click("#backlog-import-confirm")
    page.wait_for_selector("#map-title-error")
    assert "Map a column to the title" in page.text_content("#map-title-error")
    assert page.get_attribute("#map-title", "aria-invalid") == "true"
    assert_accessible(watched, "mapping refused")
    shots.screenshot(page, "missing title named", number=3)

    page.select_option("#map-title", "Summary")
    page.select_option("#map-job_size", "Custom field (Story point estimate)")
    assert page.text_content("#backlog-import-confirm").strip() == "Import 4 initiatives"
    page.click("#backlog-import-confirm")
    page.wait_for_url(f"**/orgs/{demo_org}/backlog")
    assert page.is_visible("text=4 initiatives imported.")
    assert page.is_visible("#backlog-table >> text=Enforce MFA")
    assert_accessible(watched, "backlog after the import")
    shots.screenshot(page, "backlog imported", number=4, full_page=False)

    db.session.rollback()
    made = {i.external_key: i for i in db.session.scalars(db.select(Initiative).where(
        Initiative.org_id == demo_org, Initiative.external_key.like("OPS-1%")))}
    assert len(made) == 4 and db.session.scalar(
        db.select(db.func.count()).select_from(Initiative)
        .where(Initiative.org_id == demo_org)) == before + 4
    assert {k: (i.status, i.job_size) for k, i in made.items()} == {
        "OPS-11": ("done", 5.0), "OPS-12": ("in_progress", 8.0),
        "OPS-13": ("proposed", 3.0), "OPS-14": ("proposed", None)}
    assert made["OPS-12"].description == "Second factor, for everyone"
    ids = {i.id: k for k, i in made.items()}
    links = sorted((ids[d.prerequisite_id], ids[d.dependent_id]) for d in db.session.scalars(
        db.select(Dependency).where(Dependency.prerequisite_id.in_(list(ids)))))
    # OPS-11 blocks OPS-12 and OPS-13 (its two link columns); OPS-12 blocks OPS-14
    assert links == [("OPS-11", "OPS-12"), ("OPS-11", "OPS-13"), ("OPS-12", "OPS-14")]
