"""`tracker report`: the diagnostic report of an assessment written to a file."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.base import fail
from tracker.domain.constants import LOCALES, REPORT_FORMATS
from tracker.domain.errors import TrackerError
from tracker.services.diagnose import report as reports


@click.command(name="report")
@click.argument("assessment_id", type=int)
@click.option("--org", "org_id", type=int, required=True, help="Organization of the assessment.")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="html",
              show_default=True, help="Standalone HTML page, or PDF (needs Chromium).")
@click.option("--lang", type=click.Choice(LOCALES), default=None,
              help="The report's language (default: the organization's).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              required=True, help="File to write.")
def report_command(assessment_id: int, org_id: int, fmt: str, lang: str | None,
                   output: Path) -> None:
    """Write the diagnostic report of an assessment to a file (HTML or PDF)."""
    try:
        content, _mimetype, _name = reports.report_for_org_id(org_id, assessment_id, fmt, lang)
    except TrackerError as error:
        fail(error)
    output.write_bytes(content)
    click.echo(f"Wrote the {fmt.upper()} report of assessment {assessment_id} to {output} "
               f"({len(content):,} bytes).")
