"""frame pages: the framework library, grids and targets."""

from tracker.web.frame import frameworks, targets  # noqa: F401  (routes)
