"""The barometer email on the demo organization, through a real SMTP server: HTML and
text with the right numbers, inline charts rendered once, English and French, and the same
period never sent twice."""

from __future__ import annotations

import pytest

from tests.smtp_server import SmtpServer
from tracker.adapters.charts import png as charts
from tracker.extensions import db
from tracker.models import Organization, User
from tracker.services.follow import barometer, barometer_mail, outbox


@pytest.fixture
def demo_org(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    return db.session.get(Organization, org_id)


def _parts(message):
    return [p for p in message.walk() if not p.is_multipart()]


def test_the_barometer_email_arrives_with_charts_numbers_and_the_readers_language(app,
                                                                                  demo_org):
    db.session.scalar(db.select(User).where(User.email == "sponsor@novatechna.example")
                      ).locale = "fr"
    db.session.commit()
    rendered_before = charts.renders()
    first = barometer_mail.send_barometer(demo_org, app.config, period="2026-Q4")
    assert first.queued == ["sponsor@novatechna.example", "lead@novatechna.example"]
    # trend + radar once per language (its numbers and axis names), not per recipient
    assert charts.renders() - rendered_before == 4
    with SmtpServer() as smtp:
        assert outbox.deliver_pending({**app.config, **smtp.config}).sent == 2
        received = {m["To"]: m for m in smtp.collector.messages}
    assert received["lead@novatechna.example"]["Subject"] == (
        "NovaTechna: maturity barometer 2026-Q4")
    assert received["sponsor@novatechna.example"]["Subject"] == (
        "NovaTechna : baromètre de maturité 2026-Q4")
    lead = received["lead@novatechna.example"]
    types = [p.get_content_type() for p in _parts(lead)]
    assert types == ["text/plain", "text/html", "image/png", "image/png"]
    text, html = (p.get_content() for p in _parts(lead)[:2])
    images = {p["Content-ID"] for p in _parts(lead)[2:]}
    assert images == {"<trend@tracker>", "<radar@tracker>"}
    assert "cid:trend@tracker" in html and "cid:radar@tracker" in html
    assert "<script" not in html
    latest = barometer.barometer(demo_org).assessments[-1]
    assert f"Overall: {latest.overall:.2f}" in text
    assert f"▲ +{latest.delta_previous:.2f}" in text
    # the demo's KPIs are all off target (lead time 7 vs 5, incident 36 vs 24, 78 vs 85 %)
    assert "Lead time of stories: Current 7.00 days, Target 5.00 days, Gap 2.00" in text
    assert "Internal satisfaction: Current 78.00 %, Target 85.00 %, Gap -7.00" in text
    assert "http://tracker.test/orgs/" in text
    french = _parts(received["sponsor@novatechna.example"])[0].get_content()
    assert "Indicateurs hors cible" in french


def test_the_same_period_is_never_sent_twice(app, demo_org):
    barometer_mail.send_barometer(demo_org, app.config, period="2026-Q4")
    rendered = charts.renders()
    again = barometer_mail.send_barometer(demo_org, app.config, period="2026-Q4")
    assert again.queued == [] and len(again.already_sent) == 2
    assert charts.renders() == rendered
    extra = barometer_mail.send_barometer(demo_org, app.config, period="2026-Q4",
                                          recipients=["new@example.org"])
    assert extra.queued == ["new@example.org"]
    assert charts.renders() == rendered  # the period's charts are reused


def test_barometer_send_command_dry_run_prints_and_queues_nothing(app, demo_org):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["barometer", "send", "--org", str(demo_org.id), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Subject: NovaTechna: maturity barometer" in result.output
    assert "KPIs off target" in result.output
    assert outbox.deliver_pending(app.config).sent == 0
    result = runner.invoke(args=["barometer", "send", "--org", str(demo_org.id), "--to",
                                 "ann@example.org", "--period", "2026-Q4"])
    assert result.exit_code == 0 and "queued for 1" in result.output
