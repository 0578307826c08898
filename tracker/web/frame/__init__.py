"""frame pages: the framework library, grids and targets."""
