"""plan pages."""

from tracker.web.plan import baselines, feeds, phases, roadmap  # noqa: F401  (routes)
