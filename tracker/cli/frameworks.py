"""`tracker frameworks import`: a framework file or a SAMM model folder."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.base import fail
from tracker.domain.errors import TrackerError
from tracker.services.frame import frameworks


@click.group(name="frameworks")
def frameworks_group() -> None:
    """Assessment frameworks."""


@frameworks_group.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tracker", "samm"]), default="tracker",
              show_default=True, help="tracker YAML/JSON file, or a SAMM v2 model/ folder.")
@click.option("--org", "org_id", type=int, default=None,
              help="Organization that owns it (default: shared).")
def import_framework(path: Path, fmt: str, org_id: int | None) -> None:
    """Import a framework from a file (or a SAMM model folder)."""
    try:
        framework = frameworks.import_framework_path(path, fmt, org_id=org_id)
    except TrackerError as error:
        fail(error)
    dimensions = sum(len(axis.dimensions) for axis in framework.axes)
    click.echo(f"Imported {framework.code} v{framework.version} (id {framework.id}): "
               f"{len(framework.axes)} axes, {dimensions} dimensions.")
