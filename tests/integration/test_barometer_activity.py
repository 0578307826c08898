"""The barometer email reports initiatives finished and started, and the next milestones."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import barometer_mail


def _demo(app) -> Organization:
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return db.session.scalar(select(Organization))


def test_the_q3_email_lists_what_finished_and_started_since_april(app):
    org = _demo(app)
    content, _ = barometer_mail.digest(org, "2026-Q3", "http://tracker.test")

    assert content.since == date(2026, 4, 1)
    assert [(m.day, m.title[:10]) for m in content.finished] == [
        (date(2026, 6, 26), "Role cards"),
        (date(2026, 7, 3), content.finished[1].title[:10]),
        (date(2026, 7, 17), content.finished[2].title[:10])]
    assert [m.day for m in content.started] == [
        date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 15), date(2026, 7, 6),
        date(2026, 9, 7), date(2026, 10, 19)]


def test_a_later_period_leaves_out_older_activity(app):
    org = _demo(app)
    content, _ = barometer_mail.digest(org, "2027-Q1", "http://tracker.test")
    assert content.finished == []
    assert [m.day for m in content.started] == [date(2026, 10, 19)]


def test_milestones_are_the_next_planned_ends_in_order(app):
    org = _demo(app)
    milestones = barometer_mail.next_milestones(org)
    assert 1 <= len(milestones) <= 3
    days = [m.day for m in milestones]
    assert days == sorted(days)
    assert all("Role cards" not in m.title for m in milestones)  # done: not a milestone


def test_the_text_email_shows_the_sections_in_french(app):
    org = _demo(app)
    content, _ = barometer_mail.digest(org, "2026-Q3", "http://tracker.test")
    from tracker.adapters.email.barometer import render

    _, text, html = render(content, "fr")
    assert "Initiatives terminées (depuis le 2026-04-01)" in text
    assert "Prochains jalons" in html
