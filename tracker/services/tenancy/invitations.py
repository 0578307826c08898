"""Invitations: how people join an organization. A lead invites an email with a role; the
person gets a secret link by email and becomes a member when they accept it, signed in with
that email or by choosing a password for a new account.

Inviting never looks the email up among the accounts, so the answer and its timing are the
same whether or not the person has one (no account enumeration). Only the SHA-256 digest of
the link's secret is stored; a new invitation for the same email replaces the pending one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.adapters.email import invitation as invitation_email
from tracker.domain.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import Invitation, Membership, Organization, User
from tracker.models.base import utcnow
from tracker.services.audit import audit
from tracker.services.follow import outbox
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy import accounts
from tracker.services.unit_of_work import transaction

DEFAULT_DAYS = 14
#: Why a link no longer works, by the invitation's state.
GONE_REASONS = {
    "accepted": _l("This invitation has already been accepted."),
    "cancelled": _l("This invitation was cancelled; ask for a new one."),
    "expired": _l("This invitation has expired; ask for a new one."),
}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invite(org: Organization, inviter: User, email: str, role: str,
           config: Mapping[str, Any]) -> Invitation:
    """Invite `email` into the organization with `role`, and queue the email with its link.

    A pending invitation of the same email is cancelled (a resend gives a new link); a
    current member is a 409 (leads see the members anyway). `config` gives the link's base
    (`TRACKER_BASE_URL`) and how many days it works (`TRACKER_INVITATION_DAYS`)."""
    email = accounts.normalize_email(email)
    if _member_by_email(org, email):
        raise Conflict(_("%(email)s is already a member.", email=email),
                       errors={"email": [_("Already a member.")]})
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    days = int(config.get("TRACKER_INVITATION_DAYS") or DEFAULT_DAYS)
    with transaction() as session:
        for pending in _pending(org, email):
            pending.cancelled_at = now
        invitation = Invitation(org_id=org.id, email=email, role=role, invited_by_id=inviter.id,
                                digest=_digest(secret), created_at=now,
                                expires_at=now + timedelta(days=days))
        session.add(invitation)
        session.flush()
        audit(org, inviter, "invitation", invitation.id, None, "invite",
              {"email": email, "role": role})
        _queue_email(org, inviter, invitation, f"{config['TRACKER_BASE_URL']}/invitations/{secret}")
    return invitation


def _queue_email(org: Organization, inviter: User, invitation: Invitation, link: str) -> None:
    """The invitation email, in the organization's language, in the caller's transaction."""
    with force_locale(org.locale or "en"):
        text, html = invitation_email.render(org.name, inviter.name or inviter.email,
                                             invitation.role, link, invitation.expires_at)
        subject = _("Invitation to %(org)s", org=org.name)
    outbox.enqueue(org.id, [outbox.Email(f"invitation:{invitation.id}", invitation.email,
                                         subject, text, html)])


def list_pending(org: Organization, page: int, per_page: int) -> Page[Invitation]:
    """The organization's pending invitations, newest first."""
    stmt = (select(Invitation).where(Invitation.org_id == org.id, *_is_pending())
            .order_by(Invitation.id.desc()))
    return paginate(stmt, page, per_page)


def resend(org: Organization, actor: User, invitation_id: int,
           config: Mapping[str, Any]) -> Invitation:
    """Send a pending invitation again: a new invitation of the same email and role, with a
    new link and a new expiry, replaces it (the old link stops working)."""
    pending = _require_pending(org, invitation_id)
    return invite(org, actor, pending.email, pending.role, config)


def cancel(org: Organization, actor: User, invitation_id: int) -> None:
    """Cancel a pending invitation: its link stops working at once."""
    invitation = _require_pending(org, invitation_id)
    with transaction():
        invitation.cancelled_at = utcnow()
        audit(org, actor, "invitation", invitation.id, None, "uninvite",
              {"email": invitation.email, "role": invitation.role})


def _require_pending(org: Organization, invitation_id: int) -> Invitation:
    """The organization's pending invitation of this id; 404 otherwise."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.org_id != org.id or _state(invitation) != "pending":
        raise NotFound(_("No such pending invitation."))
    return invitation


def find(secret: str) -> Invitation | None:
    """The invitation of this link's secret, whatever its state."""
    return db.session.scalar(select(Invitation).where(Invitation.digest == _digest(secret)))


def usable(secret: str) -> Invitation:
    """The pending invitation of this link: 404 for an unknown link, 410 for a link that
    was used, cancelled or has expired (each said plainly)."""
    invitation = find(secret)
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."))
    state = _state(invitation)
    if state != "pending":
        raise Gone(str(GONE_REASONS[state]))
    return invitation


def accept(secret: str, user: User | None, password: str | None = None,
           name: str = "") -> Membership:
    """Accept the invitation of this link and join its organization with its role.

    A signed-in `user` must have the invited email (else 403). Signed out, the person
    chooses a password and gets an account with the invited email; if an account with that
    email exists already, they must sign in instead (409)."""
    invitation = usable(secret)
    if user is None:
        user = _new_account(invitation, password, name)
    elif accounts.normalize_email(user.email) != invitation.email:
        raise Forbidden(_("This invitation is for another email address; sign in with "
                          "that address to accept it."))
    with transaction() as session:
        invitation.accepted_at = utcnow()
        membership = _membership(invitation.org_id, user.id)
        if membership is None:
            membership = Membership(org_id=invitation.org_id, user_id=user.id,
                                    role=invitation.role)
            session.add(membership)
        audit(invitation.organization, user, "invitation", invitation.id, None, "join",
              {"email": invitation.email, "role": membership.role})
    return membership


def _new_account(invitation: Invitation, password: str | None, name: str) -> User:
    """The account of a person accepting while signed out (the password rule is
    `create_user`'s)."""
    if accounts.find_user(invitation.email) is not None:
        raise Conflict(_("You already have an account: sign in to accept the invitation."),
                       errors={"password": [_("Sign in instead.")]})
    if not password:
        raise InvalidInput(_("Choose a password to create your account."),
                           errors={"password": [_("Required.")]})
    return accounts.create_user(invitation.email, password, name=name,
                                locale=invitation.organization.locale or "en")


def _state(invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.cancelled_at is not None:
        return "cancelled"
    return "expired" if invitation.expires_at <= utcnow() else "pending"


def _is_pending() -> tuple[Any, ...]:
    return (Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None),
            Invitation.expires_at > utcnow())


def _pending(org: Organization, email: str) -> list[Invitation]:
    return list(db.session.scalars(select(Invitation).where(
        Invitation.org_id == org.id, Invitation.email == email, *_is_pending())))


def _member_by_email(org: Organization, email: str) -> bool:
    return db.session.scalar(select(Membership.id).join(User).where(
        Membership.org_id == org.id, User.email == email)) is not None


def _membership(org_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.org_id == org_id,
                                                      Membership.user_id == user_id))
