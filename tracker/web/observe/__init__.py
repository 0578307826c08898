"""observe pages: assessments, respondents, ratings and evidence."""
