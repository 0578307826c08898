"""`tracker ratings import`: respondents and ratings from a CSV file, with a progress bar."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from tracker.cli.base import fail
from tracker.domain.errors import TrackerError
from tracker.services.observe import ratings_import


@click.group(name="ratings")
def ratings_group() -> None:
    """Ratings of assessments."""


@ratings_group.command("import")
@click.argument("assessment_id", type=int)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_id", type=int, required=True, help="Organization of the assessment.")
def import_ratings(assessment_id: int, path: Path, org_id: int) -> None:
    """Import respondents and ratings from a CSV file (all or nothing), with a progress bar."""

    def with_bar(rows: Sequence[Any]) -> Iterator[Any]:
        with click.progressbar(rows, label="Respondents") as bar:
            yield from bar

    try:
        result = ratings_import.import_ratings_file(org_id, assessment_id, path, with_bar)
    except TrackerError as error:
        fail(error)
    click.echo(f"Imported {len(result.respondent_ids)} respondents and {result.ratings} "
               f"ratings into assessment {assessment_id}.")
