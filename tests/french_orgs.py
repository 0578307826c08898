"""The same assessments in an English and a French organization, both on the built-in
`pom-grid` (issue 16): what the French pages, report and email tests compare. Built
through the API like a lead would, with the built-in grid's names read from its seed file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import unescape
from typing import Any

import yaml

from tests.builders import respondent
from tracker.config import resource_dir
from tracker.extensions import db
from tracker.models import Assessment, Target
from tracker.seeding.frameworks import seed_frameworks
from tracker.services.frame import frameworks

PASSWORD = "correct horse battery"  # the password of the users `make_api` creates
#: Scores of the first diagnostic: every dimension at 2. The second moves the first
#: dimension of every axis to 3 and the last one to 1, the others stay at 2.
FIRST, UP, DOWN = 2, 3, 1
#: The respondents of every diagnostic: two teams of three, so that the teams are shown
#: (the default `min_group_size` is 3).
TEAMS = [(f"{who} {team}", team) for team in ("claims", "billing")
         for who in ("Ann", "Bob", "Cid")]


def pom_grid_seed() -> dict[str, Any]:
    """The built-in grid's file, as written."""
    path = resource_dir("seeds") / "frameworks" / "pom-grid.yaml"
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def grid_names() -> list[tuple[str, str]]:
    """(English, French) names of pom-grid's axes and dimensions, leaving out the names
    that read the same in both languages (they cannot tell one language from the other)."""
    pairs = []
    for axis in pom_grid_seed()["axes"]:
        for item in [axis, *axis["dimensions"]]:
            french = item["translations"]["fr"]["name"]
            if french != item["name"]:
                pairs.append((item["name"], french))
    return pairs


def english_left(text: str) -> list[str]:
    """The English names of pom-grid that `text` (HTML unescaped) still holds."""
    plain = unescape(text)
    return [english for english, _ in grid_names() if english in plain]


@dataclass(frozen=True)
class BuiltOrg:
    """An organization of the pair: its id, its two closed pom-grid assessments."""

    org_id: int
    first_id: int
    second_id: int


def build_org(lead: Any, name: str, locale: str) -> BuiltOrg:
    """An organization speaking `locale` with two closed pom-grid diagnostics rated by
    `TEAMS` (the second moves a dimension of every axis up and one down), and a target of
    4 on every dimension."""
    seed_frameworks()
    pom = lead.get("/api/v1/frameworks?code=pom-grid").json["items"][0]
    org = lead.post("/api/v1/orgs", json={"name": name}).json
    assert lead.patch(f"/api/v1/orgs/{org['id']}", json={"locale": locale}).status_code == 200
    framework = frameworks.load_framework(pom["id"])
    dims = frameworks.dimensions_by_code(framework)
    db.session.add_all(Target(org_id=org["id"], dimension_id=d.id, level=4,
                              valid_from=date(2026, 1, 1)) for d in dims.values())
    db.session.commit()
    first = _campaign(lead, org["id"], pom["id"], "Diagnostic 1", _values(framework, False),
                      date(2026, 3, 1))
    second = _campaign(lead, org["id"], pom["id"], "Diagnostic 2", _values(framework, True),
                       date(2026, 9, 1))
    return BuiltOrg(org["id"], first, second)


def _values(framework: Any, moved: bool) -> dict[str, int]:
    """The ratings of a diagnostic by dimension code (see FIRST, UP, DOWN)."""
    values = {}
    for axis in framework.axes:
        codes = [d.code for d in axis.dimensions]
        values.update(dict.fromkeys(codes, FIRST))
        if moved:
            values[codes[0]], values[codes[-1]] = UP, DOWN
    return values


def _campaign(lead: Any, org_id: int, framework_id: int, title: str,
              values: dict[str, int], closed_on: date) -> int:
    """A pom-grid diagnostic whose respondents (`TEAMS`) all rate `values`, closed on
    `closed_on` after three weeks open; its id."""
    base = f"/api/v1/orgs/{org_id}/assessments"
    assessment_id = lead.post(base, json={"framework_id": framework_id, "title": title,
                                          "kind": "diagnostic"}).json["id"]
    url = f"{base}/{assessment_id}"
    assert lead.patch(url, json={"status": "open"}).status_code == 200
    rows = []
    for who, team in TEAMS:
        added = lead.post(f"{url}/respondents", json=respondent(who, team=team)).json["id"]
        rows += [{"respondent_id": added, "dimension": code, "value": value}
                 for code, value in values.items()]
    assert lead.put(f"{url}/ratings", json=rows).status_code == 200
    assert lead.post(f"{url}/findings/suggest").status_code in (200, 201)
    assert lead.patch(url, json={"status": "closed"}).status_code == 200
    closed = datetime.combine(closed_on, datetime.min.time(), tzinfo=UTC)
    assessment = db.session.get(Assessment, assessment_id)
    assessment.opened_at, assessment.closed_at = closed - timedelta(days=21), closed
    db.session.commit()
    return assessment_id
