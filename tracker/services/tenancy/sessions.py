"""Server-side web sessions: one row per signed-in browser, found by the digest of the
secret its cookie carries, ended by logging out, by a password change or reset, or by
being idle or old beyond the instance's limits."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from tracker.extensions import db
from tracker.models import User, UserSession
from tracker.models.base import utcnow
from tracker.services.tenancy.accounts import TOUCH_EVERY, digest, record_signin
from tracker.services.unit_of_work import transaction


def start_session(user: User, user_agent: str = "", ip_address: str = "") -> str:
    """A new session for `user`; returns the secret for the cookie (only its digest is
    kept)."""
    secret = secrets.token_urlsafe(32)
    with transaction() as session:
        session.add(UserSession(user_id=user.id, digest=digest(secret), last_seen_at=utcnow(),
                                user_agent=user_agent[:200], ip_address=ip_address[:45]))
    return secret


def sign_in(user: User, user_agent: str = "", ip_address: str = "") -> str:
    """A sign-in: a new session, and a `signin` event in each of the user's organizations,
    in one transaction; returns the session's secret."""
    with transaction():
        record_signin(user)
        return start_session(user, user_agent, ip_address)


def user_for_session(secret: str, config: Mapping[str, Any]) -> User | None:
    """The active user of this unrevoked session, unless it has been idle longer than
    `TRACKER_SESSION_IDLE_MINUTES` or exists longer than `TRACKER_SESSION_MAX_DAYS`;
    `last_seen_at` moves (at most once a minute)."""
    now = utcnow()
    row = db.session.scalar(select(UserSession).where(UserSession.digest == digest(secret),
                                                      UserSession.revoked_at.is_(None)))
    if (row is None or not row.user.active
            or now - row.last_seen_at > timedelta(minutes=config["TRACKER_SESSION_IDLE_MINUTES"])
            or now - row.created_at > timedelta(days=config["TRACKER_SESSION_MAX_DAYS"])):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with transaction():
            row.last_seen_at = now
    return row.user


def revoke_session(secret: str) -> None:
    """End the session with this secret (logging out); an unknown one is ignored."""
    with transaction():
        db.session.execute(update(UserSession).where(
            UserSession.digest == digest(secret), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow()))


def revoke_sessions(user: User) -> None:
    """End every session of `user` (a password change or reset), in the caller's
    transaction. API tokens are separate credentials, listed and revoked on their own:
    they stay."""
    db.session.execute(update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow()))
