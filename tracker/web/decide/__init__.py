"""decide pages."""

from tracker.web.decide import (  # noqa: F401
    backlog,
    backlog_import,
    decisions,
    pilots,
    raters,
    scorecard,
    suggestions,
)
