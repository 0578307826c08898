"""follow pages."""

from tracker.web.follow import barometer, kpis, schedule_forms, schedules  # noqa: F401  (routes)
