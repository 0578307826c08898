"""The pages link their Excel (and Jira) files beside the CSV ones (issue 19), and a
signed-in browser session downloads them."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import load_workbook

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.web.plan_helpers import lead_of_new_org

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
START = "2025-01-06"


@pytest.fixture
def org(app, client) -> int:
    return lead_of_new_org(client, "lead@exports.example", "Exported")


@pytest.fixture
def ids(org) -> dict[str, int]:
    return add_network(org, TEXTBOOK, TEXTBOOK_EDGES)


def _link(page: str, anchor_id: str) -> str:
    found = re.search(rf'<a href="([^"]+)"[^>]*id="{anchor_id}"', page)
    assert found, f"no link {anchor_id}"
    return html.unescape(found.group(1))


def _titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    column = [c.value for c in sheet[1]].index("title")
    return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_roadmap_links_its_workbook_under_the_plan_shown(client, org, ids):
    url = _link(client.get(f"/orgs/{org}/roadmap?start={START}").text, "download-xlsx")
    assert url == f"/api/v1/orgs/{org}/roadmap.xlsx?start={START}"
    assert _titles(client, url) == ["A", "B", "C", "D", "F", "E", "G"]


def test_the_backlog_links_its_workbook_and_its_jira_file(client, org, ids):
    page = client.get(f"/orgs/{org}/backlog").text
    assert sorted(_titles(client, _link(page, "backlog-xlsx"))) == sorted(TEXTBOOK)
    jira = client.get(_link(page, "backlog-jira"))
    assert jira.status_code == 200 and jira.mimetype == "text/csv"
    assert jira.get_data(as_text=True).lstrip("\ufeff").startswith("Summary,Issue key,Status")


def test_the_decision_log_links_its_workbook_with_the_filters(client, org, ids):
    page = client.get(f"/orgs/{org}/decisions?q=platform").text
    assert _link(page, "decisions-xlsx") == f"/api/v1/orgs/{org}/decisions.xlsx?q=platform"
