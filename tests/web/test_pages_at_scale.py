"""Issue 20, "pages show a page": the backlog, the dependencies page, an initiative's page,
the decision log and the initiative picker's search run the same SQL statements and show
the same number of rows whatever the size of the organization (30 and 120 initiatives with
dependencies, some done, dropped or archived, uplifts and raters); the backlog filters,
sorts and pages the whole ranking; the picker never finds another organization's
initiative and its form fields say what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.statements import warm_get
from tracker.extensions import db
from tracker.models import Axis, Dependency, Dimension, Framework, Initiative
from tracker.models.backlog import RaterInput, Uplift
from tracker.seeding import frameworks as seeds
from tracker.services.tenancy import accounts, organizations

PASSWORD = "correct horse battery"

SMALL, LARGE = 30, 120
#: The initiative every size focuses on: it has prerequisites and dependents at both sizes.
FOCUS = 10


@dataclass(frozen=True)
class Org:
    id: int
    email: str
    ids: list[int]  # initiative ids by k


def status_of(k: int) -> tuple[str, bool]:
    """Initiative k's status and whether it is archived: archived when k % 20 == 19, else
    done when k % 10 == 5, dropped when k % 15 == 14, in progress when k % 10 == 1."""
    if k % 20 == 19:
        return "proposed", True
    if k % 10 == 5:
        return "done", False
    if k % 15 == 14:
        return "dropped", False
    return ("in_progress" if k % 10 == 1 else "proposed"), False


def edges_of(count: int) -> set[tuple[int, int]]:
    """k-1 → k unless k % 3 == 0, and k // 2 → k: an acyclic graph (lower k first)."""
    chain = {(k - 1, k) for k in range(1, count) if k % 3}
    halves = {(k // 2, k) for k in range(3, count)}
    return chain | halves


def build(name: str, count: int) -> Org:
    """An organization of `count` initiatives `Item-0000`... with WSJF inputs, durations,
    the statuses of `status_of`, the dependencies of `edges_of`, an uplift on every fourth
    and a rater on every fifth."""
    seeds.seed_frameworks()
    dimensions = list(db.session.scalars(select(Dimension.id).join(Axis).join(Framework)
                                         .where(Framework.code == "pom-grid")))
    email = f"lead-{name.lower()}@example.org"
    lead = accounts.create_user(email, PASSWORD)
    org = organizations.create_organization(lead, {"name": name})
    now = datetime.now(UTC)
    items = []
    for k in range(count):
        status, archived = status_of(k)
        items.append(Initiative(
            org_id=org.id, title=f"Item-{k:04d}", status=status, duration_weeks=1 + k % 4,
            business_value=1 + k % 10, time_criticality=1 + k % 7, risk_reduction=1 + k % 5,
            job_size=1 + k % 3, archived_at=now if archived else None,
            actual_start=date(2026, 11, 2) if status == "in_progress"
            else date(2026, 9, 7) if status == "done" else None,
            actual_end=date(2026, 10, 5) if status == "done" else None))
    db.session.add_all(items)
    db.session.flush()
    ids = [item.id for item in items]
    db.session.add_all(Dependency(org_id=org.id, prerequisite_id=ids[p], dependent_id=ids[d])
                       for p, d in sorted(edges_of(count)))
    db.session.add_all(Uplift(initiative_id=ids[k], dimension_id=dimensions[k % len(dimensions)],
                              expected=0.5) for k in range(0, count, 4))
    db.session.add_all(RaterInput(initiative_id=ids[k], rater="Ann", business_value=5)
                       for k in range(0, count, 5))
    db.session.commit()
    return Org(org.id, email, ids)


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text


@dataclass(frozen=True)
class Seen:
    statements: int
    size: int
    html: str


def fetch(client: FlaskClient, url: str) -> Seen:
    """One warm GET (after a first one): its SQL statements, bytes and text."""
    response, statements = warm_get(client, url)
    return Seen(statements, len(response.data), response.text)


def pages(org: Org) -> dict[str, str]:
    """The pages (and the picker's search) whose cost must not grow, by name."""
    base = f"/orgs/{org.id}"
    focus = org.ids[FOCUS]
    return {"backlog": f"{base}/backlog",
            "backlog page 2": f"{base}/backlog?per_page=10&page=2&sort=title&q=item",
            "dependencies": f"{base}/dependencies?per_page=10",
            "dependencies focused": f"{base}/dependencies?per_page=10&focus={focus}&q=Item",
            "initiative": f"{base}/initiatives/{focus}",
            "decisions": f"{base}/decisions",
            "search": f"{base}/initiatives/search?q=item&limit=5"}


def backlog_rows(html: str) -> list[str]:
    """The titles of the backlog table's rows, in order."""
    body = html.split('id="backlog-table"')[1].split("</tbody>")[0]
    return re.findall(r'<td data-value="item-\d+"><a href="[^"]+">(Item-\d+)</a>', body)


def test_the_pages_cost_the_same_at_both_sizes(app: Flask, client: FlaskClient) -> None:
    small, large = build("Small", SMALL), build("Large", LARGE)
    sign_in(client, small.email)
    at_small = {name: fetch(client, url) for name, url in pages(small).items()}
    other = app.test_client()
    sign_in(other, large.email)
    at_large = {name: fetch(other, url) for name, url in pages(large).items()}

    differs = {name: (at_small[name].statements, at_large[name].statements)
               for name in at_small if at_small[name].statements != at_large[name].statements}
    assert not differs, f"statements at {SMALL} / {LARGE}: {differs}"
    # 10 rows per page and a header row (the dependencies page has its waves table too)
    assert at_large["backlog page 2"].html.count('<tr data-id="') == 10
    assert at_large["dependencies"].html.count("<tr data-dependency=") == 10
    for name, seen in at_large.items():
        assert seen.size < 300_000, (name, seen.size)
    # the default backlog page shows 50 rows of the 96 still to do at 120 (see below), and
    # all 24 at 30: 30 - 1 archived (19) - 3 done (5, 15, 25) - 2 dropped (14, 29)
    assert at_large["backlog"].html.count('<tr data-id="') == 50
    assert at_small["backlog"].html.count('<tr data-id="') == 24


def test_the_backlog_filters_sorts_and_pages_the_whole_ranking(app: Flask,
                                                               client: FlaskClient) -> None:
    org = build("Large", LARGE)
    sign_in(client, org.email)
    url = f"/orgs/{org.id}/backlog"
    # still to do at 120: 120 - 6 archived (19, 39, …, 119) - 12 done (5, 15, …, 115)
    # - 6 dropped (14, 29, 44, 74, 89, 104; 59 and 119 are archived) = 96
    first = client.get(url).text
    assert "Initiatives 1 to 50 of 96 matching (96 in all)" in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get(f"{url}?page=2").text
    assert second.count('<tr data-id="') == 46 and "Initiatives 51 to 96 of 96" in second

    by_title = client.get(f"{url}?sort=title&per_page=20").text
    assert backlog_rows(by_title)[:3] == ["Item-0000", "Item-0001", "Item-0002"]
    assert "Page 1 of 5" in by_title
    last = client.get(f"{url}?sort=title&dir=desc&per_page=20&page=5").text
    assert len(backlog_rows(last)) == 16  # 96 - 4 × 20
    descending = client.get(f"{url}?sort=title&dir=desc&per_page=20").text
    assert backlog_rows(descending)[:2] == ["Item-0118", "Item-0117"]
    # the page links keep the filters and the sort
    assert re.search(r'href="[^"]*page=2[^"]*"', descending)
    link = re.search(r'<a href="([^"]*)" rel="next"', descending).group(1)
    assert "sort=title" in link and "dir=desc" in link and "per_page=20" in link

    # in progress: k % 10 == 1, 12 of them, none archived, done or dropped
    in_progress = client.get(f"{url}?status=in_progress").text
    assert in_progress.count('<tr data-id="') == 12 and "of 12 matching" in in_progress
    # the title text: Item-0000 to Item-0099, less 5 archived, 10 done, 5 dropped = 80
    text = client.get(f"{url}?q=item-00&per_page=200").text
    assert text.count('<tr data-id="') == 80 and "of 80 matching" in text
    assert "Item-0100" not in text
    # the quadrant counts cover every match; the chart draws the page only
    counts = [int(n) for n in re.findall(r'<td class="num" data-quadrant="[a-z_]*">(\d+)</td>',
                                         text)]
    assert sum(counts) == 80
    assert "draws the 80 initiatives of this page only" in text
    code, count = max(((c, int(n)) for c, n in re.findall(
        r'data-quadrant="([a-z_]+)">(\d+)<', first)), key=lambda pair: pair[1])
    assert count > 0
    filtered = client.get(f"{url}?quadrant={code}&per_page=200").text
    assert filtered.count('<tr data-id="') == count
    assert f"of {count} matching" in filtered

    nothing = client.get(f"{url}?q=no-such-title").text
    assert 'id="no-match"' in nothing and "No initiative matches these filters." in nothing
    huge = client.get(f"{url}?per_page=5000&page=x").text
    assert huge.count('<tr data-id="') == 96  # per_page is capped at 200, page read as 1


def test_the_dependencies_page_shows_focused_views(app: Flask, client: FlaskClient) -> None:
    org = build("Small", SMALL)
    sign_in(client, org.email)
    url = f"/orgs/{org.id}/dependencies"
    # edges at 30: k-1 → k for k in 1..29 not divisible by 3 (29 - 9 = 20 of them), and
    # k//2 → k for k in 3..29 (27; k//2 == k-1 only for k = 2, so no repeat): 47
    page = client.get(f"{url}?per_page=10").text
    assert "47 dependencies" in page and "Page 1 of 5" in page
    assert page.count("<tr data-dependency=") == 10
    # filtering on a title: Item-0007 is in 7 edges: 6 → 7, 3 → 7, 7 → 8, 7 → 14, 7 → 15
    filtered = client.get(f"{url}?q=item-0007").text
    assert "5 dependencies" in filtered
    none = client.get(f"{url}?q=zzz").text
    assert 'id="no-dependency-match"' in none
    # a delete form (with its CSRF token) for each row shown, and none for the others
    assert page.count('name="csrf_token"') - none.count('name="csrf_token"') == 10
    # the waves as counts and the critical chain with its duration
    assert 'id="wave-counts"' in page and 'id="critical-chain"' in page
    # the neighbourhood of Item-0010: waits for 5 (done) and 9, then for 4 and 2 (of 5) and
    # 4 (of 9; 8 → 9 is no edge as 9 % 3 == 0); needed by 11, 20 and 21, then by 22 and 23
    # (of 11; 11 → 12 is no edge), 22 (of 21), none of 20 (40 and 41 do not exist at 30)
    focused = client.get(f"{url}?focus=%23{org.ids[10]}").text
    before = re.findall(r'<li data-level="(\d)"><a href="[^"]+">(Item-\d+)</a>',
                        focused.split('id="focus-prerequisites"')[1].split("</ul>")[0])
    after = re.findall(r'<li data-level="(\d)"><a href="[^"]+">(Item-\d+)</a>',
                       focused.split('id="focus-dependents"')[1].split("</ul>")[0])
    assert before == [("1", "Item-0005"), ("1", "Item-0009"), ("2", "Item-0002"),
                      ("2", "Item-0004")]
    assert after == [("1", "Item-0011"), ("1", "Item-0020"), ("1", "Item-0021"),
                     ("2", "Item-0022"), ("2", "Item-0023")]
    assert "Neighbourhood in waves" in focused
    unknown = client.get(f"{url}?focus=no+such+initiative").text
    assert "Focus on: no initiative is called “no such initiative”" in unknown


def test_the_picker_searches_only_the_organization(app: Flask, client: FlaskClient) -> None:
    mine, theirs = build("Mine", SMALL), build("Theirs", SMALL)
    sign_in(client, mine.email)
    found = client.get(f"/orgs/{mine.id}/initiatives/search?q=item-000&limit=3").get_json()
    assert [i["title"] for i in found["items"]] == ["Item-0000", "Item-0001", "Item-0002"]
    assert {i["id"] for i in found["items"]} <= set(mine.ids)
    by_id = client.get(f"/orgs/{mine.id}/initiatives/search?q=%23{mine.ids[7]}").get_json()
    assert by_id["items"][0] == {"id": mine.ids[7], "title": "Item-0007",
                                 "status": "proposed", "archived": False}
    foreign = client.get(f"/orgs/{mine.id}/initiatives/search?q=%23{theirs.ids[7]}")
    assert all(i["id"] not in theirs.ids for i in foreign.get_json()["items"])
    assert client.get(f"/orgs/{theirs.id}/initiatives/search?q=item").status_code == 404
    capped = client.get(f"/orgs/{mine.id}/initiatives/search?q=item&limit=999").get_json()
    assert len(capped["items"]) == 30  # every one of 30 (the bound is 50)


def test_the_dependency_form_reads_typed_initiatives_and_names_bad_fields(
        app: Flask, client: FlaskClient) -> None:
    mine, theirs = build("Mine", SMALL), build("Theirs", SMALL)
    db.session.add(Initiative(org_id=mine.id, title="Item-0003"))  # a second Item-0003
    db.session.commit()
    sign_in(client, mine.email)
    url = f"/orgs/{mine.id}/dependencies"
    nothing = client.post(url, data={"prerequisite_id": "Nope", "dependent_id": ""})
    assert nothing.status_code == 422
    assert "Prerequisite: no initiative is called “Nope”" in nothing.text
    assert "Dependent (waits for it): type an initiative" in nothing.text
    several = client.post(url, data={"prerequisite_id": "item-0003",
                                     "dependent_id": f"#{theirs.ids[20]}"})
    assert several.status_code == 422
    assert "Prerequisite: several initiatives are called “item-0003”" in several.text
    assert f"Dependent (waits for it): no initiative is called “#{theirs.ids[20]}”" \
        in several.text
    added = client.post(url, data={"prerequisite_id": f"#{mine.ids[0]} Item-0000",
                                   "dependent_id": "Item-0027"})
    assert added.status_code == 303
    assert db.session.scalar(select(Dependency.id).where(
        Dependency.prerequisite_id == mine.ids[0], Dependency.dependent_id == mine.ids[27]))
    by_number = client.post(url, data={"prerequisite_id": str(mine.ids[1]),
                                       "dependent_id": "item-0026"})
    assert by_number.status_code == 303


def test_the_decision_form_links_initiatives_typed_in_its_pickers(app: Flask,
                                                                  client: FlaskClient) -> None:
    mine = build("Mine", SMALL)
    sign_in(client, mine.email)
    url = f"/orgs/{mine.id}/decisions"
    refused = client.post(url, data={"title": "Go", "decided_on": "2026-12-01",
                                     "committee": "portfolio", "participants": "",
                                     "initiative_ids": ["Item-0002", "Nope", ""]})
    assert refused.status_code == 422
    assert "Initiatives: no initiative is called “Nope”" in refused.text
    assert 'value="Item-0002"' in refused.text  # what was typed comes back
    logged = client.post(url, data={"title": "Go", "decided_on": "2026-12-01",
                                    "committee": "portfolio", "participants": "",
                                    "initiative_ids": ["Item-0002", f"#{mine.ids[3]}"]})
    assert logged.status_code == 303, logged.text
    log = client.get(url).text
    assert ">Item-0002</a>, <a" in log and ">Item-0003</a>" in log
