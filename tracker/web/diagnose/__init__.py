"""diagnose pages."""

from tracker.web.diagnose import diagnostic, findings, report, root_causes  # noqa: F401  (routes)
