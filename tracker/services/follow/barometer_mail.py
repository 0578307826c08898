"""Sending the barometer email: computed and rendered once per organization and period,
queued in the outbox for every recipient (never twice for the same period unless resent).

Its charts are drawn from the same barometer points as its text and stored once per
organization and content: an image's key is a hash of the values it is drawn from, so the
same data reuses the image and new data (a pulse closed since) gets new ones.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
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
    GapLine,
    KpiLine,
    Milestone,
    Move,
    ObjectiveLine,
    StallLine,
    render,
)
from tracker.domain.constants import LOCALES
from tracker.domain.errors import TrackerError
from tracker.extensions import db
from tracker.models import Initiative, Organization, User
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxAsset, OutboxMessage
from tracker.models.schedules import Schedule
from tracker.services.follow import alignment, barometer, kpis, objectives, outbox
from tracker.services.frame import frameworks
from tracker.services.plan import forecast, roadmap
from tracker.services.tenancy import webhooks
from tracker.services.unit_of_work import transaction

MOVES = 3
MILESTONES = 3
GAPS = 3
STALLS = 5


@dataclass(frozen=True)
class SendResult:
    """What a send did: the period, who was queued, who was skipped (they have it already,
    or it is still waiting for them), and the English rendering (printed by `--dry-run`)."""

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


@dataclass(frozen=True)
class Chart:
    """One chart of the email as the plain values it is drawn from: its name (`trend` or
    `radar`), its Content-ID, the labels of its points (assessments or axes), its series
    (a label and values each), the framework's scale and its title."""

    name: str
    cid: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    scale: tuple[float, float]
    title: str


def dedupe_key(org_id: int, period: str, recipient: str, resend: int = 0) -> str:
    """The outbox key of one barometer email: one per organization, period and recipient,
    and one more for each time the period was resent to that recipient.

    >>> dedupe_key(7, "2026-Q4", "Ann@x.org"), dedupe_key(7, "2026-Q4", "ann@x.org", 2)
    ('barometer:7:2026-Q4:ann@x.org', 'barometer:7:2026-Q4:ann@x.org#2')
    """
    key = f"{period_prefix(org_id, period)}{recipient.lower()}"
    return f"{key}#{resend}" if resend else key


def period_prefix(org_id: int, period: str) -> str:
    """What every barometer key of an organization and period starts with."""
    return f"barometer:{org_id}:{period}:"


def dashboard_url(base_url: str, org_id: int) -> str:
    """The barometer page of the organization, the email's link (a signed-out reader is
    sent to sign in first)."""
    return f"{base_url.rstrip('/')}/orgs/{org_id}/barometer"


def asset_key(org_id: int, chart: Chart, locale: str = "en") -> str:
    """The stored image of a chart, per organization, content and language (its numbers
    are drawn in it): a hash of every value it is drawn from, so equal data shares one
    image and changed data, or another language, never reuses an old one."""
    content = json.dumps({**asdict(chart), "locale": locale}, sort_keys=True).encode()
    return f"barometer:{org_id}:{chart.name}:{hashlib.sha256(content).hexdigest()[:32]}.png"


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


def charts_of(pts: Sequence[barometer.BarometerPoint], scale: tuple[float, float],
              names: frameworks.DisplayNames | None = None) -> list[Chart]:
    """The email's charts, from the points its text reports: the overall score of every
    closed assessment in time order with its 95 % margin, and the axis scores of the first
    and the latest (the axes named by `names`, the reader's language, where given)."""
    shown = [pts[0], pts[-1]] if len(pts) > 1 else list(pts)
    return [Chart("trend", TREND_CID, tuple(p.title for p in pts),
                  (("overall", tuple(p.overall for p in pts)),
                   ("margin", tuple(p.moves.margin for p in pts))), scale, "Overall · Global"),
            Chart("radar", RADAR_CID,
                  tuple(names.axis(a.code, a.name) if names else a.name
                        for a in pts[-1].axes),
                  tuple((p.title, tuple(a.score for a in p.axes)) for p in shown), scale,
                  "Axes")]


def digest(org: Organization, period: str, base_url: str,
           locale: str | None = None) -> tuple[Digest, list[Chart]]:
    """The numbers of the email, and its charts drawn from the same points (none before
    the first closed assessment); the grid's names in `locale` where translated."""
    series = barometer.load_series(org)
    off_target = [KpiLine(k.name, k.unit, k.current, k.target, k.gap, family)
                  for family, group in kpis.by_family(kpis.kpis_off_target(org))
                  for k in group]
    url = dashboard_url(base_url, org.id)
    since = previous_quarter_start(period)
    finished, started = initiative_activity(org, since)
    roadmap_view: dict[str, Any] = {
        "since": since, "finished": finished, "started": started,
        "milestones": next_milestones(org),
        "objectives": [ObjectiveLine(o.title, o.status, o.kpis_on_target, o.kpis_total,
                                     o.horizon) for o in objectives.objectives_of(org)],
        "stalls": [StallLine(s.initiative.title, s.weeks_in_progress, s.limit_weeks)
                   for s in forecast.stalled_initiatives(org, date.today())[:STALLS]]}
    pts = barometer.points(series) if series else []
    if series is None or not pts:
        return Digest(org.name, period, url, kpis_off_target=off_target,
                      **roadmap_view), []
    last = pts[-1]
    names = frameworks.display_names(series.framework, locale)
    moves = [Move(d.code, names.dimension(d.code, d.name), d.score, d.delta_previous)
             for a in last.axes for d in a.dimensions if d.delta_previous is not None]
    up = sorted((m for m in moves if m.delta > 0), key=lambda m: (-m.delta, m.code))[:MOVES]
    down = sorted((m for m in moves if m.delta < 0), key=lambda m: (m.delta, m.code))[:MOVES]
    return Digest(org.name, period, url, last.title, last.overall, last.delta_previous,
                  last.delta_first, last.progress_to_target,
                  [AxisLine(a.code, names.axis(a.code, a.name), a.score, a.delta_previous,
                            a.delta_first, a.moves.margin, a.moves.delta_previous_margin,
                            a.moves.delta_previous_significant) for a in last.axes],
                  up, down, off_target,
                  has_charts=True, overall_margin=last.moves.margin,
                  delta_previous_margin=last.moves.delta_previous_margin,
                  delta_previous_significant=last.moves.delta_previous_significant,
                  alignment=alignment_lines(org, series.framework.id, names),
                  **roadmap_view), charts_of(
                      pts, (series.framework.scale_min, series.framework.scale_max), names)


def alignment_lines(org: Organization, framework_id: int,
                    names: frameworks.DisplayNames, count: int = GAPS) -> list[GapLine]:
    """The dimensions whose leaders–teams gap closes or widens (a known change per quarter
    of at least 0.005 on a positive gap), the largest change first."""
    trend = alignment.alignment(org, framework_id)
    moving = [d for d in trend.dimensions
              if d.change_per_quarter is not None and abs(d.change_per_quarter) >= 0.005
              and (d.latest_gap or 0) > 0]
    moving.sort(key=lambda d: (-abs(d.change_per_quarter or 0.0), d.code))
    return [GapLine(names.dimension(d.code, d.name), d.latest_gap or 0.0,
                    d.change_per_quarter or 0.0, tuple(p.gap for p in d.points),
                    tuple(trend.initiative_titles[i] for i in d.initiative_ids))
            for d in moving[:count]]


def _draw(chart: Chart, locale: str) -> bytes:
    """The chart's PNG image, its numbers in `locale`."""
    if chart.name == "trend":
        return charts.trend_chart(chart.labels, chart.series[0][1], chart.scale, chart.title,
                                  locale, margins=chart.series[1][1])
    return charts.radar_chart(chart.labels, chart.series, chart.scale, chart.title)


def _chart_assets(org: Organization, shown: Sequence[Chart],
                  locale: str) -> list[dict[str, str]]:
    """The `{cid, asset}` parts of the email: each chart drawn (numbers in `locale`) and
    stored unless an image of the same content is stored already."""
    keys = {chart.name: asset_key(org.id, chart, locale) for chart in shown}
    stored = set(db.session.scalars(select(OutboxAsset.key).where(
        OutboxAsset.key.in_(list(keys.values())))))
    for chart in shown:
        if keys[chart.name] not in stored:
            outbox.store_asset(keys[chart.name], f"{chart.name}.png", _draw(chart, locale))
    return [{"cid": chart.cid, "asset": keys[chart.name]} for chart in shown]


def _wanted(org: Organization, recipients: Sequence[str] | None) -> list[str]:
    """The recipients asked for (default: the barometer schedules'), trimmed, once each."""
    chosen = recipients if recipients is not None else schedule_recipients(org)
    return list(dict.fromkeys(r.strip() for r in chosen))


def _period_statuses(org: Organization, period: str) -> dict[str, list[str]]:
    """The status of every barometer message of the period, by recipient (lower case)."""
    rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.status).where(
        OutboxMessage.org_id == org.id,
        OutboxMessage.dedupe_key.startswith(period_prefix(org.id, period), autoescape=True)))
    statuses: dict[str, list[str]] = {}
    for recipient, status in rows:
        statuses.setdefault(recipient.lower(), []).append(status)
    return statuses


def send_barometer(org: Organization, config: Mapping[str, Any],
                   recipients: Sequence[str] | None = None, period: str | None = None,
                   now: datetime | None = None, dry_run: bool = False) -> SendResult:
    """Queue the barometer email of `period` (default: the current quarter in the org's
    time zone) for `recipients` (default: those of its barometer schedules).

    Recipients who already have this period's email are skipped; charts and texts are
    rendered once (per locale) whatever the number of recipients; the outbox rows and the
    chart images are written in one transaction. `dry_run` writes nothing.
    """
    period = period or quarter(now or utcnow(), org.zone.key)
    wanted = _wanted(org, recipients)
    keys = {r: dedupe_key(org.id, period, r) for r in wanted}
    done = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.in_(list(keys.values())))))
    return _queue(org, config, period, {r: k for r, k in keys.items() if k not in done},
                  [r for r in wanted if keys[r] in done], dry_run)


def resend_barometer(org: Organization, config: Mapping[str, Any], recipients: Sequence[str],
                     period: str, to: str) -> SendResult:
    """Queue the barometer email of `period` again, with today's data: to every recipient
    (`all`), or only to those it was never sent to (`new`: added since, or whose message
    failed). Never to a recipient whose message of the period is still pending.

    A recipient who had messages of the period gets a new key (the period's key with its
    count of earlier messages), so a resend is never mistaken for the period's send; a
    recipient who had none gets the period's own key, so a later run of the period sends
    them nothing more.
    """
    statuses = _period_statuses(org, period)
    keys: dict[str, str] = {}
    skipped: list[str] = []
    for recipient in _wanted(org, recipients):
        earlier = statuses.get(recipient.lower(), [])
        if "pending" in earlier or (to == "new" and "sent" in earlier):
            skipped.append(recipient)
        else:
            keys[recipient] = dedupe_key(org.id, period, recipient, len(earlier))
    return _queue(org, config, period, keys, skipped)


def _queue(org: Organization, config: Mapping[str, Any], period: str, keys: Mapping[str, str],
           skipped: list[str], dry_run: bool = False) -> SendResult:
    """Render the period's email once per locale (a recipient's own where known, else the
    organization's) with its charts, names and words in that locale, and queue it under
    `keys` (recipient → dedupe key), in one transaction; `dry_run` only renders."""
    base_url = config["TRACKER_BASE_URL"]
    org_locale = org.locale if org.locale in LOCALES else "en"
    content, shown = digest(org, period, base_url, org_locale)
    first = render(content, org_locale)
    subject, text, _ = first
    pending = list(keys)
    if dry_run or not pending:
        return SendResult(period, [] if dry_run else pending, skipped, subject, text)
    locales = dict(db.session.execute(select(User.email, User.locale).where(
        User.email.in_([r.lower() for r in pending]))).all())
    renderings: dict[str, tuple[str, str, str, tuple[dict[str, str], ...]]] = {}
    with transaction():
        emails = []
        for recipient in pending:
            locale = locales.get(recipient.lower()) or org_locale
            if locale not in renderings:  # the organization's rendering is the one above
                localized, charts_l = ((content, shown) if locale == org_locale
                                       else digest(org, period, base_url, locale))
                renderings[locale] = (*(first if locale == org_locale
                                        else render(localized, locale)),
                                      tuple(_chart_assets(org, charts_l, locale)))
            subject_l, text_l, html_l, attachments = renderings[locale]
            emails.append(outbox.Email(keys[recipient], recipient, subject_l, text_l, html_l,
                                       attachments))
        outbox.enqueue(org.id, emails)
        webhooks.emit(org.id, "barometer.sent", {"period": period, "recipients": len(pending)},
                      key=keys[pending[0]])
    return SendResult(period, pending, skipped, subject, text)
