"""tenancy pages."""

from tracker.web.tenancy import accounts  # noqa: F401  (routes)
