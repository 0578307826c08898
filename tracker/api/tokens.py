"""API tokens: exchange email and password for a Bearer token; list and revoke yours."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.api.access import public
from tracker.api.errors import problem
from tracker.schemas.organizations import NewTokenSchema, TokenRequestSchema, TokenSchema
from tracker.services import accounts

blp = Blueprint("tokens", __name__, description="API tokens")


@blp.route("/auth/tokens")
class Tokens(MethodView):
    @public
    @blp.arguments(TokenRequestSchema)
    @blp.response(201, NewTokenSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a token from an email and password; the secret is shown only here."""
        user = accounts.authenticate(data["email"], data["password"])
        if user is None:
            return problem(401, "Unauthorized", "Unknown email or wrong password.")
        token, secret = accounts.create_token(user, data["name"])
        return {"id": token.id, "name": token.name, "created_at": token.created_at,
                "revoked_at": None, "token": secret}

    @blp.response(200, TokenSchema(many=True))
    def get(self) -> Any:
        """Your tokens (without their secrets)."""
        return accounts.list_tokens(current_user)


@blp.route("/auth/tokens/<int:token_id>")
class TokenById(MethodView):
    @blp.response(204)
    def delete(self, token_id: int) -> None:
        """Revoke one of your tokens."""
        accounts.revoke_token(current_user, token_id)
