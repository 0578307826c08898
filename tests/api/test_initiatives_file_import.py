"""A backlog imported from a Jira CSV export, an .xlsx with a mapping, Productboard and
Aha! presets: every bad cell named, all or nothing, an other organization's import a 404."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook

from tests.builders import Scenario

#: A Jira Cloud "Export CSV (all fields)" header: the link header repeats once per link.
JIRA_CSV = (
    "Summary,Issue key,Issue id,Issue Type,Status,Priority,Description,"
    "Custom field (Story Points),Outward issue link (Blocks),Outward issue link (Blocks),"
    "Inward issue link (Blocks)\r\n"
    "Set up SSO,SEC-1,10001,Story,Done,High,Single sign-on for staff,5,SEC-2,SEC-3,\r\n"
    'Enforce MFA,SEC-2,10002,Story,In Progress,High,"Second factor, for all",8,,,SEC-1\r\n'
    "Audit log,SEC-3,10003,Task,To Do,Medium,,3,,,SEC-1\r\n"
    "Threat model,SEC-4,10004,Task,Selected for Development,Low,,,,,\r\n")


def _csv(api, s, body, query="?preset=jira"):
    return api.post(s.url(f"/initiatives/import{query}"), data=body.encode("utf-8"),
                    headers={"Content-Type": "text/csv"})


def _by_key(api, s):
    return {i["external_key"]: i for i in api.get(s.url("/initiatives?limit=100")).json["items"]}


def test_a_jira_export_imports_issues_statuses_points_and_both_blocks_links(lead, admin):
    s = Scenario(lead, admin)
    r = _csv(lead, s, JIRA_CSV)
    assert r.status_code == 201, r.json
    ids = r.json["ids"]
    assert sorted(ids) == ["SEC-1", "SEC-2", "SEC-3", "SEC-4"]
    items = _by_key(lead, s)
    assert items["SEC-1"]["title"] == "Set up SSO"
    assert items["SEC-2"]["description"] == "Second factor, for all"
    # To Do → proposed, In Progress → in_progress, Done → done, anything else → proposed
    assert [items[k]["status"] for k in ("SEC-1", "SEC-2", "SEC-3", "SEC-4")] == [
        "done", "in_progress", "proposed", "proposed"]
    # story points are the WSJF job size
    assert [items[k]["job_size"] for k in ("SEC-1", "SEC-2", "SEC-3", "SEC-4")] == [
        5.0, 8.0, 3.0, None]
    deps = lead.get(s.url("/dependencies")).json["items"]
    # SEC-1 blocks SEC-2 and SEC-3 (two columns with the same header): both depend on it
    assert sorted((d["prerequisite_id"], d["dependent_id"]) for d in deps) == sorted(
        [(ids["SEC-1"], ids["SEC-2"]), (ids["SEC-1"], ids["SEC-3"])])


def test_every_bad_cell_is_named_and_nothing_is_created(lead, admin):
    s = Scenario(lead, admin)
    bad = (JIRA_CSV.replace("Audit log,SEC-3", ",SEC-3")
           .replace("High,Single sign-on for staff,5,SEC-2,SEC-3",
                    "High,Single sign-on for staff,five,SEC-2,SEC-9"))
    r = _csv(lead, s, bad)
    assert r.status_code == 422
    assert r.headers["Content-Type"].startswith("application/problem+json")
    errors = r.json["errors"]
    assert set(errors) == {"row 2, Custom field (Story Points)",
                           "row 2, Outward issue link (Blocks)", "row 4, Summary"}
    assert "SEC-9" in errors["row 2, Outward issue link (Blocks)"][0]
    assert lead.get(s.url("/initiatives")).json["total"] == 0
    assert lead.get(s.url("/dependencies")).json["items"] == []


def test_a_cycle_in_the_links_creates_nothing(lead, admin):
    s = Scenario(lead, admin)
    cyclic = JIRA_CSV.replace("Audit log,SEC-3,10003,Task,To Do,Medium,,3,,",
                              "Audit log,SEC-3,10003,Task,To Do,Medium,,3,SEC-1,")
    assert _csv(lead, s, cyclic).status_code == 409
    assert lead.get(s.url("/initiatives")).json["total"] == 0


def test_an_xlsx_with_an_explicit_mapping(lead, admin):
    s = Scenario(lead, admin)
    book = Workbook()
    sheet = book.active
    sheet.append(["Key", "Name", "Size", "Link", "Blocks"])
    sheet.append(["K-1", "First", 2, "https://tools.example.org/K-1", "K-2"])
    sheet.append(["K-2", "Second", 13.5, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    mapping = {"title": "Name", "external_key": "Key", "job_size": "Size",
               "external_url": "Link", "blocks": "Blocks"}
    r = lead.request("POST", s.url("/initiatives/import"), data={
        "file": (io.BytesIO(buffer.getvalue()), "backlog.xlsx"),
        "mapping": json.dumps(mapping)}, content_type="multipart/form-data")
    assert r.status_code == 201, r.json
    items = _by_key(lead, s)
    assert items["K-1"]["external_url"] == "https://tools.example.org/K-1"
    assert (items["K-1"]["job_size"], items["K-2"]["job_size"]) == (2.0, 13.5)
    deps = lead.get(s.url("/dependencies")).json["items"]
    assert [(d["prerequisite_id"], d["dependent_id"]) for d in deps] == [
        (r.json["ids"]["K-1"], r.json["ids"]["K-2"])]


def test_productboard_and_aha_presets(lead, admin):
    s = Scenario(lead, admin)
    board = ("Feature name,Description,Status,Feature ID,Feature URL\n"
             "Dark mode,Night theme,In progress,pb-7,https://acme.productboard.com/f/pb-7\n")
    assert _csv(lead, s, board, "?preset=productboard").status_code == 201
    aha = ("Feature reference #,Feature name,Feature status,Feature description\n"
           "APP-12,Offline sync,Shipped,Works on a plane\n")
    assert _csv(lead, s, aha, "?preset=aha").status_code == 201
    items = _by_key(lead, s)
    assert (items["pb-7"]["title"], items["pb-7"]["status"]) == ("Dark mode", "in_progress")
    assert items["pb-7"]["external_url"] == "https://acme.productboard.com/f/pb-7"
    assert (items["APP-12"]["status"], items["APP-12"]["description"]) == (
        "done", "Works on a plane")


def test_a_mapping_to_a_missing_column_and_an_unknown_preset_are_named(lead, admin):
    s = Scenario(lead, admin)
    r = _csv(lead, s, JIRA_CSV, "?mapping=" + json.dumps({"title": "Nom"}))
    assert r.status_code == 422 and "mapping.title" in r.json["errors"]
    r = _csv(lead, s, JIRA_CSV, "?preset=trello")
    assert r.status_code == 422 and "preset" in r.json["errors"]


def test_an_other_organizations_import_is_a_404(lead, admin, make_api):
    s = Scenario(lead, admin)
    outsider = make_api("eve@example.org")
    assert _csv(outsider, s, JIRA_CSV).status_code == 404
    assert lead.get(s.url("/initiatives")).json["total"] == 0
