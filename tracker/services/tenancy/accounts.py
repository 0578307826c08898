"""Users, the password rule, passwords (argon2) and API tokens (stored as SHA-256 digests,
revocable, expiring)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from tracker.domain.constants import LOCALES
from tracker.domain.errors import Conflict, InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import ApiToken, CalendarFeed, Membership, User
from tracker.models.base import utcnow
from tracker.services.audit import audit
from tracker.services.pagination import Page, paginate
from tracker.services.unit_of_work import transaction

_hasher = PasswordHasher()
TOKEN_PREFIX = "trk_"
MIN_PASSWORD_LENGTH = 12
#: A new token's lifetime when nothing else is asked (`TRACKER_TOKEN_DAYS` sets the
#: instance's default, which is also the most a caller may ask).
TOKEN_DAYS = 90
#: `last_used_at` and a session's `last_seen_at` are written at most this often, not on
#: every request.
TOUCH_EVERY = timedelta(minutes=1)

#: A credential a user revokes: an API token or a calendar feed.
Credential = TypeVar("Credential", ApiToken, CalendarFeed)


def digest(secret: str) -> str:
    """The SHA-256 hex digest stored in place of a token's or a session's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively; they are stored lower-cased and trimmed."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """The user with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


@cache
def _common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 most common passwords, lower-cased."""
    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def check_password(password: str, email: str, field: str = "password") -> None:
    """Refuse a password being chosen (not one used to sign in): shorter than 12
    characters, among the common passwords, or the email or its local part; the 422
    names `field`."""
    email = normalize_email(email)
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        problem = _("At least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
    elif lowered in _common_passwords():
        problem = _("This password is among the most common ones; choose another.")
    elif lowered in {email, email.partition("@")[0]}:
        problem = _("The password must not be your email address.")
    else:
        return
    raise InvalidInput(_("This password cannot be used."), errors={field: [problem]})


def hash_password(password: str) -> str:
    """The argon2 hash stored for a password."""
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether `password` is the user's."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(email: str, password: str, *, name: str = "", admin: bool = False,
                locale: str = "en") -> User:
    """Create a user; the email must be new and the password pass `check_password`."""
    check_password(password, email)
    if find_user(email) is not None:
        raise Conflict(_("A user with email %(email)s already exists.", email=email),
                       errors={"email": [_("Already registered.")]})
    with transaction() as session:
        user = User(email=normalize_email(email), name=name, is_admin=admin, locale=locale,
                    password_hash=hash_password(password))
        session.add(user)
    return user


def ensure_user(email: str, password: str, *, name: str = "", admin: bool = False) -> User:
    """The user with this email, created with this password when missing (for seeds)."""
    return find_user(email) or create_user(email, password, name=name, admin=admin)


def authenticate(email: str, password: str) -> User | None:
    """The active user whose email and password match, else None (no hint which failed).

    Passwords chosen before the current rule still sign in."""
    user = find_user(email)
    if user is None or not user.active:
        _hasher.hash(password)  # same cost whether or not the account exists
        return None
    return user if verify_password(user, password) else None


def record_signin(user: User) -> None:
    """Add a `signin` event to the audit log of every organization the user belongs to,
    in the caller's transaction."""
    for membership in db.session.scalars(select(Membership).where(
            Membership.user_id == user.id)):
        audit(membership.organization, user, "user", user.id, None, "signin", {})


def token_days(requested: int | None, max_days: int) -> int:
    """A new token's lifetime: what was asked, at most the instance's `max_days`.

    >>> token_days(None, 90), token_days(7, 90), token_days(400, 90)
    (90, 7, 90)
    """
    return min(requested or max_days, max_days)


def create_token(user: User, name: str = "", days: int = TOKEN_DAYS) -> tuple[ApiToken, str]:
    """A new API token for `user`, valid `days`: the record, and the secret shown only
    this once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction() as session:
        token = ApiToken(user_id=user.id, name=name, digest=digest(secret),
                         expires_at=utcnow() + timedelta(days=days))
        session.add(token)
    return token, secret


def exchange_password(email: str, password: str, name: str,
                      days: int) -> tuple[ApiToken, str] | None:
    """A new token for the owner of these credentials (a sign-in, audited), else None."""
    user = authenticate(email, password)
    if user is None:
        return None
    with transaction():
        record_signin(user)
        return create_token(user, name, days)


def user_for_token(secret: str) -> User | None:
    """The active user owning this unrevoked, unexpired token, else None; the token's
    `last_used_at` moves (at most once a minute)."""
    now = utcnow()
    token = db.session.scalar(select(ApiToken).where(
        ApiToken.digest == digest(secret), ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > now))
    if token is None or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        with transaction():
            token.last_used_at = now
    return token.user


def _tokens_of(user: User) -> Select[Any]:
    return select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())


def list_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (secrets are never stored, so never shown)."""
    return list(db.session.scalars(_tokens_of(user)))


def tokens_page(user: User, page: int, per_page: int) -> Page[ApiToken]:
    """One page of the user's tokens, newest first."""
    return paginate(_tokens_of(user), page, per_page)


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; it stops working at once."""
    return revoke_owned(ApiToken, user, token_id, _("No such token."))


def revoke_owned(model: type[Credential], user: User, credential_id: int,
                 missing: str) -> Credential:
    """Revoke one of the user's credentials of `model` (a token, a calendar feed), kept
    for the record with its revocation time; NotFound(`missing`) when it is not theirs."""
    credential = db.session.get(model, credential_id)
    if credential is None or credential.user_id != user.id:
        raise NotFound(missing)
    with transaction():
        credential.revoked_at = credential.revoked_at or utcnow()
    return credential


def count_users() -> int:
    """How many users exist (used by the demo seed and health checks)."""
    return db.session.scalar(select(func.count(User.id))) or 0


def set_locale(user: User, locale: str) -> User:
    """Remember the user's interface language (`en` or `fr`) for pages and emails."""
    if locale not in LOCALES:
        raise InvalidInput(_("Unsupported language."), errors={"locale": [
            _("Choose one of: %(choices)s.", choices=", ".join(LOCALES))]})
    with transaction():
        user.locale = locale
    return user


def update_profile(user: User, name: str, locale: str) -> User:
    """Change the name people see and the interface language, together."""
    with transaction():
        set_locale(user, locale)
        user.name = name.strip()[:200]
    return user
