"""tenancy pages."""

from tracker.web.tenancy import (  # noqa: F401  (routes)
    accounts,
    audit,
    invitations,
    members,
    organizations,
    webhooks,
)
