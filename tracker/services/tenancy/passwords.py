"""Changing a password, and resetting a forgotten one through an emailed link.

The reset link is signed with the instance's secret key (itsdangerous), expires after
`TRACKER_PASSWORD_RESET_MINUTES`, and carries a fingerprint of the password hash it was made
for: once the password changes (by this link or otherwise) the link no longer works. Both
ways end every web session of the user; API tokens stay (they are listed and revoked on
their own).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from tracker.adapters.email import account as account_email
from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import User
from tracker.models.base import utcnow
from tracker.services.follow import outbox
from tracker.services.tenancy.accounts import (
    check_password,
    find_user,
    hash_password,
    verify_password,
)
from tracker.services.tenancy.sessions import revoke_sessions
from tracker.services.unit_of_work import transaction

SALT = "tracker.password-reset"
#: One reset email per account and password in this many seconds, however often it is asked.
RESEND_AFTER = 300


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; every session ends."""
    if not verify_password(user, current):
        raise InvalidInput(_("The current password is wrong."),
                           errors={"current_password": [_("Wrong password.")]})
    set_password(user, new, "new_password")


def set_password(user: User, password: str, field: str = "password") -> None:
    """Set a password that passes the rule (the 422 names `field`); every session ends."""
    check_password(password, user.email, field)
    with transaction():
        user.password_hash = hash_password(password)
        revoke_sessions(user)


def _fingerprint(user: User) -> str:
    """What ties a link to the password hash it was made for."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _serializer(config: Mapping[str, Any]) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config["SECRET_KEY"], salt=SALT)


def request_password_reset(email: str, config: Mapping[str, Any]) -> None:
    """Queue a reset link for the active account with this email, if there is one; the
    caller answers the same either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    fingerprint = _fingerprint(user)
    token = _serializer(config).dumps({"user": user.id, "hash": fingerprint})
    minutes = config["TRACKER_PASSWORD_RESET_MINUTES"]
    window = int(utcnow().timestamp()) // RESEND_AFTER
    with transaction(), force_locale(user.locale or "en"):
        text, html = account_email.render_password_reset(
            user.name or user.email, f"{config['TRACKER_BASE_URL']}/password-reset/{token}",
            minutes)
        outbox.enqueue(None, [outbox.Email(
            f"password-reset:{user.id}:{fingerprint}:{window}", user.email,
            _("Reset your tracker password"), text, html)])


def reset_password(token: str, password: str, config: Mapping[str, Any]) -> User:
    """Set the password of the link's user; a link expired, altered or already used is a
    422 on `token`."""
    max_age = config["TRACKER_PASSWORD_RESET_MINUTES"] * 60
    try:
        claims = _serializer(config).loads(token, max_age=max_age)
    except SignatureExpired:
        raise _bad_link(_("This link has expired; ask for a new one.")) from None
    except BadSignature:
        raise _bad_link(_("This link is not valid; ask for a new one.")) from None
    user = db.session.get(User, claims.get("user")) if isinstance(claims, dict) else None
    if user is None or not user.active or claims.get("hash") != _fingerprint(user):
        raise _bad_link(_("This link was already used; ask for a new one."))
    set_password(user, password)
    return user


def _bad_link(problem: str) -> InvalidInput:
    return InvalidInput(problem, errors={"token": [problem]})
