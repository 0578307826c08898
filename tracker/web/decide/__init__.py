"""decide pages."""

from tracker.web.decide import backlog, decisions, pilots, raters, scorecard, suggestions  # noqa: F401
