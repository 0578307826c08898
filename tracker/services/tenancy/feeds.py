"""Calendar feeds: a user's revocable subscription to one organization's roadmap.

Calendar applications fetch a URL and send no `Authorization` header, so the URL carries a
random secret (`?feed=`); the database keeps only its SHA-256 digest, as for API tokens and
sessions. A feed reads what its user may read: nothing once revoked, nothing once the user
left the organization or was deactivated.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select

from tracker.domain.errors import NotFound
from tracker.extensions import db
from tracker.models import CalendarFeed, Organization, User
from tracker.models.base import utcnow
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import org_for
from tracker.services.tenancy.accounts import TOUCH_EVERY, digest, revoke_owned
from tracker.services.unit_of_work import transaction

FEED_PREFIX = "cal_"


def create_feed(user: User, org_id: int, name: str = "") -> tuple[CalendarFeed, str]:
    """A new feed of the organization's roadmap for `user` (any member, viewers included):
    the record, and the secret shown only this once. NotFound for an outsider."""
    org = org_for(user, org_id)
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    with transaction() as session:
        feed = CalendarFeed(user_id=user.id, org_id=org.id, name=name.strip() or _("Roadmap"),
                            digest=digest(secret))
        session.add(feed)
    return feed, secret


def _feeds_of(user: User, org_id: int | None) -> Select[Any]:
    query = select(CalendarFeed).where(CalendarFeed.user_id == user.id)
    if org_id is not None:
        query = query.where(CalendarFeed.org_id == org_id)
    return query.order_by(CalendarFeed.id.desc())


def feeds_page(user: User, page: int, per_page: int,
               org_id: int | None = None) -> Page[CalendarFeed]:
    """One page of the user's feeds (of one organization when `org_id`), newest first;
    their secrets are never stored, so never shown again."""
    return paginate(_feeds_of(user, org_id), page, per_page)


def revoke_feed(user: User, feed_id: int) -> CalendarFeed:
    """Revoke one of the user's feeds; calendars stop receiving the roadmap at once."""
    return revoke_owned(CalendarFeed, user, feed_id, _("No such calendar feed."))


def org_for_feed(secret: str, org_id: int) -> Organization | None:
    """The organization a feed's secret opens, checked as its user would be: None (the API
    answers 401) for an unknown or revoked secret or an inactive user, NotFound when the
    feed is another organization's or its user is no longer a member. Its `last_used_at`
    moves (at most once a minute)."""
    feed = db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.digest == digest(secret), CalendarFeed.revoked_at.is_(None)))
    user = db.session.get(User, feed.user_id) if feed is not None else None
    if feed is None or user is None or not user.active:
        return None
    if feed.org_id != org_id:
        raise NotFound(f"Organization {org_id} not found.")
    org = org_for(user, org_id)
    now = utcnow()
    if feed.last_used_at is None or now - feed.last_used_at >= TOUCH_EVERY:
        with transaction():
            feed.last_used_at = now
    return org
