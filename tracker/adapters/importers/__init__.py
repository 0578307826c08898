"""Readers that turn other tools' files into tracker's own formats (DESIGN section 5).

They read files and return plain dicts; they never touch the database, which is the
services' job.
"""

from tracker.adapters.importers.samm import read_samm_model

__all__ = ["read_samm_model"]
