"""A cross self-assessment known by hand (issue 17): the test grid of `tests.builders`
rated by three consultants, three clients and one respondent with no perspective; the
default `min_group_size` is 3 and the gap threshold 1.0. Shared by the page, report and
browser tests."""

from __future__ import annotations

from typing import Any

from tests.builders import Scenario

#: name → (perspective, {dimension: value}); None is "cannot say".
RATINGS: dict[str, tuple[str | None, dict[str, float | None]]] = {
    "Cleo": ("consultant", {"a.one": 2, "a.two": 1, "b.one": 3, "b.two": 4}),
    "Chris": ("consultant", {"a.one": 3, "a.two": 1, "b.one": 3, "b.two": None}),
    "Cyd": ("consultant", {"a.one": 4, "a.two": 2, "b.one": 3, "b.two": None}),
    "Kim": ("client", {"a.one": 1, "a.two": 2, "b.one": 4, "b.two": 3}),
    "Kai": ("client", {"a.one": 1, "a.two": 2, "b.one": 4, "b.two": 3}),
    "Kit": ("client", {"a.one": 1, "a.two": 2, "b.one": None, "b.two": 3}),
    "Dan": (None, {"a.one": 5, "a.two": 5, "b.one": 5, "b.two": 5}),
}
#: dimension → (consultant mean, client mean, gap, flagged), by hand:
#: a.one (2+3+4)/3 = 3 and (1+1+1)/3 = 1, gap 3 − 1 = 2 ≥ 1: flagged;
#: a.two (1+1+2)/3 = 4/3 and 2, gap 4/3 − 2 = −2/3, |gap| < 1: not flagged;
#: b.one consultants 3; only 2 clients rated it (< 3): hidden, no gap;
#: b.two only 1 consultant rated it: hidden; clients 3; no gap. Dan counts in neither.
EXPECTED = {"a.one": (3.0, 1.0, 2.0, True), "a.two": (4 / 3, 2.0, -2 / 3, False),
            "b.one": (3.0, None, None, False), "b.two": (None, 3.0, None, False)}


def perspectives_scenario(lead: Any, admin: Any) -> Scenario:
    """Build the scenario above through the API (`lead` leads the organization)."""
    built = Scenario(lead, admin)
    rows = []
    for name, (perspective, values) in RATINGS.items():
        extra = {"perspective": perspective} if perspective else {}
        who = built.add_respondent(name, **extra)
        rows += [{"respondent_id": who, "dimension": d, "value": v} for d, v in values.items()]
    assert built.rate(rows).status_code == 200
    return built
