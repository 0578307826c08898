"""Sending the barometer email: computed, charted and rendered once per organization and
period, queued in the outbox for every recipient (never twice for the same period)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from tracker.adapters.charts import png as charts
from tracker.adapters.email.barometer import (
    RADAR_CID,
    TREND_CID,
    AxisLine,
    Digest,
    KpiLine,
    Milestone,
    Move,
    render,
)
from tracker.domain.errors import TrackerError
from tracker.extensions import db
from tracker.models import Initiative, Organization, User
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxAsset, OutboxMessage
from tracker.models.schedules import Schedule
from tracker.services.follow import barometer, kpis, outbox
from tracker.services.plan import roadmap
from tracker.services.unit_of_work import transaction

MOVES = 3
MILESTONES = 3


@dataclass(frozen=True)
class SendResult:
    """What a send did: the period, who was queued, who already had it, and the English
    rendering (printed by `--dry-run`)."""

    period: str
    queued: list[str]
    already_sent: list[str]
    subject: str
    text: str


def quarter(moment: datetime, timezone: str) -> str:
    """The quarter of `moment` in the organization's time zone, e.g. `2026-Q4`.

    >>> from datetime import UTC
    >>> quarter(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "Europe/Paris")
    '2027-Q1'
    """
    local = moment.astimezone(ZoneInfo(timezone or "UTC"))
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def dedupe_key(org_id: int, period: str, recipient: str) -> str:
    """The outbox key of one barometer email: one per organization, period and recipient."""
    return f"barometer:{org_id}:{period}:{recipient.lower()}"


def schedule_recipients(org: Organization) -> list[str]:
    """The recipients of the organization's barometer schedules, in order, once each."""
    lists = db.session.scalars(select(Schedule.recipients).where(
        Schedule.org_id == org.id, Schedule.kind == "barometer").order_by(Schedule.id))
    return list(dict.fromkeys(r for rows in lists for r in rows))


def previous_quarter_start(period: str) -> date:
    """The first day of the quarter before `period`: what the email reports on starts there.

    >>> previous_quarter_start("2027-Q1"), previous_quarter_start("2026-Q3")
    (datetime.date(2026, 10, 1), datetime.date(2026, 4, 1))
    """
    year, quarter_number = int(period[:4]), int(period[-1])
    index = year * 4 + quarter_number - 2
    return date(index // 4, (index % 4) * 3 + 1, 1)


def initiative_activity(org: Organization, since: date) -> tuple[list[Milestone],
                                                                 list[Milestone]]:
    """Initiatives finished, and those started, on or after `since`, in one query."""
    rows = db.session.execute(select(Initiative.title, Initiative.actual_start,
                                     Initiative.actual_end).where(
        Initiative.org_id == org.id,
        or_(Initiative.actual_start >= since, Initiative.actual_end >= since))).all()
    finished = sorted((Milestone(r.title, r.actual_end) for r in rows
                       if r.actual_end and r.actual_end >= since), key=lambda m: (m.day, m.title))
    started = sorted((Milestone(r.title, r.actual_start) for r in rows
                      if r.actual_start and r.actual_start >= since),
                     key=lambda m: (m.day, m.title))
    return finished, started


def next_milestones(org: Organization, count: int = MILESTONES) -> list[Milestone]:
    """The next planned ends of the roadmap (initiatives not done yet, and phases), from
    today; none when the roadmap cannot be planned (e.g. a duration is missing)."""
    try:
        plan = roadmap.get_roadmap(org, roadmap.PlanParams())
    except TrackerError:
        return []
    done = {i.id for i in db.session.scalars(select(Initiative).where(
        Initiative.org_id == org.id, Initiative.status == "done"))}
    ahead = [Milestone(e.title, e.end) for e in plan.initiatives
             if e.end >= plan.start and e.initiative_id not in done]
    ahead += [Milestone(p.name, p.end) for p in plan.phases if p.end >= plan.start]
    return sorted(ahead, key=lambda m: (m.day, m.title))[:count]


def digest(org: Organization, period: str, base_url: str) -> tuple[Digest, Any]:
    """The numbers of the email, and the loaded series (for the charts)."""
    series = barometer.load_series(org)
    off_target = [KpiLine(k.name, k.unit, k.current, k.target, k.gap)
                  for k in kpis.kpis_of(org) if k.on_target is False]
    url = f"{base_url}/orgs/{org.id}"
    since = previous_quarter_start(period)
    finished, started = initiative_activity(org, since)
    roadmap_view: dict[str, Any] = {"since": since, "finished": finished, "started": started,
                                    "milestones": next_milestones(org)}
    pts = barometer.points(series) if series else []
    if not pts:
        return Digest(org.name, period, url, kpis_off_target=off_target,
                      **roadmap_view), series
    last = pts[-1]
    moves = [Move(d.code, d.name, d.score, d.delta_previous) for a in last.axes
             for d in a.dimensions if d.delta_previous is not None]
    up = sorted((m for m in moves if m.delta > 0), key=lambda m: (-m.delta, m.code))[:MOVES]
    down = sorted((m for m in moves if m.delta < 0), key=lambda m: (m.delta, m.code))[:MOVES]
    return Digest(org.name, period, url, last.title, last.overall, last.delta_previous,
                  last.delta_first, last.progress_to_target,
                  [AxisLine(a.code, a.name, a.score, a.delta_previous, a.delta_first)
                   for a in last.axes], up, down, off_target, has_charts=True,
                  **roadmap_view), series


def _chart_assets(org: Organization, period: str, series: Any,
                  strings: Mapping[str, str]) -> list[dict[str, str]]:
    """Render the trend and radar charts unless this period's are already stored."""
    keys = {name: f"barometer:{org.id}:{period}:{name}.png" for name in ("trend", "radar")}
    stored = set(db.session.scalars(select(OutboxAsset.key).where(
        OutboxAsset.key.in_(list(keys.values())))))
    scale = (series.framework.scale_min, series.framework.scale_max)
    pts = barometer.points(series)
    if keys["trend"] not in stored:
        outbox.store_asset(keys["trend"], "trend.png", charts.trend_chart(
            [p.title for p in pts], [p.overall for p in pts], scale, strings["trend"]))
    if keys["radar"] not in stored:
        shown = [pts[0], pts[-1]] if len(pts) > 1 else pts
        outbox.store_asset(keys["radar"], "radar.png", charts.radar_chart(
            [a.name for a in pts[-1].axes],
            [(p.title, [a.score for a in p.axes]) for p in shown], scale, strings["radar"]))
    return [{"cid": TREND_CID, "asset": keys["trend"]},
            {"cid": RADAR_CID, "asset": keys["radar"]}]


def send_barometer(org: Organization, config: Mapping[str, Any],
                   recipients: Sequence[str] | None = None, period: str | None = None,
                   now: datetime | None = None, dry_run: bool = False) -> SendResult:
    """Queue the barometer email of `period` (default: the current quarter in the org's
    time zone) for `recipients` (default: those of its barometer schedules).

    Recipients who already have this period's email are skipped; charts and texts are
    rendered once (per locale) whatever the number of recipients; the outbox rows and the
    chart images are written in one transaction. `dry_run` writes nothing.
    """
    period = period or quarter(now or utcnow(), org.timezone)
    wanted = list(dict.fromkeys(r.strip() for r in (recipients if recipients is not None
                                                    else schedule_recipients(org))))
    keys = {r: dedupe_key(org.id, period, r) for r in wanted}
    done = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.in_(list(keys.values())))))
    pending = [r for r in wanted if keys[r] not in done]
    already = [r for r in wanted if keys[r] in done]
    content, series = digest(org, period, config["TRACKER_BASE_URL"])
    subject, text, _ = render(content, "en")
    if dry_run or not pending:
        return SendResult(period, [] if dry_run else pending, already, subject, text)
    locales = dict(db.session.execute(select(User.email, User.locale).where(
        User.email.in_([r.lower() for r in pending]))).all())
    renderings: dict[str, tuple[str, str, str]] = {}
    with transaction():
        attachments = (_chart_assets(org, period, series, {"trend": "Overall · Global",
                                                           "radar": "Axes"})
                       if content.has_charts else [])
        emails = []
        for recipient in pending:
            locale = locales.get(recipient.lower()) or "en"
            if locale not in renderings:
                renderings[locale] = render(content, locale)
            subject_l, text_l, html_l = renderings[locale]
            emails.append(outbox.Email(keys[recipient], recipient, subject_l, text_l, html_l,
                                       tuple(attachments)))
        outbox.enqueue(org.id, emails)
    return SendResult(period, pending, already, subject, text)
