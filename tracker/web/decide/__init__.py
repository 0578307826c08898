"""decide pages."""

from tracker.web.decide import backlog, decisions, raters, scorecard, suggestions  # noqa: F401
