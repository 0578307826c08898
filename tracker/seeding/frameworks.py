"""Built-in content from `seeds/`: the shared frameworks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.config import resource_dir
from tracker.services.frame import frameworks


@dataclass(frozen=True)
class SeedResult:
    """One seeded framework and whether this run created it."""

    code: str
    version: int
    created: bool


def framework_files() -> list[Path]:
    """The built-in framework files, in name order."""
    return sorted((resource_dir("seeds") / "frameworks").glob("*.yaml"))


def seed_frameworks() -> list[SeedResult]:
    """Load every built-in framework that is not there yet, and give those already stored
    the file's translations (a database seeded before they existed gains them); idempotent."""
    results = []
    for path in framework_files():
        document = frameworks.read_framework_file(path)
        version = int(document.get("version", 1))
        exists = frameworks.find_framework(document["code"], version) is not None
        if not exists:
            frameworks.import_framework_document(document)
        else:
            frameworks.refresh_translations(document)
        results.append(SeedResult(document["code"], version, created=not exists))
    return results
