"""diagnose pages."""

from tracker.web.diagnose import diagnostic, report, root_causes  # noqa: F401  (routes)
