"""follow pages."""

from tracker.web.follow import barometer, schedules  # noqa: F401  (routes)
