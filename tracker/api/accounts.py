"""Your account: API tokens (exchange email and password for a Bearer token, list and revoke
yours), your password (change it, or reset a forgotten one through an emailed link), your
calendar feeds (a roadmap's iCalendar address to subscribe to, revocable)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, url_for
from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.api.access import public
from tracker.domain.errors import Forbidden
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.problems import problem
from tracker.schemas.tenancy import (
    FeedCreateSchema,
    FeedListArgsSchema,
    FeedSchema,
    NewFeedSchema,
    NewTokenSchema,
    PasswordChangeSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
    TokenCreateSchema,
    TokenRequestSchema,
    TokenSchema,
)
from tracker.security import sessions
from tracker.services.tenancy import accounts, feeds, passwords

tokens_blp = Blueprint("tokens", __name__, description="API tokens")
account_blp = Blueprint("account", __name__, description="Your password: change and reset")


def _days(data: dict[str, Any]) -> int:
    return accounts.token_days(data["expires_in_days"], current_app.config["TRACKER_TOKEN_DAYS"])


def _new_token(token: Any, secret: str) -> dict[str, Any]:
    return {"id": token.id, "name": token.name, "created_at": token.created_at,
            "expires_at": token.expires_at, "last_used_at": None, "revoked_at": None,
            "token": secret}


@tokens_blp.route("/auth/tokens")
class Tokens(MethodView):
    @public
    @tokens_blp.arguments(TokenRequestSchema)
    @tokens_blp.response(201, NewTokenSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a token from an email and password; the secret is shown only here."""
        created = accounts.exchange_password(data["email"], data["password"], data["name"],
                                             _days(data))
        if created is None:
            return problem(401, "Unauthorized", "Unknown email or wrong password.")
        return _new_token(*created)

    @tokens_blp.response(200, TokenSchema(many=True))
    def get(self) -> Any:
        """Your tokens (without their secrets); `GET /me/tokens` pages them."""
        return accounts.list_tokens(current_user)


@tokens_blp.route("/auth/tokens/<int:token_id>")
class TokenById(MethodView):
    @tokens_blp.response(204)
    def delete(self, token_id: int) -> None:
        """Revoke one of your tokens (as `DELETE /me/tokens/{token_id}`)."""
        accounts.revoke_token(current_user, token_id)


@tokens_blp.route("/me/tokens")
class MyTokens(MethodView):
    @tokens_blp.arguments(PageArgsSchema, location="query")
    @tokens_blp.response(200, page_schema(TokenSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Your tokens, newest first, with when each expires and was last used."""
        return accounts.tokens_page(current_user, args["page"], args["per_page"])

    @tokens_blp.arguments(TokenCreateSchema)
    @tokens_blp.response(201, NewTokenSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a token while signed in on the web; the secret is shown only here.

        A Bearer token cannot create another (a stolen one would then never expire): use
        `POST /auth/tokens` with your password."""
        if g.get("token_auth"):
            raise Forbidden("A token cannot create tokens; sign in or use POST /auth/tokens.")
        return _new_token(*accounts.create_token(current_user, data["name"], _days(data)))


@tokens_blp.route("/me/tokens/<int:token_id>")
class MyTokenById(MethodView):
    @tokens_blp.response(204)
    def delete(self, token_id: int) -> None:
        """Revoke one of your tokens; it stops working at once."""
        accounts.revoke_token(current_user, token_id)


@account_blp.route("/me/password")
class MyPassword(MethodView):
    @account_blp.arguments(PasswordChangeSchema)
    @account_blp.response(204)
    def post(self, data: dict[str, Any]) -> None:
        """Change your password; your other web sessions end (tokens stay)."""
        passwords.change_password(current_user, data["current_password"],
                                  data["new_password"])
        sessions.renew()


@account_blp.route("/auth/password-reset")
class PasswordResetRequest(MethodView):
    @public
    @account_blp.arguments(PasswordResetRequestSchema)
    @account_blp.response(202)
    def post(self, data: dict[str, Any]) -> None:
        """Email a reset link to this address if it has an account; the answer is the same
        whether or not it has one."""
        passwords.request_password_reset(data["email"], current_app.config)


@account_blp.route("/auth/password-reset/<token>")
class PasswordReset(MethodView):
    @public
    @account_blp.arguments(PasswordResetSchema)
    @account_blp.response(204)
    def post(self, data: dict[str, Any], token: str) -> None:
        """Set a new password with the emailed link's token (once, before it expires);
        every web session of the account ends."""
        passwords.reset_password(token, data["password"], current_app.config)


@account_blp.route("/me/feeds")
class MyFeeds(MethodView):
    @account_blp.arguments(FeedListArgsSchema, location="query")
    @account_blp.response(200, page_schema(FeedSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Your calendar feeds (of one organization with `org_id`), newest first, without
        their addresses (only their digests are stored)."""
        return feeds.feeds_page(current_user, args["page"], args["per_page"], args.get("org_id"))

    @account_blp.arguments(FeedCreateSchema)
    @account_blp.response(201, NewFeedSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """A calendar feed of an organization's roadmap: its `url` (shown only here) opens
        `roadmap.ics` without a Bearer token, reading what you may read, until revoked."""
        feed, secret = feeds.create_feed(current_user, data["org_id"], data["name"])
        return {"id": feed.id, "org_id": feed.org_id, "name": feed.name,
                "created_at": feed.created_at, "last_used_at": None, "revoked_at": None,
                "url": url_for("roadmap.RoadmapIcs", org_id=feed.org_id, feed=secret,
                               _external=True)}


@account_blp.route("/me/feeds/<int:feed_id>")
class MyFeedById(MethodView):
    @account_blp.response(204)
    def delete(self, feed_id: int) -> None:
        """Revoke one of your calendar feeds; calendars stop receiving the roadmap at once."""
        feeds.revoke_feed(current_user, feed_id)
