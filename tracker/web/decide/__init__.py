"""decide pages."""

from tracker.web.decide import backlog, decisions, suggestions  # noqa: F401  (routes)
