"""Single sign-on: find, link or create the user an OpenID Connect ID token names.

A known (issuer, subject) signs its user in. Otherwise the provider must vouch for the
email (`email_verified` true): an existing user with that email is linked, or a new user is
created with a password hash that can never verify (they sign in through the provider, or
set a password by the reset link)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import User
from tracker.models.accounts import UserIdentity
from tracker.models.base import utcnow
from tracker.services.tenancy.accounts import find_user, normalize_email
from tracker.services.unit_of_work import transaction

#: Not an argon2 hash (no `$argon2` prefix), so verify_password always refuses it.
UNUSABLE_PASSWORD = "!sso-only!"


def user_for_claims(claims: Mapping[str, Any]) -> User:
    """The user signing in with these verified ID-token claims (linked or created)."""
    issuer, subject = str(claims.get("iss") or ""), str(claims.get("sub") or "")
    if not issuer or not subject:
        raise InvalidInput(_("The sign-in provider sent no identity."))
    identity = db.session.scalar(select(UserIdentity).where(
        UserIdentity.issuer == issuer, UserIdentity.subject == subject))
    with transaction() as session:
        if identity is None:
            email = str(claims.get("email") or "")
            if not email or claims.get("email_verified") is not True:
                raise InvalidInput(_("The sign-in provider has not verified your email "
                                     "address; verify it there, then try again."))
            user = find_user(email)
            if user is None:
                user = User(email=normalize_email(email), name=str(claims.get("name") or ""),
                            password_hash=UNUSABLE_PASSWORD + secrets.token_hex(16))
                session.add(user)
                session.flush()
            identity = UserIdentity(user_id=user.id, issuer=issuer, subject=subject,
                                    email=normalize_email(email))
            session.add(identity)
        identity.last_login_at = utcnow()
    user = db.session.get(User, identity.user_id)
    if user is None or not user.is_active:
        raise InvalidInput(_("This account is deactivated."))
    return user
