"""A French user of a French organization reads its pom-grid diagnostic and report in a
real browser: the grid's names are the French ones, no English one is left, and the pages
pass axe-core and log no console error. With TRACKER_SCREENSHOTS=1 the diagnostic, the
report and the barometer email (its HTML shown as a page, its charts inline) leave
docs/screenshots/french-pages-<nn>-<step>.png."""

from __future__ import annotations

import base64
from html import unescape

import pytest

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tests.french_orgs import PASSWORD, build_org, english_left, grid_names
from tracker.extensions import db
from tracker.models import Organization, OutboxAsset, OutboxMessage, User
from tracker.services.follow import barometer_mail


def _email_html(app, org_id: int) -> str:
    """The French organization's barometer email as queued, its charts' `cid:` images
    replaced by the stored PNGs (a browser cannot fetch a `cid:` URL)."""
    result = barometer_mail.send_barometer(db.session.get(Organization, org_id), app.config,
                                           recipients=["sponsor@acme-fr.example"],
                                           period="2026-Q4")
    assert result.queued == ["sponsor@acme-fr.example"]
    message = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.org_id == org_id))
    html = message.html or ""
    for part in message.attachments:
        png = db.session.scalar(db.select(OutboxAsset.content).where(
            OutboxAsset.key == part["asset"]))
        html = html.replace(f"cid:{part['cid']}",
                            "data:image/png;base64," + base64.b64encode(png).decode())
    return html


@pytest.mark.e2e
def test_a_french_lead_reads_the_diagnostic_report_and_email_in_french(app, live_server,
                                                                       chromium, lead):
    built = build_org(lead, "Acme FR", "fr")
    watched = Watched(chromium.new_page(viewport={"width": 1280, "height": 900}))
    campaign = Campaign(app, live_server, watched, prefix="french-pages", skip_missing=False)
    sign_in(watched.page, live_server, "lead@example.org", PASSWORD)
    db.session.scalar(db.select(User).where(User.email == "lead@example.org")).locale = "fr"
    db.session.commit()
    french = [name for _, name in grid_names()]
    base = f"/orgs/{built.org_id}/assessments/{built.second_id}"

    campaign.visit(base, "diagnostic")
    assert watched.page.get_attribute("html", "lang") == "fr"
    shown = unescape(watched.page.inner_text("main"))
    assert english_left(shown) == []
    assert [name for name in french if name not in shown] == []
    campaign.done("diagnostic")

    campaign.visit(f"{base}/report", "report")
    assert watched.page.get_attribute("html", "lang") == "fr"
    report = watched.page.inner_text("body")
    assert english_left(report) == []
    assert [name for name in french if name not in report] == []
    widths = watched.page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
    assert widths and all(width > 0 for width in widths)
    campaign.done("report")

    email = chromium.new_page(viewport={"width": 800, "height": 900})
    email.set_content(_email_html(app, built.org_id))
    assert english_left(email.inner_text("body")) == []
    campaign.steps += 1
    campaign.screenshot(email, "email")
    email.close()
    campaign.assert_clean()
    watched.page.close()
