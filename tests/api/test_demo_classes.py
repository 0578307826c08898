"""The class rule on the demo (DESIGN section 3 "Class", issue 17): *Role cards* is the
method's own quick-win example (4 weeks, high value, low effort) that five initiatives wait
on, so it is a quick win and an enabler, and no row says two contradicting things."""

from __future__ import annotations

import networkx as nx
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Organization, User
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.decide import backlog
from tracker.services.decide.graph import load_active_graph
from tracker.services.tenancy import accounts


def demo_api(client):
    seeds.seed_frameworks()
    org = db.session.get(Organization, demo.load_demo().org_id)
    lead = db.session.scalar(select(User).where(User.email == "lead@novatechna.example"))
    _, secret = accounts.create_token(lead)
    return org, {"Authorization": f"Bearer {secret}"}


def test_role_cards_is_a_quick_win_and_an_enabler(app, client):
    org, headers = demo_api(client)
    response = client.get(f"/api/v1/orgs/{org.id}/backlog?per_page=200&include_done=true",
                          headers=headers)  # Role cards... is done
    assert response.status_code == 200, response.json
    items = {i["title"]: i for i in response.json["items"]}
    roles = next(i for title, i in items.items() if title.startswith("Role cards"))
    median_value, median_effort = response.json["median_value"], response.json["median_effort"]
    # WSJF: value 8 + 8 + 3 = 19, effort (job size) 2; 4 weeks ≤ 6
    assert (roles["value"], roles["effort"]) == (19, 2)
    assert roles["value"] >= median_value and roles["effort"] <= median_effort
    assert (roles["quadrant"], roles["computed_class"], roles["class"]) == (
        "quick_win", "quick_win", "quick_win")
    assert roles["enabler"] is True
    read = client.get(f"/api/v1/orgs/{org.id}/initiatives/{roles['id']}", headers=headers).json
    assert read["enabler"] is True
    listed = client.get(f"/api/v1/orgs/{org.id}/initiatives?per_page=200", headers=headers).json
    assert {i["id"] for i in listed["items"] if i["enabler"]} == {
        i["id"] for i in items.values() if i["enabler"]}


def test_five_initiatives_wait_on_role_cards_and_it_stays_a_quick_win(app, client):
    org, _ = demo_api(client)
    ranked = {i.id: i for i in backlog.ranked_backlog(org, include_done=True).items}
    roles = next(i for i in ranked.values() if i.title.startswith("Role cards"))
    graph, _ = load_active_graph(org)
    assert len(nx.descendants(graph, roles.id)) == 5
    assert roles.id in backlog.enabler_ids(org)
    # Every row's class agrees with its quadrant: a quick win is in the quick-win quadrant.
    assert all(i.quadrant == "quick_win" for i in ranked.values()
               if i.computed_class == "quick_win")
