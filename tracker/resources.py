"""Where the project's data folders (`seeds/`, `migrations/`, `static/`) live.

In a wheel they are shipped inside the package under `tracker/_resources`; in a source
checkout (editable install) they are the top-level folders of the repository. Either way
they are found from the installed package, never from the current working directory.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder `name` (`seeds`, `migrations` or `static`) of the installed project."""
    bundled = PACKAGE_DIR / "_resources" / name
    if bundled.is_dir():
        return bundled
    return PACKAGE_DIR.parent / name
