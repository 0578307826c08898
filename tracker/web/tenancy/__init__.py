"""tenancy pages."""

from tracker.web.tenancy import accounts, audit, invitations  # noqa: F401  (routes)
