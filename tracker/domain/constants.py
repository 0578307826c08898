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
#: A dimension whose ratings disperse at least this much (population standard deviation) is
#: a tension.
TENSION_STDEV = 1.0
#: Leaders rating a dimension at least this much higher than the others is a blind spot.
BLIND_SPOT_GAP = 1.0
