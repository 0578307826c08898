"""The `tracker` command: every `flask` command plus tracker's own admin and bulk work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from tracker import create_app
from tracker.domain.errors import TrackerError
from tracker.scheduler import cli as scheduler_commands
from tracker.services import accounts, csv_import, demo, frameworks, playbook, seeds
from tracker.services import report as reports


def _create_app(*_args: object) -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """tracker: transformation backlog and roadmap tracker."""


def init_app(app: Flask) -> None:
    """Add tracker's commands to `app.cli` (so `tracker` and `flask` both have them)."""
    for group in (users, tokens, seed, frameworks_group, ratings_group, report_command):
        app.cli.add_command(group)
    for group in scheduler_commands.COMMANDS:
        app.cli.add_command(group)


def _fail(error: TrackerError) -> None:
    details = "".join(f"\n  {field}: {'; '.join(map(str, messages))}"
                      for field, messages in error.errors.items())
    raise click.ClickException(f"{error.detail}{details}")


@click.group()
def users() -> None:
    """User accounts."""


@users.command("create")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="")
@click.option("--admin", is_flag=True, help="Instance admin: lead rights everywhere.")
def create_user(email: str, password: str, name: str, admin: bool) -> None:
    """Create a user."""
    try:
        user = accounts.create_user(email, password, name=name, admin=admin)
    except TrackerError as error:
        _fail(error)
    click.echo(f"Created {'admin ' if admin else ''}user {user.email} (id {user.id}).")


@click.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="cli")
def create_token(email: str, name: str) -> None:
    """Create an API token for a user; the token is the last line printed."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    token, secret = accounts.create_token(user, name)
    click.echo(f"Token {token.id} for {user.email} (shown once):")
    click.echo(secret)


@click.group()
def seed() -> None:
    """Built-in content."""


@seed.command("frameworks")
def seed_frameworks() -> None:
    """Load the built-in frameworks (idempotent)."""
    for result in seeds.seed_frameworks():
        state = "loaded" if result.created else "already there"
        click.echo(f"{result.code} v{result.version}: {state}")


@seed.command("playbook")
def seed_playbook() -> None:
    """Load the built-in playbook of initiative templates (idempotent)."""
    try:
        result = playbook.seed_playbook()
    except TrackerError as error:
        _fail(error)
    click.echo(f"playbook: {result.created} template(s) loaded, {result.existing} already there")


@seed.command("demo")
@click.option("--password", default=demo.DEMO_PASSWORD, show_default=True,
              help="Password of the demo users.")
def seed_demo(password: str) -> None:
    """Load the demo organization NovaTechna (idempotent)."""
    seeds.seed_frameworks()
    try:
        playbook.seed_playbook()
        result = demo.load_demo(password)
    except TrackerError as error:
        _fail(error)
    click.echo(f"{result.organization}: {'loaded' if result.created else 'already there'} "
               f"(organization id {result.org_id}).")
    click.echo(f"Sign in as {result.login} / {password}")


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
        _fail(error)
    dimensions = sum(len(axis.dimensions) for axis in framework.axes)
    click.echo(f"Imported {framework.code} v{framework.version} (id {framework.id}): "
               f"{len(framework.axes)} axes, {dimensions} dimensions.")


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
        result = csv_import.import_ratings_file(org_id, assessment_id, path, with_bar)
    except TrackerError as error:
        _fail(error)
    click.echo(f"Imported {len(result.respondent_ids)} respondents and {result.ratings} "
               f"ratings into assessment {assessment_id}.")


@click.command(name="report")
@click.argument("assessment_id", type=int)
@click.option("--org", "org_id", type=int, required=True, help="Organization of the assessment.")
@click.option("--format", "fmt", type=click.Choice(reports.FORMATS), default="html",
              show_default=True, help="Standalone HTML page, or PDF (needs Chromium).")
@click.option("--lang", type=click.Choice(accounts.LOCALES), default="en", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              required=True, help="File to write.")
def report_command(assessment_id: int, org_id: int, fmt: str, lang: str, output: Path) -> None:
    """Write the diagnostic report of an assessment to a file (HTML or PDF)."""
    try:
        content, _mimetype, _name = reports.report_for_org_id(org_id, assessment_id, fmt, lang)
    except TrackerError as error:
        _fail(error)
    output.write_bytes(content)
    click.echo(f"Wrote the {fmt.upper()} report of assessment {assessment_id} to {output} "
               f"({len(content):,} bytes).")
