"""follow pages."""

from tracker.web.follow import (  # noqa: F401  (routes)
    barometer,
    committees,
    kpis,
    objectives,
    schedule_forms,
    schedules,
)
