"""Users, passwords (argon2) and API tokens (stored as SHA-256 digests, revocable)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from tracker.domain.constants import LOCALES
from tracker.domain.errors import Conflict, InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import ApiToken, User
from tracker.models.base import utcnow
from tracker.services.unit_of_work import transaction

_hasher = PasswordHasher()
TOKEN_PREFIX = "trk_"
MIN_PASSWORD_LENGTH = 8


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively; they are stored lower-cased and trimmed."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """The user with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(email: str, password: str, *, name: str = "", admin: bool = False,
                locale: str = "en") -> User:
    """Create a user; the email must be new and the password at least 8 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("The password is too short.",
                           errors={"password": [f"At least {MIN_PASSWORD_LENGTH} characters."]})
    if find_user(email) is not None:
        raise Conflict(f"A user with email {email} already exists.",
                       errors={"email": ["Already registered."]})
    with transaction() as session:
        user = User(email=normalize_email(email), name=name, is_admin=admin, locale=locale,
                    password_hash=_hasher.hash(password))
        session.add(user)
    return user


def ensure_user(email: str, password: str, *, name: str = "", admin: bool = False) -> User:
    """The user with this email, created with this password when missing (for seeds)."""
    return find_user(email) or create_user(email, password, name=name, admin=admin)


def authenticate(email: str, password: str) -> User | None:
    """The active user whose email and password match, else None (no hint which failed)."""
    user = find_user(email)
    if user is None or not user.active:
        _hasher.hash(password)  # same cost whether or not the account exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for `user`: the record, and the secret shown only this once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction() as session:
        token = ApiToken(user_id=user.id, name=name, digest=_digest(secret))
        session.add(token)
    return token, secret


def user_for_token(secret: str) -> User | None:
    """The active user owning this unrevoked token, else None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == _digest(secret),
                                                     ApiToken.revoked_at.is_(None)))
    if token is None or not token.user.active:
        return None
    return token.user


def list_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (secrets are never stored, so never shown)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.id.desc())))


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; it stops working at once."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("No such token.")
    with transaction():
        token.revoked_at = token.revoked_at or utcnow()
    return token


def count_users() -> int:
    """How many users exist (used by the demo seed and health checks)."""
    return db.session.scalar(select(func.count(User.id))) or 0




def set_locale(user: User, locale: str) -> User:
    """Remember the user's interface language (`en` or `fr`) for pages and emails."""
    if locale not in LOCALES:
        raise InvalidInput("Unsupported language.", errors={"locale": [
            f"Choose one of: {', '.join(LOCALES)}."]})
    with transaction():
        user.locale = locale
    return user
