"""Built-in content from `seeds/`: the playbook of initiative templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.config import resource_dir
from tracker.services.frame import playbook


@dataclass(frozen=True)
class PlaybookSeedResult:
    """How many built-in templates this run created, and how many were there already."""

    created: int
    existing: int


def playbook_file() -> Path:
    """The built-in playbook, `seeds/playbook/templates.yaml`."""
    return resource_dir("seeds") / "playbook" / "templates.yaml"


def seed_playbook() -> PlaybookSeedResult:
    """Load the built-in templates that are missing (idempotent); the whole file is
    validated first, and nothing is loaded if any of it is wrong."""
    existing = playbook.count_builtin_templates()
    added = playbook.add_builtin_templates(playbook_file().read_text(encoding="utf-8"))
    return PlaybookSeedResult(len(added), existing)
