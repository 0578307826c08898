"""Targets: the organization's ambition per dimension of a framework."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.schemas.targets import TargetsArgsSchema, TargetsSchema
from tracker.services import targets

blp = Blueprint("targets", __name__, description="Targets per dimension")


def _answer(framework_id: int, levels: dict[str, float]) -> dict[str, Any]:
    return {"framework_id": framework_id,
            "targets": [{"dimension": code, "level": level} for code, level in levels.items()]}


@blp.route("/orgs/<int:org_id>/targets")
class Targets(MethodView):
    @blp.arguments(TargetsArgsSchema, location="query")
    @blp.response(200, TargetsSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The current target of each dimension of a framework (latest `valid_from`)."""
        return _answer(args["framework_id"],
                       targets.framework_targets(g.org, args["framework_id"]))

    @blp.arguments(TargetsSchema)
    @blp.response(200, TargetsSchema)
    def put(self, data: dict[str, Any], org_id: int) -> Any:
        """Set target levels, valid from today: all are saved, or none."""
        return _answer(data["framework_id"],
                       targets.set_targets(g.org, data["framework_id"], data["targets"]))
