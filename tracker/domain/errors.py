"""Tracker's own exceptions, raised by the domain and services, translated at the edges.

The API maps each class to an HTTP status and a problem+json body in one place
(`tracker.schemas.problems`); the CLI prints their message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class TrackerError(Exception):
    """Base class of every error tracker raises on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: Mapping[str, Any] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = dict(errors or {})
        self.extra = extra


class InvalidInput(TrackerError):
    """Input that is well-formed but breaks a rule; `errors` names the fields."""

    status = 422
    title = "Invalid input"


class NotFound(TrackerError):
    """A record that does not exist, or that the caller may not know exists."""

    status = 404
    title = "Not found"


class Forbidden(TrackerError):
    """The caller is a member but their role does not allow the action."""

    status = 403
    title = "Forbidden"


class Conflict(TrackerError):
    """The request contradicts the current state (duplicate, illegal transition...)."""

    status = 409
    title = "Conflict"


class StaleVersion(TrackerError):
    """A write based on a version of the record that is no longer the current one (an
    `If-Match` or a `version` that another write has since moved on); `current_version`
    says where the record is now."""

    status = 412
    title = "Precondition failed"


class Gone(TrackerError):
    """A link that existed but no longer works (an invitation used, cancelled or expired)."""

    status = 410
    title = "Gone"


class TooLarge(TrackerError):
    """A document or upload beyond a size or row limit; `limit` says how far one may go."""

    status = 413
    title = "Request Entity Too Large"


class DependencyCycle(Conflict):
    """Adding a link would close a cycle; `cycle` lists the nodes in order."""

    title = "Dependency cycle"

    def __init__(self, cycle: Sequence[Any], detail: str | None = None) -> None:
        self.cycle = list(cycle)
        super().__init__(detail or "This link would close a cycle: "
                         + " → ".join(str(node) for node in self.cycle),
                         cycle=self.cycle)
