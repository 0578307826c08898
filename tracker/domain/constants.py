"""Constants every layer shares: languages, report formats and the thresholds of the
diagnostic rules (DESIGN section 3), so schemas, services, pages and emails agree.

>>> LOCALES
('en', 'fr')
>>> TENSION_STDEV, BLIND_SPOT_GAP
(1.0, 1.0)
"""

from __future__ import annotations

#: The languages of the product (pages, survey, emails, report), English first (the default).
LOCALES: tuple[str, ...] = ("en", "fr")
#: The formats of the diagnostic report.
REPORT_FORMATS: tuple[str, ...] = ("html", "pdf")
#: The largest value of the database's `integer` columns (PostgreSQL's are 32-bit): ids and
#: every stored whole number stay within it, so a larger one is refused instead of overflowing.
DB_INT_MAX = 2**31 - 1
#: To whom a period's barometer email can be resent: every recipient, or those not sent yet.
RESEND_TO: tuple[str, ...] = ("all", "new")
#: Where the plan of a projection comes from (trajectory, barometer, report): the request's
#: start and capacity, a named baseline's, the organization's plan settings, or the default.
PLAN_SOURCES: tuple[str, ...] = ("request", "baseline", "settings", "default")
#: A dimension whose ratings disperse at least this much (population standard deviation) is
#: a tension.
TENSION_STDEV = 1.0
#: Leaders rating a dimension at least this much higher than the others is a blind spot.
BLIND_SPOT_GAP = 1.0
