"""The French demo organization's pages render its French texts (accents, « », long titles)."""

from __future__ import annotations

from sqlalchemy import select

from tests.web_helpers import sign_in
from tracker.extensions import db
from tracker.models import Assessment
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds

#: A page of the French demo and a French text of its own it must show (no apostrophe: the
#: page escapes it).
PAGES = {
    "/findings": "Pas de product operations",
    "/backlog": "Routine de découverte continue",
    "/roadmap": "Phase 1 — Gains rapides et pilotes",
    "/kpis": "Délai de résolution des incidents",
    "/decisions": "Lancer la transformation du modèle opérationnel produit",
    "/assessments": "Diagnostic initial",
}


def test_the_french_demo_pages_show_its_french_texts(client, app):
    seeds.seed_frameworks()
    org = demo.load_demos()["fr"].org_id
    diagnostic = db.session.scalar(select(Assessment.id).where(
        Assessment.org_id == org, Assessment.kind == "diagnostic"))
    sign_in(client, "lead@novatechna.example")
    pages = {**PAGES, f"/assessments/{diagnostic}/evidence": "Nos équipes sont autonomes."}
    for path, text in pages.items():
        response = client.get(f"/orgs/{org}{path}")
        assert response.status_code == 200, path
        assert text in response.text, path
    assert "Continuous discovery routine" not in client.get(f"/orgs/{org}/backlog").text
