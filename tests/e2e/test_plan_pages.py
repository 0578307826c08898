"""Issue 15's plan acceptance in a real browser: a lead defines three phases (a refused one
first, its error beside the field), saves a baseline from the roadmap, slips an initiative
and reads the comparison, then downloads the roadmap's CSV, iCalendar and GraphML files and
parses them (`csv`, the `icalendar` package, `networkx.read_graphml`). Every page reached
has no serious or critical axe-core violation and logs no console error; with
TRACKER_SCREENSHOTS=1 each step leaves docs/screenshots/plan-<nn>-<step>.png.

The network is the textbook one (tests/api/roadmap_helpers.py), planned from Monday
2025-01-06 with unlimited capacity; ends are exclusive (the day after the last day):
A 6 w 01-06 → 02-17; B and C 2 w 02-17 → 03-03; D 3 w 03-03 → 03-24; F 2 w 03-03 → 03-17;
E 4 w waits for D and F: 03-24 → 04-21; G 1 w 04-21 → 04-28 (makespan 6+2+3+4+1 = 16 w).
Slipping D to 5 weeks: D 03-03 + 35 days = 04-07 (+14 days = +2 w); E 04-07 → 05-05 (+2 w);
G 05-05 → 05-12 (+2 w); A, B, C and F keep their ends (0 w, on time).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from icalendar import Calendar

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import Campaign
from tracker.services.tenancy import accounts, organizations

LEAD = "lead@plan.example"
PASSWORD = "plan-Secret-2026"
START = "2025-01-06"
#: Phases: Foundations holds what ends by 03-03 (A, B, C), Scale by 04-07, Sustain by 05-05.
PHASES = [("Foundations", "2025-01-06", "2025-03-03"), ("Scale", "2025-03-03", "2025-04-07"),
          ("Sustain", "2025-04-07", "2025-05-05")]


def define_phases(plan: Campaign) -> None:
    """From the roadmap, open the phases editor and add three phases, one refused first."""
    plan.page.click("main a:text-is('Phases')")
    plan.page.wait_for_selector("#no-phase")
    plan.done("no phase yet")
    for row, (name, start, end) in enumerate(PHASES):
        refused = row == 2  # first typed ending 04-01, before its start: refused
        _fill_row(plan.page, row, name, start, "2025-04-01" if refused else end)
        plan.page.click("text=Save phases")
        if refused:
            error = plan.page.wait_for_selector("#end-2-error")
            assert error.inner_text() == "must be after start"
            assert plan.page.input_value("#name-2") == "Sustain"  # input kept
            plan.done("phase refused")
            plan.page.fill("#end-2", end)
            plan.page.click("text=Save phases")
        plan.page.wait_for_selector(f"#phases tbody tr:nth-child({row + 1})")
    cells = plan.page.locator("#phases tbody td:nth-child(2)").all_inner_texts()
    assert cells == [name for name, _start, _end in PHASES]
    plan.done("three phases")


def _fill_row(page: Any, row: int, name: str, start: str, end: str) -> None:
    page.fill(f"#name-{row}", name)
    page.fill(f"#start-{row}", start)
    page.fill(f"#end-{row}", end)


def save_baseline(plan: Campaign) -> None:
    """On the roadmap under the phases, save the plan shown as a baseline."""
    plan.visit(f"/orgs/{plan.ids['org']}/roadmap?start={START}", "roadmap")
    table = "#timeline-table tbody"  # a page of the plan: initiative, status, phase...
    phases = dict(zip(plan.page.locator(f"{table} td:first-child a").all_text_contents(),
                      plan.page.locator(f"{table} td:nth-child(3)").all_text_contents(),
                      strict=True))
    assert phases == {"A": "Foundations", "B": "Foundations", "C": "Foundations",
                      "D": "Scale", "F": "Scale", "E": "Sustain", "G": "Sustain"}
    plan.done("roadmap in phases")
    plan.page.fill("#baseline-name", "Plan of record")
    plan.page.click("text=Save baseline")
    plan.page.wait_for_selector("#slips")
    statuses = plan.page.locator("#slips tbody td:nth-child(5)").all_inner_texts()
    assert statuses == ["on time"] * 7
    plan.done("baseline saved")


def slip_and_compare(plan: Campaign) -> None:
    """D takes 5 weeks instead of 3; the comparison page shows D, E and G 2 weeks late."""
    org, initiative = plan.ids["org"], plan.ids["D"]
    plan.visit(f"/orgs/{org}/initiatives/{initiative}/edit", "slip")
    plan.page.fill("#f-duration_weeks", "5")
    plan.page.get_by_role("button", name="Save", exact=True).click()
    plan.page.wait_for_load_state("networkidle")
    plan.done("initiative slipped")
    plan.visit(f"/orgs/{org}/roadmap?start={START}", "roadmap")
    plan.page.click("main a:text-is('Baselines')")
    plan.page.click("text=Compare with the current plan")
    plan.page.wait_for_selector("#slip-counts")
    rows = plan.page.locator("#slips tbody tr")
    slips = {rows.nth(k).locator("td").nth(0).inner_text():
             (rows.nth(k).locator("td").nth(3).inner_text(),
              rows.nth(k).locator("td").nth(4).inner_text()) for k in range(rows.count())}
    assert slips == {"A": ("0", "on time"), "B": ("0", "on time"), "C": ("0", "on time"),
                     "D": ("+2", "late"), "E": ("+2", "late"), "F": ("0", "on time"),
                     "G": ("+2", "late")}
    assert "3 initiatives" in plan.page.inner_text("#slip-counts")
    plan.done("comparison")


def download_files(plan: Campaign, folder: Path) -> dict[str, Path]:
    """The roadmap's three downloads, saved where the test can read them."""
    plan.visit(f"/orgs/{plan.ids['org']}/roadmap?start={START}", "roadmap")
    plan.page.locator("#downloads-title").scroll_into_view_if_needed()
    plan.done("downloads")
    saved = {}
    for kind in ("csv", "ics", "graphml"):
        with plan.page.expect_download() as started:
            plan.page.click(f"#download-{kind}")
        saved[kind] = folder / started.value.suggested_filename
        started.value.save_as(saved[kind])
    return saved


def check_files(files: dict[str, Path], ids: dict[str, int]) -> None:
    """The three files say the slipped plan: dates, phases, waves and the graph."""
    with files["csv"].open(newline="", encoding="utf-8") as handle:
        table = {row["title"]: row for row in csv.DictReader(handle)}
    assert {t: (r["start"], r["end"], r["phase"]) for t, r in table.items()} == {
        "A": ("2025-01-06", "2025-02-17", "Foundations"),
        "B": ("2025-02-17", "2025-03-03", "Foundations"),
        "C": ("2025-02-17", "2025-03-03", "Foundations"),
        "D": ("2025-03-03", "2025-04-07", "Scale"), "F": ("2025-03-03", "2025-03-17", "Scale"),
        "E": ("2025-04-07", "2025-05-05", "Sustain"),
        "G": ("2025-05-05", "2025-05-12", "")}  # G ends after the last phase
    assert table["D"]["wave"] == "3"  # waves read from 1 in the spreadsheet too: A 1, B/C 2, D 3

    calendar = Calendar.from_ical(files["ics"].read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 7
    d = events["D"]
    assert (d.decoded("DTSTART").isoformat(), d.decoded("DTEND").isoformat()) == (
        "2025-03-03", "2025-04-07")
    assert str(d["UID"]) == f"initiative-{ids['D']}@org-{ids['org']}.tracker"
    assert "wave 3" in str(d["DESCRIPTION"])  # waves read from 1: A 1, B/C 2, D/F 3

    graph = nx.read_graphml(files["graphml"], node_type=int)
    assert sorted(graph.edges) == sorted((ids[a], ids[b]) for a, b in TEXTBOOK_EDGES)
    assert graph.nodes[ids["D"]]["duration_weeks"] == 5.0
    assert graph.nodes[ids["D"]]["title"] == "D"


@pytest.mark.e2e
def test_a_lead_plans_in_phases_saves_a_baseline_follows_a_slip_and_downloads(
        live_server, chromium, app, tmp_path):
    user = accounts.create_user(LEAD, PASSWORD)
    org = organizations.create_organization(user, {"name": "Plan & Co"}).id
    ids = {"org": org, **add_network(org, TEXTBOOK, TEXTBOOK_EDGES)}
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    plan = Campaign(app, live_server, Watched(page), prefix="plan", skip_missing=False,
                    ids=ids)
    plan.visit("/login", "sign in")
    page.fill("#email", LEAD)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Your organizations")

    plan.visit(f"/orgs/{org}/roadmap?start={START}", "roadmap")
    plan.done("roadmap")
    define_phases(plan)
    save_baseline(plan)
    slip_and_compare(plan)
    check_files(download_files(plan, tmp_path), ids)

    plan.visit(f"/orgs/{org}/dependencies", "dependencies")
    assert "numbered from 1" in page.inner_text("main")
    plan.done("dependencies in waves")
    plan.assert_clean()
