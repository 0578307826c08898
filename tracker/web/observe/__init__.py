"""observe pages: assessments, respondents, ratings and evidence."""

from tracker.web.observe import assessments, evidence, ratings_upload, respondents  # noqa: F401  (routes)
