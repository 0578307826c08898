"""plan pages."""

from tracker.web.plan import roadmap  # noqa: F401  (routes)
