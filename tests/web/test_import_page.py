"""Initiatives from a file on the backlog's pages: the mapping step pre-filled from the Jira
preset with the file's first rows, every bad cell of a refused import named by its row and
column header with nothing written, a cycle of links shown in order, an `.xlsx` of our own
columns, and a waiting file that only its uploader in its organization can import."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Dependency, Initiative

HEADER = ("Summary,Issue key,Issue id,Issue Type,Status,Description,"
          "Custom field (Story Points),Outward issue link (Blocks),Outward issue link (Blocks)")
GOOD = (f"{HEADER}\r\n"
        "Set up SSO,SEC-1,10001,Story,Done,Single sign-on,5,SEC-2,SEC-3\r\n"
        "Enforce MFA,SEC-2,10002,Story,In Progress,,8,,\r\n"
        "Audit log,SEC-3,10003,Task,To Do,,3,,\r\n")


@pytest.fixture
def org(app) -> int:
    """The demo organization (it has a backlog already)."""
    return seed_demo()


def _count(org: int) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Initiative)
                             .where(Initiative.org_id == org))


def _upload(client, org: int, data: bytes, name: str, preset: str = "jira"):
    return client.post(f"/orgs/{org}/backlog/import",
                       data={"file": (io.BytesIO(data), name), "preset": preset},
                       content_type="multipart/form-data")


def _token(page: str) -> str:
    return re.search(r'name="token" value="([\w-]+)"', page).group(1)


def _selected(page: str, field: str) -> str:
    select = re.search(rf'<select id="map-{field}".*?</select>', page, re.S).group(0)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


def _confirm(client, org: int, page: str, **mapping: str):
    fields = {"title": "Summary", "external_key": "Issue key", "description": "Description",
              "status": "Status", "job_size": "Custom field (Story Points)",
              "external_url": "", "blocks": "Outward issue link (Blocks)", **mapping}
    return client.post(f"/orgs/{org}/backlog/import/confirm",
                       data={"token": _token(page),
                             **{f"map-{k}": v for k, v in fields.items()}})


def test_the_mapping_step_shows_the_preset_columns_and_the_first_rows(client, org):
    sign_in(client, "ops@novatechna.example")
    before = _count(org)

    page = _upload(client, org, GOOD.encode(), "jira.csv")

    assert page.status_code == 200, page.text
    assert [_selected(page.text, f) for f in ("title", "external_key", "job_size", "blocks",
                                              "external_url")] == [
        "Summary", "Issue key", "Custom field (Story Points)", "Outward issue link (Blocks)", ""]
    # the two link columns are one choice in the selects, two columns in the preview
    assert page.text.count('<option value="Outward issue link (Blocks)"') == 7
    assert page.text.count('<th scope="col">Outward issue link (Blocks)</th>') == 2
    assert "Enforce MFA" in page.text and "Import 3 initiatives" in page.text
    assert _count(org) == before


def test_every_bad_cell_is_named_by_row_and_header_and_nothing_is_created(client, org):
    sign_in(client, "ops@novatechna.example")
    before = _count(org)
    bad = (GOOD.replace("Enforce MFA,SEC-2", ",SEC-2")
           .replace("Single sign-on,5,SEC-2,SEC-3", "Single sign-on,five,SEC-2,SEC-9"))
    page = _upload(client, org, bad.encode(), "jira.csv")
    assert page.status_code == 200, page.text

    refused = _confirm(client, org, page.text)

    assert refused.status_code == 422
    text = refused.text
    assert "Nothing was imported" in text
    assert re.search(r"<strong>row 3, Summary</strong>: Missing title", text)
    assert re.search(r"<strong>row 2, Custom field \(Story Points\)</strong>: "
                     r"Give a number above 0", text)
    assert re.search(r"<strong>row 2, Outward issue link \(Blocks\)</strong>: "
                     r"Unknown issue &#39;SEC-9&#39;", text)
    assert _count(org) == before
    # the file still waits: the same token shows the mapping again with what was sent
    assert _token(text) == _token(page.text) and _selected(text, "title") == "Summary"


def test_a_mapping_without_a_title_is_named_beside_its_select(client, org):
    sign_in(client, "ops@novatechna.example")
    page = _upload(client, org, GOOD.encode(), "jira.csv")

    refused = _confirm(client, org, page.text, title="")

    assert refused.status_code == 422
    assert re.search(r'id="map-title-error">Map a column to the title', refused.text)


def test_a_cycle_of_links_is_explained_in_order(client, org):
    sign_in(client, "ops@novatechna.example")
    before = _count(org)
    looped = GOOD.replace("Enforce MFA,SEC-2,10002,Story,In Progress,,8,,",
                          "Enforce MFA,SEC-2,10002,Story,In Progress,,8,SEC-1,")
    page = _upload(client, org, looped.encode(), "jira.csv")

    refused = _confirm(client, org, page.text)

    assert refused.status_code == 422
    assert "block each other in a circle" in refused.text
    assert re.search(r"SEC-(1|2) \u2192 SEC-(1|2) \u2192 SEC-(1|2)", refused.text)
    assert _count(org) == before


def test_an_xlsx_of_our_own_columns_imports_and_lands_on_the_backlog(client, org):
    sign_in(client, "ops@novatechna.example")
    before = _count(org)
    book = Workbook()
    sheet = book.active
    for row in (["Name", "Ref", "Link", "Blocks"],
                ["Data platform", "DP-1", "https://jira.example/browse/DP-1", "DP-2"],
                [None, None, None, None],
                ["Self-serve analytics", "DP-2", None, None]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    page = _upload(client, org, out.getvalue(), "mine.xlsx", preset="")
    assert page.status_code == 200, page.text
    assert _selected(page.text, "title") == "" and "Import 2 initiatives" in page.text
    assert re.search(r'<th scope="row">4</th><td>Self-serve analytics</td>', page.text)

    done = client.post(f"/orgs/{org}/backlog/import/confirm", data={
        "token": _token(page.text), "map-title": "Name", "map-external_key": "Ref",
        "map-external_url": "Link", "map-blocks": "Blocks"})

    assert done.status_code == 303 and done.location.endswith(f"/orgs/{org}/backlog")
    assert "2 initiatives imported." in client.get(done.location).text
    assert _count(org) == before + 2
    made = {i.external_key: i for i in db.session.scalars(
        db.select(Initiative).where(Initiative.org_id == org,
                                    Initiative.external_key.in_(["DP-1", "DP-2"])))}
    assert made["DP-1"].external_url == "https://jira.example/browse/DP-1"
    assert db.session.scalar(db.select(db.func.count()).select_from(Dependency).where(
        Dependency.prerequisite_id == made["DP-1"].id,
        Dependency.dependent_id == made["DP-2"].id)) == 1
    # the file is gone once imported
    again = client.post(f"/orgs/{org}/backlog/import/confirm",
                        data={"token": _token(page.text), "map-title": "Name"})
    assert again.status_code == 422 and "no longer waiting" in again.text


def test_only_the_uploader_imports_a_waiting_file_and_a_viewer_cannot_upload(client, org):
    sign_in(client, "ops@novatechna.example")
    page = _upload(client, org, GOOD.encode(), "jira.csv")
    client.post("/logout")
    sign_in(client, "lead@novatechna.example")
    before = _count(org)

    other = _confirm(client, org, page.text)

    assert other.status_code == 422 and "no longer waiting" in other.text
    assert _count(org) == before
    client.post("/logout")
    sign_in(client, "sponsor@novatechna.example")
    assert client.get(f"/orgs/{org}/backlog/import").status_code == 403


def test_an_empty_or_unreadable_file_is_named_on_the_upload_step(client, org):
    sign_in(client, "ops@novatechna.example")

    empty = _upload(client, org, b"", "empty.csv")
    broken = _upload(client, org, b"PK\x03\x04 not a workbook", "x.xlsx")

    assert empty.status_code == 422 and "The first row must hold the column headers" in empty.text
    assert broken.status_code == 422 and "Not an .xlsx workbook" in broken.text


def test_the_api_limits_hold_on_the_upload_step(app, client, org, monkeypatch):
    sign_in(client, "ops@novatechna.example")
    monkeypatch.setitem(app.config, "TRACKER_RATINGS_IMPORT_MAX_ROWS", 2)

    rows = _upload(client, org, GOOD.encode(), "jira.csv")
    monkeypatch.setitem(app.config, "TRACKER_RATINGS_IMPORT_MAX_BYTES", 100)
    size = _upload(client, org, GOOD.encode(), "jira.csv")

    assert rows.status_code == 413
    assert "The file has more than 2 rows (row 4). Split it" in rows.text
    assert size.status_code == 413 and "TRACKER_RATINGS_IMPORT_MAX_BYTES" in size.text


def test_own_columns_named_as_the_fields_are_chosen_without_a_preset(client, org):
    sign_in(client, "ops@novatechna.example")
    text = "Title,External key,Status,Job_size,Owner\r\nData platform,DP-1,Planned,5,Ann\r\n"

    page = _upload(client, org, text.encode(), "mine.csv", preset="")

    assert [_selected(page.text, f) for f in ("title", "external_key", "status", "job_size",
                                              "blocks")] == [
        "Title", "External key", "Status", "Job_size", ""]
    assert "Import 1 initiative<" in page.text
