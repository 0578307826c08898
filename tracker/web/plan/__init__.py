"""plan pages."""

from tracker.web.plan import baselines, phases, roadmap  # noqa: F401  (routes)
